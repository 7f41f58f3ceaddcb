import { Module } from '@nestjs/common';
import { ScheduleModule as CronScheduleModule } from '@nestjs/schedule';
import { NoShowsModule } from '../no-shows/no-shows.module';
import { OutboxModule } from '../outbox/outbox.module';
import { RemindersModule } from '../reminders/reminders.module';
import { JobsRunner } from './jobs-runner.service';
import { JobsScheduler } from './jobs-scheduler.service';

/** The background jobs: what they do for each clinic (JobsRunner) and when (JobsScheduler). */
@Module({
  imports: [CronScheduleModule.forRoot(), NoShowsModule, RemindersModule, OutboxModule],
  providers: [JobsRunner, JobsScheduler],
  exports: [JobsRunner],
})
export class JobsModule {}
