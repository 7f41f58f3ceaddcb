import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { AffinePool } from '../database/affine-pool';

/** A clinic's outbox figure older than this is left out (the clinic was dropped, suspended, or this instance stopped delivering). */
const OUTBOX_FIGURE_TTL_MS = 15 * 60 * 1000;

/** What one delivery pass did, by outcome (see OutboxSender's DeliveryReport). */
export type DeliveryOutcome = 'sent' | 'retrying' | 'failed' | 'recovered';

/**
 * Node's own process metrics (CPU, memory, event loop, GC): one set per process, however many apps
 * run in it (the tests start several), since they describe the process. prom-client's default
 * collectors install a GC observer and an event-loop monitor that are never removed: collecting them
 * once per process, in a registry of their own, keeps a second app from adding a second set.
 * Not tenant data: nothing here knows a clinic.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * This app instance's Prometheus metrics, in a registry of its own (never prom-client's global
 * one, so two apps in one process neither share figures nor clash on names). Every label comes from
 * a bounded set — route patterns, status codes, cache and job names — and none names a clinic.
 */
@Injectable()
export class MetricsService {
  private readonly registry = new Registry();
  /** The token's digest: comparing digests compares equal lengths, in constant time. */
  private readonly tokenDigest: Buffer | undefined;

  private readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status: how long they took (its _count is the request counter).',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly cacheHits = new Counter({
    name: 'cache_hits_total',
    help: 'Cached clinic views served from the cache, by kind of view.',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });

  private readonly cacheMisses = new Counter({
    name: 'cache_misses_total',
    help: 'Cached clinic views that had to be computed, by kind of view.',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });

  private readonly jobRuns = new Counter({
    name: 'jobs_runs_total',
    help: 'Background job runs finished (over every clinic, or the one asked for), by job.',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  private readonly jobFailures = new Counter({
    name: 'jobs_failures_total',
    help: 'Background job runs in which something failed (a clinic, or the whole run), by job.',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  private readonly jobClinicFailures = new Counter({
    name: 'jobs_clinic_failures_total',
    help: 'Clinics whose part of a background job run failed, by job.',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  private readonly deliveries = new Counter({
    name: 'outbox_deliveries_total',
    help: 'Notices handled by delivery passes in this instance, by outcome: sent, retrying (attempt failed, tried again later), failed (given up), recovered (left mid-send by a stopped sender).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Pending notices per clinic as this instance's last delivery pass over it counted them (bounded by the number of clinics). */
  private readonly outboxPendingByClinic = new Map<string, { readonly count: number; readonly at: number }>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tokenDigest = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
    const pool = () => (this.dataSource.driver as PostgresDriver).master as AffinePool | undefined;
    const poolGauge = (name: string, help: string, read: (p: AffinePool) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const p = pool();
          this.set(p ? read(p) : 0);
        },
      });
    poolGauge('db_pool_connections', 'Connections open in the database pool (busy and idle).', (p) => p.totalCount);
    poolGauge('db_pool_idle_connections', 'Open pool connections waiting for work.', (p) => p.idleCount);
    poolGauge('db_pool_waiting_requests', 'Queries waiting for a pool connection (all connections busy).', (p) => p.waitingCount);
    poolGauge('db_pool_max_connections', 'The pool size limit (DB_POOL_MAX).', (p) => p.options.max ?? 0);
    new Counter({
      name: 'db_pool_away_from_home_total',
      help: "Clinic transactions that ran on another connection than their clinic's home one (it was busy); its backend may have had to load that clinic's catalog.",
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(pool()?.spilledCount ?? 0);
      },
    });

    const outboxPending = this.outboxPendingByClinic;
    new Gauge({
      name: 'outbox_pending_notices',
      help: 'Notices waiting to be delivered (status pending) over every clinic, as of this instance\'s latest delivery pass over each (0 where JOBS=off).',
      registers: [this.registry],
      collect() {
        const oldest = Date.now() - OUTBOX_FIGURE_TTL_MS;
        let total = 0;
        for (const [clinic, figure] of outboxPending) {
          if (figure.at < oldest) outboxPending.delete(clinic);
          else total += figure.count;
        }
        this.set(total);
      },
    });
  }

  /** Whether /metrics is served at all (METRICS_TOKEN set). */
  get enabled(): boolean {
    return this.tokenDigest !== undefined;
  }

  /** `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time. */
  authorizes(authorization: string | undefined): boolean {
    if (!this.tokenDigest) return false;
    const token = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
    return token !== undefined && timingSafeEqual(digest(token), this.tokenDigest);
  }

  /** The exposition text: the process's metrics, then this app's. */
  async scrape(): Promise<string> {
    return `${await processMetrics().metrics()}\n${await this.registry.metrics()}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  observeRequest(method: string, route: string, status: string, seconds: number): void {
    this.requestDuration.observe({ method, route, status }, seconds);
  }

  /** `cache` is the kind of cached view (a name written in the code, e.g. `dashboard`, `board`), never anything a request chose. */
  cacheLookup(cache: string, hit: boolean): void {
    (hit ? this.cacheHits : this.cacheMisses).inc({ cache });
  }

  /** A job run ended; `failedClinics` is null when the run as a whole failed. */
  jobRan(job: string, failedClinics: number | null): void {
    this.jobRuns.inc({ job });
    if (failedClinics === 0) return;
    this.jobFailures.inc({ job });
    if (failedClinics) this.jobClinicFailures.inc({ job }, failedClinics);
  }

  /** Notices a delivery pass handled in this instance, by what became of them. */
  noticesHandled(outcome: DeliveryOutcome, count = 1): void {
    if (count > 0) this.deliveries.inc({ outcome }, count);
  }

  /** A clinic's notices still pending after a delivery pass over it (kept per clinic, summed at scrape time). */
  outboxPending(clinicId: string, count: number): void {
    this.outboxPendingByClinic.set(clinicId, { count, at: Date.now() });
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
