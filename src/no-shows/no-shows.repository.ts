import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';
import type { Penalty } from './penalty';

export interface MarkedNoShow {
  readonly id: string;
  readonly patientId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

export interface NoShowMetrics {
  readonly totals: { appointments: number; noShows: number; lateCancellations: number };
  readonly doctors: { id: string; fullName: string; appointments: number; noShows: number; lateCancellations: number }[];
  readonly patients: { id: string; fullName: string; fileNumber: string; noShows: number; unpaid: string }[];
  readonly outstanding: { count: number; amount: string };
}

const PENALTY = `
  SELECT pe.id::text AS id, pe.appointment_id::text AS "appointmentId", pe.patient_id::text AS "patientId",
         p.first_name || ' ' || p.last_name AS "patientName", p.file_number AS "fileNumber", du.full_name AS "doctorName",
         a.starts_at AS "startsAt", pe.amount::text AS amount, pe.status, pe.settled_at AS "settledAt", pe.waive_reason AS "waiveReason",
         pe.created_at AS "createdAt"
    FROM penalties pe JOIN patients p ON p.id = pe.patient_id JOIN appointments a ON a.id = pe.appointment_id
    JOIN doctors d ON d.id = a.doctor_id JOIN users du ON du.id = d.user_id`;

/** No-shows and their penalties, through the clinic's transaction. */
@Injectable()
export class NoShowsRepository {
  constructor(private readonly context: TenantContext) {}

  /**
   * Marks up to `limit` scheduled appointments that ended before `endedBefore` as no-shows, and
   * returns them. Rows another transaction holds (a check-in at this very moment) are skipped, not
   * waited for: the next sweep sees them as they then are. Never touches anything but `scheduled`.
   */
  async markOverdue(endedBefore: Date, now: Date, limit: number): Promise<MarkedNoShow[]> {
    return this.context.manager.query(
      `WITH overdue AS (
         SELECT id FROM appointments WHERE status = 'scheduled' AND ends_at < $1
          ORDER BY ends_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),
       marked AS (
         UPDATE appointments a SET status = 'no_show', no_show_at = $2, no_show_by = NULL, updated_at = $2
           FROM overdue WHERE a.id = overdue.id AND a.status = 'scheduled'
         RETURNING a.id::text AS id, a.patient_id::text AS "patientId", a.starts_at AS "startsAt", a.ends_at AS "endsAt")
       SELECT * FROM marked ORDER BY "endsAt", id::bigint`,
      [endedBefore, now, limit],
    );
  }

  /** The no-show's one penalty (UNIQUE(appointment_id)): its id, or null when it already has one. */
  async insertPenalty(appointmentId: string, patientId: string, amount: string, now: Date): Promise<string | null> {
    const rows: { id: string }[] = await this.context.manager.query(
      `INSERT INTO penalties (appointment_id, patient_id, amount, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (appointment_id) DO NOTHING RETURNING id::text AS id`,
      [appointmentId, patientId, amount, now],
    );
    return rows[0]?.id ?? null;
  }

  async penalty(id: string, options: { lock?: boolean } = {}): Promise<Penalty | null> {
    const rows: Penalty[] = await this.context.manager.query(`${PENALTY} WHERE pe.id = $1${options.lock ? ' FOR UPDATE OF pe' : ''}`, [id]);
    return rows[0] ?? null;
  }

  async penaltyOfAppointment(appointmentId: string): Promise<Penalty | null> {
    const rows: Penalty[] = await this.context.manager.query(`${PENALTY} WHERE pe.appointment_id = $1 FOR UPDATE OF pe`, [appointmentId]);
    return rows[0] ?? null;
  }

  async patientExists(patientId: string): Promise<boolean> {
    const rows: unknown[] = await this.context.manager.query('SELECT 1 FROM patients WHERE id = $1', [patientId]);
    return rows.length === 1;
  }

