import { Module } from '@nestjs/common';
import { DoctorPages } from './doctor-pages.service';
import { DoctorsApiController } from './doctors.api.controller';
import { DoctorsController } from './doctors.controller';
import { DoctorsRepository } from './doctors.repository';
import { DoctorsService } from './doctors.service';

/**
 * Doctors' calendars: specialty, fee, slot length, weekly hours and leave, edited by the clinic owner
 * at /admin/doctors and read through /api/v1/doctors. Other modules import it for
 * `DoctorsService.calendar(doctorId)` (and the staff screen for `DoctorsRepository.specialtyId`).
 */
@Module({
  controllers: [DoctorsController, DoctorsApiController],
  providers: [DoctorsService, DoctorsRepository, DoctorPages],
  exports: [DoctorsService, DoctorsRepository],
})
export class DoctorsModule {}
