import { Module } from '@nestjs/common';
import { NoShowsModule } from '../no-shows/no-shows.module';
import { PatientExportRepository } from './patient-export.repository';
import { PatientExportService } from './patient-export.service';
import { PatientPages } from './patient-pages.service';
import { PatientsApiController } from './patients.api.controller';
import { PatientsController } from './patients.controller';
import { PatientsRepository } from './patients.repository';
import { PatientsService } from './patients.service';

/** The clinic's patients: registration, search, profiles, portal identities, the export of a patient's whole record. */
@Module({
  imports: [NoShowsModule],
  controllers: [PatientsController, PatientsApiController],
  providers: [PatientsService, PatientsRepository, PatientPages, PatientExportService, PatientExportRepository],
  exports: [PatientsService],
})
export class PatientsModule {}
