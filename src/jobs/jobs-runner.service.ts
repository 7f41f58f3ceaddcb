import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock';
import { MigrationSet } from '../database/migrations';
import { MetricsService } from '../metrics/metrics.service';
import { NoShowsService } from '../no-shows/no-shows.service';
import { type DeliveryReport, OutboxSender } from '../outbox/outbox-sender.service';
import { PlatformRepository } from '../platform/platform.repository';
import { PlatformException, type Tenant } from '../platform/tenant';
import { RemindersService } from '../reminders/reminders.service';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantTransaction } from '../tenancy/tenant-transaction.service';

/** The tenant migration that created what the jobs use: a clinic still behind it is left alone. */
const JOBS_SCHEMA_VERSION = '20261202000000';
/** Clinics worked on at once. */
const CONCURRENCY = 4;

/** What the jobs did for one clinic. */
export interface ClinicJobReport {
  readonly slug: string;
  /** Another instance held the clinic's job lock: it is doing this work now. */
  readonly skipped: boolean;
  readonly noShows: number;
  readonly penalties: number;
  readonly notices: number;
  readonly reminders: number;
  readonly delivery: DeliveryReport | null;
  readonly error: string | null;
  readonly ms: number;
}

export interface JobsSummary {
  readonly clinics: ClinicJobReport[];
  readonly failed: number;
  readonly seconds: number;
}

/**
 * The background jobs over every active clinic: the no-show sweep, the 24-hour reminders, then the
 * outbox's delivery. Each clinic runs in its own transactions as that clinic (its schema and role),
 * under a transaction-scoped advisory lock, so two instances never sweep one clinic at once; a
 * failure in one clinic is logged and reported, and the others go on.
 */
@Injectable()
export class JobsRunner {
  private readonly logger = new Logger(JobsRunner.name);
  private readonly platform = new PlatformRepository();
  private readonly minimumVersion: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transaction: TenantTransaction,
    private readonly context: TenantContext,
    private readonly noShows: NoShowsService,
    private readonly reminders: RemindersService,
    private readonly sender: OutboxSender,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {
    const latest = MigrationSet.load('tenant').latest;
    this.minimumVersion = latest < JOBS_SCHEMA_VERSION ? latest : JOBS_SCHEMA_VERSION;
  }

  /** Sweeps and delivers for every active clinic (or one, by slug). */
  async runAll(options: { clinic?: string } = {}): Promise<JobsSummary> {
    return this.counted('no-show-sweep', this.overClinics(options.clinic, (tenant) => this.runClinic(tenant)));
  }

  /** Only delivers what is due (the outbox's retries between sweeps). */
  async deliverAll(): Promise<JobsSummary> {
    return this.counted(
      'outbox-delivery',
      this.overClinics(undefined, async (tenant) => {
        const started = Date.now();
        const delivery = await this.sender.deliver(tenant);
        return { ...empty(tenant), delivery, ms: Date.now() - started };
      }),
    );
  }

  /** Counts the run and its failures for /metrics, by job (the scheduler's names for them). */
  private async counted(job: 'no-show-sweep' | 'outbox-delivery', run: Promise<JobsSummary>): Promise<JobsSummary> {
    try {
      const summary = await run;
      this.metrics.jobRan(job, summary.failed);
      return summary;
    } catch (error) {
      this.metrics.jobRan(job, null);
      throw error;
    }
  }

  async runClinic(tenant: Tenant): Promise<ClinicJobReport> {
    const started = Date.now();
    const now = this.clock.now();
    const totals = { noShows: 0, penalties: 0, notices: 0, reminders: 0 };
    for (let more = true; more; ) {
      const batch = await this.transaction.run(tenant, async () => {
        if (!(await this.lock(tenant))) return null;
        const swept = await this.noShows.sweepBatch(now);
        const reminded = await this.reminders.queueBatch(now);
        return { swept, reminded };
      });
      if (!batch) return { ...empty(tenant), skipped: true, ms: Date.now() - started };
      totals.noShows += batch.swept.marked;
      totals.penalties += batch.swept.penalties;
      totals.notices += batch.swept.notices;
      totals.reminders += batch.reminded.queued;
      more = batch.swept.more || batch.reminded.more;
    }
    const delivery = await this.sender.deliver(tenant);
    return { ...empty(tenant), ...totals, delivery, ms: Date.now() - started };
  }

  /** This clinic's job lock for the rest of the transaction, unless another instance holds it. */
  private async lock(tenant: Tenant): Promise<boolean> {
    const rows: { locked: boolean }[] = await this.context.manager.query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`, [
      `clinic-jobs:${tenant.id}`,
    ]);
    return rows[0].locked;
  }

  private async overClinics(slug: string | undefined, work: (tenant: Tenant) => Promise<ClinicJobReport>): Promise<JobsSummary> {
    const started = Date.now();
    const tenants = await this.platform.activeAt(this.dataSource, this.minimumVersion, slug);
    if (slug && tenants.length === 0) {
      throw new PlatformException('clinic_not_found', `no active clinic "${slug}" is up to date enough for the jobs (check npm run tenant -- list)`);
    }
    const reports: ClinicJobReport[] = [];
    let next = 0;
    const worker = async () => {
      while (next < tenants.length) {
        const tenant = tenants[next++];
        const clinicStarted = Date.now();
        const report = await work(tenant).catch((error: unknown) => ({
          ...empty(tenant),
          error: error instanceof Error ? error.message : String(error),
          ms: Date.now() - clinicStarted,
        }));
        reports.push(report);
        this.log(report);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tenants.length) }, worker));
    reports.sort((a, b) => a.slug.localeCompare(b.slug));
    return { clinics: reports, failed: reports.filter((r) => r.error).length, seconds: (Date.now() - started) / 1000 };
  }

  private log(report: ClinicJobReport): void {
    const { slug: tenant, ...rest } = report;
    if (report.error) this.logger.error({ tenant, ...rest }, 'Clinic jobs failed');
    else if (report.noShows || report.reminders || report.delivery?.sent || report.delivery?.failed || report.delivery?.retrying) {
      this.logger.log({ tenant, ...rest }, 'Clinic jobs ran');
    } else this.logger.debug({ tenant, ...rest }, 'Clinic jobs ran');
  }
}

const empty = (tenant: Tenant): ClinicJobReport => ({
  slug: tenant.slug,
  skipped: false,
  noShows: 0,
  penalties: 0,
  notices: 0,
  reminders: 0,
  delivery: null,
  error: null,
  ms: 0,
});
