import { t } from '../i18n/i18n';

/** What a notice is about; each has its own wording (notices.ts) and dedupe key. */
export const NOTICE_KINDS = ['booking_confirmation', 'cancellation', 'no_show', 'reminder', 'waitlist_offer'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What a notice is, as the outbox page names it (in the reader's language). */
export const noticeLabel = (kind: NoticeKind): string => t(`outbox:kind.${kind}`);

/**
 * pending → sending (claimed, the attempt recorded before anything is sent) → sent; a failed attempt
 * goes back to pending with a later `next_attempt_at`, and after the last one to failed. A row a crash
 * left in sending is uncertain (it may or may not have reached the recipient). Skipped: nobody to send it to.
 */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'uncertain', 'skipped'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** A notice to queue, in the transaction of the change that causes it. */
export interface Notice {
  readonly kind: NoticeKind;
  /** The same key is never queued twice: e.g. `no_show:{appointmentId}`. */
  readonly dedupeKey: string;
  readonly patientId: string | null;
  readonly appointmentId: string | null;
  /** The patient's e-mail address, or null (then the row is kept as skipped). */
  readonly recipient: string | null;
  readonly subject: string;
  readonly body: string;
  readonly payload?: Record<string, unknown>;
}

/** A queued notice as the sender and the outbox page see it. */
export interface OutboxRow {
  readonly id: string;
  readonly kind: NoticeKind;
  readonly dedupeKey: string;
  readonly patientId: string | null;
  readonly patientName: string | null;
  readonly appointmentId: string | null;
  readonly recipient: string | null;
  readonly subject: string;
  readonly body: string;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly claimedAt: Date | null;
  readonly sentAt: Date | null;
  readonly lastError: string | null;
  readonly deliveredTo: string | null;
  readonly createdAt: Date;
}

/** Attempts before a notice is given up as failed, and the wait before each retry (then the last one repeats). */
export const MAX_ATTEMPTS = 6;
const RETRY_DELAYS_SECONDS = [60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600];

/** When to try again after `attempts` failed attempts. */
export function retryAt(now: Date, attempts: number): Date {
  const delay = RETRY_DELAYS_SECONDS[Math.min(attempts, RETRY_DELAYS_SECONDS.length) - 1] ?? RETRY_DELAYS_SECONDS[0];
  return new Date(now.getTime() + delay * 1000);
}

/** A claimed row still in `sending` this long after its claim was left by a process that stopped mid-send. */
export const SENDING_LEASE_SECONDS = 10 * 60;
