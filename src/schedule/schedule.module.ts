import { Module } from '@nestjs/common';
import { PatientsModule } from '../patients/patients.module';
import { SchedulePages } from './schedule-pages.service';
import { ScheduleApiController } from './schedule.api.controller';
import { ScheduleController } from './schedule.controller';
import { ScheduleRepository } from './schedule.repository';
import { ScheduleService } from './schedule.service';

/** The doctor's console: the day's queue, the doctor's patients and a patient's history. */
@Module({
  imports: [PatientsModule],
  controllers: [ScheduleController, ScheduleApiController],
  providers: [ScheduleService, ScheduleRepository, SchedulePages],
})
export class ScheduleModule {}
