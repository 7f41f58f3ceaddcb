import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Tenant } from '../platform/tenant';
import { TenantTransaction } from '../tenancy/tenant-transaction.service';
import { t } from '../i18n/i18n';
import { MetricsService } from '../metrics/metrics.service';
import { DevMailbox, MAIL_TRANSPORT, type MailTransport } from './mail-transport';
import { MAX_ATTEMPTS, type OutboxRow, retryAt, SENDING_LEASE_SECONDS } from './notice';
import { OutboxRepository } from './outbox.repository';

/** What one delivery pass over a clinic's outbox did. */
export interface DeliveryReport {
  readonly sent: number;
  /** Failed attempts that will be tried again later. */
  readonly retrying: number;
  /** Given up after the last attempt. */
  readonly failed: number;
  /** Rows a stopped sender had left mid-attempt: retried (resendable transport) or marked uncertain. */
  readonly recovered: number;
}

/**
 * Test-only fault injection (the "crash between send and record" acceptance test): a hook that
 * throws stops the pass right there, as a killed process would, leaving the row as it was.
 */
export interface SenderFaults {
  beforeSend?(row: OutboxRow): void | Promise<void>;
  afterSend?(row: OutboxRow): void | Promise<void>;
}
export const SENDER_FAULTS = Symbol('SENDER_FAULTS');

const BATCH = 50;

/**
 * Delivers a clinic's due notices. Each row is claimed (FOR UPDATE SKIP LOCKED, so two instances
 * never take the same row) and marked `sending` with its attempt counted in a transaction committed
 * BEFORE anything is sent; the result is recorded in a second one. A process that stops between the
 * two leaves the row in `sending`: after the lease it is sent again only if the transport makes that
 * harmless (the development mailbox), and is otherwise `uncertain` — never sent twice by itself.
 */
@Injectable()
export class OutboxSender {
  private readonly logger = new Logger(OutboxSender.name);
  private readonly running = new Map<string, Promise<DeliveryReport>>();
  /** Clinics with a delivery already scheduled by `kick` (a sweep batch queues many notices: one pass follows). */
  private readonly kicked = new Set<string>();

  constructor(
    private readonly transaction: TenantTransaction,
    private readonly outbox: OutboxRepository,
    private readonly cls: ClsService,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    @Optional() @Inject(SENDER_FAULTS) private readonly faults?: SenderFaults,
  ) {}

  get description(): string {
    return this.transport.description;
  }

  /** Where notices go, for the outbox page (in the reader's language). */
  label(): string {
    return this.transport instanceof DevMailbox ? t('outbox:transport.devMailbox', { dir: this.transport.dir }) : this.transport.description;
  }

  /** Delivers what is due now, in batches until none is left. One pass per clinic at a time in this process. */
  deliver(tenant: Tenant): Promise<DeliveryReport> {
    const current = this.running.get(tenant.id);
    if (current) return current;
    const pass = this.pass(tenant).finally(() => this.running.delete(tenant.id));
    this.running.set(tenant.id, pass);
    return pass;
  }

  /** After a commit that queued a notice: deliver soon, without holding up the request (only where jobs run). */
  kick(tenant: Tenant): void {
    if (!this.config.jobsEnabled || this.kicked.has(tenant.id)) return;
    this.kicked.add(tenant.id);
    setImmediate(() => {
      this.kicked.delete(tenant.id);
      // a fresh context: the request's own has finished with its transaction
      void this.cls.run({ ifNested: 'override' }, () => this.deliver(tenant)).catch((error: unknown) =>
        this.logger.error({ tenant: tenant.slug, err: error }, 'Delivering notices failed'),
      );
    });
  }

  private async pass(tenant: Tenant): Promise<DeliveryReport> {
    const report = { sent: 0, retrying: 0, failed: 0, recovered: 0 };
    for (let first = true; ; first = false) {
      // one transaction per batch; the first also takes back what a stopped sender left (a quiet clinic costs one)
      const rows = await this.transaction.run(tenant, async () => {
        const now = this.clock.now();
        if (first) report.recovered = await this.outbox.releaseStale(new Date(now.getTime() - SENDING_LEASE_SECONDS * 1000), now, this.transport.resendable);
        const claimed = await this.outbox.claimDue(now, BATCH);
        // the last batch: what is left waiting, for /metrics (read on the pending rows' own index, in this same transaction)
        if (claimed.length < BATCH) this.metrics.outboxPending(tenant.id, await this.outbox.countPending());
        return claimed;
      });
      if (first) this.metrics.noticesHandled('recovered', report.recovered);
      for (const row of rows) {
        const outcome = await this.send(tenant, row);
        report[outcome] += 1;
        this.metrics.noticesHandled(outcome);
      }
      if (rows.length < BATCH) return report;
    }
  }

  private async send(tenant: Tenant, row: OutboxRow): Promise<'sent' | 'retrying' | 'failed'> {
    await this.faults?.beforeSend?.(row);
    let deliveredTo: string;
    try {
      deliveredTo = await this.transport.send({
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        dedupeKey: row.dedupeKey,
        to: row.recipient!,
        subject: row.subject,
        text: row.body,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const again = row.attempts < MAX_ATTEMPTS ? retryAt(this.clock.now(), row.attempts) : null;
      await this.transaction.run(tenant, () => this.outbox.markFailed(row.id, message, again));
      this.logger.warn({ tenant: tenant.slug, notice: row.dedupeKey, attempt: row.attempts, err: message }, again ? 'Notice not delivered; will retry' : 'Notice not delivered; giving up');
      return again ? 'retrying' : 'failed';
    }
    await this.faults?.afterSend?.(row);
    await this.transaction.run(tenant, () => this.outbox.markSent(row.id, this.clock.now(), deliveredTo));
    return 'sent';
  }
}
