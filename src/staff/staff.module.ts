import { Module } from '@nestjs/common';
import { DoctorsModule } from '../doctors/doctors.module';
import { ReportsModule } from '../reports/reports.module';
import { StaffApiController } from './staff.api.controller';
import { StaffController } from './staff.controller';
import { StaffPages } from './staff-pages.service';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';

/** The clinic owner manages staff accounts: add doctors, reception and owners; deactivate, reactivate, reset passwords. */
@Module({
  imports: [DoctorsModule, ReportsModule],
  controllers: [StaffController, StaffApiController],
  providers: [StaffService, StaffRepository, StaffPages],
})
export class StaffModule {}