  async penaltiesOf(patientId: string): Promise<Penalty[]> {
    return this.context.manager.query(`${PENALTY} WHERE pe.patient_id = $1 ORDER BY a.starts_at DESC, pe.id DESC`, [patientId]);
  }

  /** Unsettled penalties above zero, oldest first. */
  async unpaid(limit: number): Promise<Penalty[]> {
    return this.context.manager.query(`${PENALTY} WHERE pe.status = 'unpaid' AND pe.amount > 0 ORDER BY a.starts_at, pe.id LIMIT $1`, [limit]);
  }

  async settle(id: string, status: 'paid' | 'waived', by: string, now: Date, reason: string | null): Promise<boolean> {
    const rows: unknown[] = await this.context.manager.query(
      `WITH settled AS (UPDATE penalties SET status = $2, settled_at = $4, settled_by = $3, waive_reason = $5 WHERE id = $1 AND status = 'unpaid' RETURNING id)
       SELECT id FROM settled`,
      [id, status, by, now, reason],
    );
    return rows.length === 1;
  }

  /** A mistaken no-show: the patient was there after all (checked in, so the doctor can still complete the visit). */
  async reverse(appointmentId: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await this.context.manager.query(
      `WITH reversed AS (
         UPDATE appointments SET status = 'checked_in', checked_in_at = coalesce(checked_in_at, $2), no_show_at = NULL, no_show_by = NULL, updated_at = $2
          WHERE id = $1 AND status = 'no_show' RETURNING id)
       SELECT id FROM reversed`,
      [appointmentId, now],
    );
    return rows.length === 1;
  }

  /** No-shows and late cancellations among the appointments starting in [start, end), optionally of some doctors. */
  async metrics(start: Date, end: Date, doctorIds: readonly string[]): Promise<NoShowMetrics> {
    const rows: { metrics: NoShowMetrics }[] = await this.context.manager.query(
      `WITH period AS (
         SELECT a.* FROM appointments a
          WHERE a.starts_at >= $1 AND a.starts_at < $2 AND (cardinality($3::bigint[]) = 0 OR a.doctor_id = ANY($3::bigint[]))),
       by_doctor AS (
         SELECT d.id::text AS id, du.full_name AS "fullName", count(*)::int AS appointments,
                count(*) FILTER (WHERE a.status = 'no_show')::int AS "noShows",
                count(*) FILTER (WHERE a.late_cancellation)::int AS "lateCancellations"
           FROM period a JOIN doctors d ON d.id = a.doctor_id JOIN users du ON du.id = d.user_id
          GROUP BY d.id, du.full_name),
       by_patient AS (
         SELECT p.id::text AS id, p.first_name || ' ' || p.last_name AS "fullName", p.file_number AS "fileNumber", count(*)::int AS "noShows",
                coalesce((SELECT sum(pe.amount) FROM penalties pe WHERE pe.patient_id = p.id AND pe.status = 'unpaid'), 0)::text AS unpaid
           FROM period a JOIN patients p ON p.id = a.patient_id WHERE a.status = 'no_show'
          GROUP BY p.id ORDER BY count(*) DESC, p.last_name, p.id LIMIT 20)
       SELECT json_build_object(
         'totals', (SELECT json_build_object('appointments', count(*), 'noShows', count(*) FILTER (WHERE status = 'no_show'),
                                              'lateCancellations', count(*) FILTER (WHERE late_cancellation)) FROM period),
         'doctors', coalesce((SELECT json_agg(b ORDER BY b."noShows" DESC, b."fullName") FROM by_doctor b), '[]'),
         'patients', coalesce((SELECT json_agg(b ORDER BY b."noShows" DESC, b."fullName") FROM by_patient b), '[]'),
         'outstanding', (SELECT json_build_object('count', count(*), 'amount', coalesce(sum(amount), 0)::text)
                           FROM penalties WHERE status = 'unpaid' AND amount > 0)) AS metrics`,
      [start, end, doctorIds],
    );
    return rows[0].metrics;
  }
}
