import { Module } from '@nestjs/common';

/** The doctor's console: the day's queue, the doctor's patients and a patient's history. */
@Module({})
export class ScheduleModule {}
