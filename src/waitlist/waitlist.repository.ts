import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';

export type WaitlistStatus = 'waiting' | 'booked' | 'removed';

export interface WaitlistEntry {
  readonly id: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly fileNumber: string;
  readonly email: string | null;
  readonly doctorId: string;
  readonly doctorName: string;
  /** Both included, the clinic's dates. */
  readonly fromDate: string;
  readonly toDate: string;
  readonly status: WaitlistStatus;
  readonly notes: string | null;
  readonly appointmentId: string | null;
  readonly createdAt: Date;
}

const ENTRY = `
  SELECT w.id::text AS id, w.patient_id::text AS "patientId", p.first_name || ' ' || p.last_name AS "patientName", p.file_number AS "fileNumber",
         p.email, w.doctor_id::text AS "doctorId", du.full_name AS "doctorName", w.from_date::text AS "fromDate", w.to_date::text AS "toDate",
         w.status, w.notes, w.appointment_id::text AS "appointmentId", w.created_at AS "createdAt"
    FROM waitlist w JOIN patients p ON p.id = w.patient_id JOIN doctors d ON d.id = w.doctor_id JOIN users du ON du.id = d.user_id`;

/** The clinic's waitlist, through its transaction. */
@Injectable()
export class WaitlistRepository {
  constructor(private readonly context: TenantContext) {}

  /** A new wait; null when the patient already waits for this doctor (one open wait each). */
  async insert(e: { patientId: string; doctorId: string; fromDate: string; toDate: string; notes: string | null; createdBy: string | null }, now: Date): Promise<string | null> {
    const rows: { id: string }[] = await this.context.manager.query(
      `INSERT INTO waitlist (patient_id, doctor_id, from_date, to_date, notes, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (patient_id, doctor_id) WHERE status = 'waiting' DO NOTHING RETURNING id::text AS id`,
      [e.patientId, e.doctorId, e.fromDate, e.toDate, e.notes, e.createdBy, now],
    );
    return rows[0]?.id ?? null;
  }

  async find(id: string, lock = false): Promise<WaitlistEntry | null> {
    const rows: WaitlistEntry[] = await this.context.manager.query(`${ENTRY} WHERE w.id = $1${lock ? ' FOR UPDATE OF w' : ''}`, [id]);
    return rows[0] ?? null;
  }

  /** Open waits, oldest first: the order offers go out in. */
  async waiting(filter: { doctorId?: string; patientId?: string }, limit = 200): Promise<WaitlistEntry[]> {
    return this.context.manager.query(
      `${ENTRY} WHERE w.status = 'waiting' AND ($1::bigint IS NULL OR w.doctor_id = $1) AND ($2::bigint IS NULL OR w.patient_id = $2)
        ORDER BY w.created_at, w.id LIMIT $3`,
      [filter.doctorId ?? null, filter.patientId ?? null, limit],
    );
  }

  /** Who waits for this doctor on this date, in the order they asked. */
  async waitingFor(doctorId: string, date: string, limit: number): Promise<WaitlistEntry[]> {
    return this.context.manager.query(
      `${ENTRY} WHERE w.status = 'waiting' AND w.doctor_id = $1 AND $2::date BETWEEN w.from_date AND w.to_date ORDER BY w.created_at, w.id LIMIT $3`,
      [doctorId, date, limit],
    );
  }

  async close(id: string, status: 'booked' | 'removed', now: Date, appointmentId: string | null = null): Promise<boolean> {
    const rows: unknown[] = await this.context.manager.query(
      `WITH closed AS (UPDATE waitlist SET status = $2, closed_at = $3, appointment_id = $4 WHERE id = $1 AND status = 'waiting' RETURNING id)
       SELECT id FROM closed`,
      [id, status, now, appointmentId],
    );
    return rows.length === 1;
  }

  async doctorIsActive(doctorId: string): Promise<{ fullName: string; isActive: boolean } | null> {
    const rows: { fullName: string; isActive: boolean }[] = await this.context.manager.query(
      `SELECT u.full_name AS "fullName", u.is_active AS "isActive" FROM doctors d JOIN users u ON u.id = d.user_id WHERE d.id = $1`,
      [doctorId],
    );
    return rows[0] ?? null;
  }

  async patientExists(patientId: string): Promise<boolean> {
    const rows: unknown[] = await this.context.manager.query('SELECT 1 FROM patients WHERE id = $1', [patientId]);
    return rows.length === 1;
  }

  /** The signed-in patient's own file (the portal): by construction, never another's. */
  async fileOfUser(userId: string): Promise<string | null> {
    const rows: { id: string }[] = await this.context.manager.query('SELECT id::text AS id FROM patients WHERE user_id = $1', [userId]);
    return rows[0]?.id ?? null;
  }
}
