import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';

/** What the audit log records; one verb per event, `area.event`. */
export type AuditAction =
  | 'auth.signed_in'
  | 'auth.sign_in_failed'
  | 'auth.account_locked'
  | 'auth.sign_in_refused'
  | 'auth.signed_out'
  | 'staff.created'
  | 'staff.deactivated'
  | 'staff.reactivated'
  | 'staff.password_reset'
  | 'doctor.updated'
  | 'doctor.hours_changed'
  | 'doctor.leave_added'
  | 'doctor.leave_removed'
  | 'patient.created'
  | 'patient.updated'
  | 'patient.history_viewed'
  | 'patient.exported'
  | 'appointment.booked'
  | 'appointment.rescheduled'
  | 'appointment.checked_in'
  | 'appointment.cancelled'
  | 'appointment.no_show'
  | 'visit.completed'
  | 'visit.amended'
  | 'follow_up.dismissed'
  | 'follow_up.booked'
  | 'settings.updated'
  | 'invoice.paid'
  | 'invoice.voided'
  | 'notice.requeued'
  | 'penalty.waived'
  | 'penalty.paid'
  | 'appointment.no_show_reversed'
  | 'appointment.confirmed'
  | 'waitlist.added'
  | 'waitlist.removed'
  | 'waitlist.booked';

export interface AuditEntry {
  readonly action: AuditAction;
  readonly actorId?: string | null;
  readonly entity?: string;
  readonly entityId?: string;
  readonly details?: Record<string, unknown>;
  readonly ip?: string;
}

export interface AuditRecord {
  readonly id: string;
  readonly at: Date;
  readonly actorId: string | null;
  readonly action: AuditAction;
  readonly entity: string | null;
  readonly entityId: string | null;
  readonly details: Record<string, unknown>;
  readonly ip: string | null;
}

/** The clinic's audit log, written in the request's own transaction: an event is logged exactly when its effect commits. */
@Injectable()
export class AuditService {
  constructor(private readonly context: TenantContext) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.context.manager.query(
      'INSERT INTO audit_log (actor_id, action, entity, entity_id, details, ip) VALUES ($1, $2, $3, $4, $5, $6)',
      [entry.actorId ?? null, entry.action, entry.entity ?? null, entry.entityId ?? null, entry.details ?? {}, validIp(entry.ip)],
    );
  }

  /** Newest first. */
  recent(limit = 50): Promise<AuditRecord[]> {
    return this.context.manager.query(
      `SELECT id, at, actor_id AS "actorId", action, entity, entity_id AS "entityId", details, host(ip) AS ip
         FROM audit_log ORDER BY at DESC, id DESC LIMIT $1`,
      [limit],
    );
  }
}

/** `inet` refuses anything that is not an address; a missing or odd one is recorded as unknown rather than failing the event. */
function validIp(ip: string | undefined): string | null {
  if (!ip) return null;
  const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return /^[0-9a-fA-F:.]{2,45}$/.test(plain) ? plain : null;
}
