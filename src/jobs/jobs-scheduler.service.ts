import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { ClsService } from 'nestjs-cls';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { JobsRunner, type JobsSummary } from './jobs-runner.service';

/** Every ten minutes: the sweep (no-shows, reminders) and delivery, over every clinic. */
export const SWEEP_CRON = '0 */10 * * * *';
/** Every minute between sweeps: delivery only (retries of failed attempts come due). */
export const DELIVERY_CRON = '30 * * * * *';

/**
 * Puts the jobs on their schedule (@nestjs/schedule) in processes where JOBS=on. A run that is still
 * going when its next tick comes is not started twice; shutdown waits for the current one.
 */
@Injectable()
export class JobsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobsScheduler.name);
  private current: Promise<unknown> | null = null;

  constructor(
    private readonly runner: JobsRunner,
    private readonly registry: SchedulerRegistry,
    private readonly cls: ClsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.schedule('no-show-sweep', SWEEP_CRON, () => this.runner.runAll());
    this.schedule('outbox-delivery', DELIVERY_CRON, () => this.runner.deliverAll());
  }

  async onApplicationShutdown(): Promise<void> {
    for (const name of this.registry.getCronJobs().keys()) this.registry.getCronJob(name).stop();
    await this.current?.catch(() => undefined);
  }

  private schedule(name: string, cron: string, run: () => Promise<JobsSummary>): void {
    const job = CronJob.from({
      cronTime: cron,
      onTick: () => {
        if (this.current) return; // the previous run is still going: this tick is skipped
        this.current = this.cls
          .run({ ifNested: 'override' }, run)
          .then((summary) => {
            if (summary.failed) this.logger.warn({ job: name, failed: summary.failed, clinics: summary.clinics.length, seconds: summary.seconds }, 'Jobs finished with failures');
          })
          .catch((error: unknown) => this.logger.error({ job: name, err: error }, 'Jobs could not run'))
          .finally(() => (this.current = null));
      },
      start: false,
    });
    // registered with @nestjs/schedule, so the registry lists and stops it like any other job
    this.registry.addCronJob(name, job as Parameters<SchedulerRegistry['addCronJob']>[1]);
    job.start();
  }
}
