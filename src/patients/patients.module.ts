import { Module } from '@nestjs/common';
import { PatientPages } from './patient-pages.service';
import { PatientsApiController } from './patients.api.controller';
import { PatientsController } from './patients.controller';
import { PatientsRepository } from './patients.repository';
import { PatientsService } from './patients.service';

/** The clinic's patients: registration, search, profiles, portal identities. */
@Module({
  controllers: [PatientsController, PatientsApiController],
  providers: [PatientsService, PatientsRepository, PatientPages],
  exports: [PatientsService],
})
export class PatientsModule {}
