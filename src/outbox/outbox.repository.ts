import { Injectable } from '@nestjs/common';
import { translate } from '../i18n/i18n';
import { TenantContext } from '../tenancy/tenant-context';
import type { Notice, OutboxRow, OutboxStatus } from './notice';

const COLUMNS = `
  o.id::text AS id, o.kind, o.dedupe_key AS "dedupeKey", o.patient_id::text AS "patientId",
  CASE WHEN p.id IS NULL THEN NULL ELSE p.first_name || ' ' || p.last_name END AS "patientName",
  o.appointment_id::text AS "appointmentId", o.recipient, o.subject, o.body, o.status, o.attempts,
  o.next_attempt_at AS "nextAttemptAt", o.claimed_at AS "claimedAt", o.sent_at AS "sentAt",
  o.last_error AS "lastError", o.delivered_to AS "deliveredTo", o.created_at AS "createdAt"`;

/** The clinic's outbox table, through its tenant transaction. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly context: TenantContext) {}

  /** Queues a notice unless one with its dedupe key exists; the new row's id, or null for a duplicate. */
  async insert(notice: Notice, status: OutboxStatus, now: Date): Promise<string | null> {
    const rows: { id: string }[] = await this.context.manager.query(
      `INSERT INTO outbox (kind, dedupe_key, patient_id, appointment_id, recipient, subject, body, payload, status, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id::text AS id`,
      [notice.kind, notice.dedupeKey, notice.patientId, notice.appointmentId, notice.recipient, notice.subject, notice.body, notice.payload ?? {}, status, now],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Notices waiting to be sent (for /metrics): read through the partial index of pending rows
   * (`outbox_due_idx`), so it costs what the backlog holds, not what the clinic ever sent.
   */
  async countPending(): Promise<number> {
    const rows: { n: number }[] = await this.context.manager.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`);
    return rows[0].n;
  }

  /**
   * Claims up to `limit` due rows: each is locked with FOR UPDATE SKIP LOCKED (another instance
   * claiming at the same moment takes other rows), then marked `sending` with its attempt counted.
   * Committed before anything is sent.
   */
  async claimDue(now: Date, limit: number): Promise<OutboxRow[]> {
    return this.context.manager.query(
      `WITH due AS (
         SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1
          ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1, claimed_at = $1
           FROM due WHERE o.id = due.id RETURNING o.*)
       SELECT ${COLUMNS} FROM claimed o LEFT JOIN patients p ON p.id = o.patient_id ORDER BY o.id`,
      [now, limit],
    );
  }

  /**
   * Rows left in `sending` by a process that stopped mid-send (claimed before `staleBefore`): back to
   * pending when sending again cannot reach the recipient twice, otherwise uncertain. Their number.
   */
  async releaseStale(staleBefore: Date, now: Date, resendable: boolean): Promise<number> {
    // kept with the row, so in the clinic's language like the notice itself
    const language = this.context.tenant.language;
    const rows: unknown[] = resendable
      ? await this.context.manager.query(
          `WITH released AS (
             UPDATE outbox SET status = 'pending', next_attempt_at = $2, last_error = $3
              WHERE status = 'sending' AND claimed_at < $1 RETURNING id)
           SELECT id FROM released`,
          [staleBefore, now, translate(language, 'outbox:lastError.stoppedRetrying')],
        )
      : await this.context.manager.query(
          `WITH released AS (
             UPDATE outbox SET status = 'uncertain', last_error = $2
              WHERE status = 'sending' AND claimed_at < $1 RETURNING id)
           SELECT id FROM released`,
          [staleBefore, translate(language, 'outbox:lastError.stoppedUncertain')],
        );
    return rows.length;
  }

  async markSent(id: string, at: Date, deliveredTo: string): Promise<void> {
    await this.context.manager.query(
      `UPDATE outbox SET status = 'sent', sent_at = $2, delivered_to = $3, last_error = NULL WHERE id = $1 AND status = 'sending'`,
      [id, at, deliveredTo],
    );
  }

  /** A failed attempt: pending again from `retryAt`, or failed for good when `retryAt` is null. */
  async markFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.context.manager.query(
      `UPDATE outbox SET status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
              next_attempt_at = coalesce($3, next_attempt_at), last_error = left($2, 1000)
        WHERE id = $1 AND status = 'sending'`,
      [id, error, retryAt],
    );
  }

  /** A person decided to send a failed or uncertain notice again. False if it is neither (any more). */
  async requeue(id: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await this.context.manager.query(
      `WITH requeued AS (UPDATE outbox SET status = 'pending', next_attempt_at = $2, attempts = 0 WHERE id = $1 AND status IN ('failed', 'uncertain') RETURNING id)
       SELECT id FROM requeued`,
      [id, now],
    );
    return rows.length === 1;
  }

  async find(id: string): Promise<OutboxRow | null> {
    const rows: OutboxRow[] = await this.context.manager.query(`SELECT ${COLUMNS} FROM outbox o LEFT JOIN patients p ON p.id = o.patient_id WHERE o.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Newest first, a page at a time, optionally of one status. */
  async list(status: OutboxStatus | undefined, limit: number, offset: number): Promise<OutboxRow[]> {
    return this.context.manager.query(
      `SELECT ${COLUMNS} FROM outbox o LEFT JOIN patients p ON p.id = o.patient_id
        WHERE ($1::text IS NULL OR o.status = $1)
        ORDER BY o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3`,
      [status ?? null, limit, offset],
    );
  }

  /** How many notices there are of each status. */
  async counts(): Promise<Record<string, number>> {
    const rows: { status: string; n: number }[] = await this.context.manager.query(`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}
