import { Module } from '@nestjs/common';
import { NoShowsModule } from '../no-shows/no-shows.module';
import { PatientPages } from './patient-pages.service';
import { PatientsApiController } from './patients.api.controller';
import { PatientsController } from './patients.controller';
import { PatientsRepository } from './patients.repository';
import { PatientsService } from './patients.service';

/** The clinic's patients: registration, search, profiles, portal identities. */
@Module({
  imports: [NoShowsModule],
  controllers: [PatientsController, PatientsApiController],
  providers: [PatientsService, PatientsRepository, PatientPages],
  exports: [PatientsService],
})
export class PatientsModule {}
