import { Injectable } from '@nestjs/common';
import { sqlState } from '../database/sql';
import { TenantContext } from '../tenancy/tenant-context';
import type { AppointmentStatus } from './appointment-status';
import type { Booked, LeaveRange, WorkingRange } from './slots';

/** What booking needs to know of a doctor for one day, read in one round trip. */
export interface DoctorDay {
  readonly id: string;
  readonly fullName: string;
  readonly fee: string;
  readonly slotMinutes: number;
  readonly isActive: boolean;
  readonly hours: WorkingRange[];
  readonly leave: LeaveRange[];
  readonly booked: Booked[];
}

export interface AppointmentRow {
  readonly id: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly fileNumber: string;
  readonly doctorId: string;
  readonly doctorName: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: AppointmentStatus;
  readonly isPriority: boolean;
  readonly cost: string | null;
  readonly notes: string | null;
  readonly cancelReason: string | null;
  readonly lateCancellation: boolean;
  readonly confirmedAt: Date | null;
}

export interface NewAppointment {
  readonly patientId: string;
  readonly doctorId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly cost: string;
  readonly isPriority: boolean;
  readonly notes: string | null;
  readonly createdBy: string | null;
  /** The app's clock (the reminders compare it with the start). */
  readonly createdAt: Date;
}

const EXCLUSION_VIOLATION = '23P01';

const ROW = `
  SELECT a.id, a.patient_id AS "patientId", p.first_name || ' ' || p.last_name AS "patientName", p.file_number AS "fileNumber",
         a.doctor_id AS "doctorId", u.full_name AS "doctorName", a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.status,
         a.is_priority AS "isPriority", a.cost::text AS cost, a.notes, a.cancel_reason AS "cancelReason",
         a.late_cancellation AS "lateCancellation", a.confirmed_at AS "confirmedAt"
    FROM appointments a
    JOIN patients p ON p.id = a.patient_id
    JOIN doctors d ON d.id = a.doctor_id
    JOIN users u ON u.id = d.user_id`;

/** The SQL of booking and of the appointment lifecycle, through the request's tenant transaction. */
@Injectable()
export class AppointmentsRepository {
  constructor(private readonly context: TenantContext) {}

  /** The doctor's terms, that weekday's hours, leave on that date and bookings overlapping [from, to) — or null. */
  async doctorDay(doctorId: string, date: string, weekday: number, from: Date, to: Date, exceptAppointment?: string): Promise<DoctorDay | null> {
    const rows: (Omit<DoctorDay, 'booked'> & { booked: { startsAt: string; endsAt: string }[] })[] = await this.context.manager.query(
      `SELECT d.id, u.full_name AS "fullName", d.consultation_fee::text AS fee, d.slot_minutes AS "slotMinutes", u.is_active AS "isActive",
              (SELECT coalesce(json_agg(json_build_object('weekday', h.weekday, 'starts', h.starts::text, 'ends', h.ends::text)), '[]')
                 FROM working_hours h WHERE h.doctor_id = d.id AND h.weekday = $3) AS hours,
              (SELECT coalesce(json_agg(json_build_object('startsOn', l.starts_on::text, 'endsOn', l.ends_on::text)), '[]')
                 FROM doctor_leaves l WHERE l.doctor_id = d.id AND $2::date BETWEEN l.starts_on AND l.ends_on) AS leave,
              (SELECT coalesce(json_agg(json_build_object('startsAt', a.starts_at, 'endsAt', a.ends_at)), '[]')
                 FROM appointments a
                WHERE a.doctor_id = d.id AND a.status <> 'cancelled' AND a.starts_at < $5 AND a.ends_at > $4
                  AND a.id IS DISTINCT FROM $6::bigint) AS booked
         FROM doctors d JOIN users u ON u.id = d.user_id
        WHERE d.id = $1`,
      [doctorId, date, weekday, from, to, exceptAppointment ?? null],
    );
    const row = rows[0];
    if (!row) return null;
    return { ...row, booked: row.booked.map((b) => ({ startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt) })) };
  }

  async patientExists(patientId: string): Promise<boolean> {
    const rows: unknown[] = await this.context.manager.query('SELECT 1 FROM patients WHERE id = $1', [patientId]);
    return rows.length === 1;
  }

  /** The new appointment's id, or null when the doctor already has one overlapping (the exclusion constraint said so). */
  async insert(a: NewAppointment): Promise<string | null> {
    const rows: { id: string }[] = await this.context.manager.query(
      `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, cost, is_priority, notes, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
       ON CONFLICT DO NOTHING RETURNING id`,
      [a.patientId, a.doctorId, a.startsAt, a.endsAt, a.cost, a.isPriority, a.notes, a.createdBy, a.createdAt],
    );
    return rows[0]?.id ?? null;
  }

  /** Locks the appointment row for the rest of the transaction. */
  async lock(id: string): Promise<AppointmentRow | null> {
    const rows: AppointmentRow[] = await this.context.manager.query(`${ROW} WHERE a.id = $1 FOR UPDATE OF a`, [id]);
    return rows[0] ?? null;
  }

  async find(id: string): Promise<AppointmentRow | null> {
    const rows: AppointmentRow[] = await this.context.manager.query(`${ROW} WHERE a.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Moves the appointment; false when the new time overlaps another booking (the transaction stays usable). */
  async move(id: string, doctorId: string, startsAt: Date, endsAt: Date): Promise<boolean> {
    const manager = this.context.manager;
    await manager.query('SAVEPOINT move_appointment');
    try {
      await manager.query('UPDATE appointments SET doctor_id = $2, starts_at = $3, ends_at = $4, updated_at = now() WHERE id = $1', [id, doctorId, startsAt, endsAt]);
      await manager.query('RELEASE SAVEPOINT move_appointment');
      return true;
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT move_appointment');
      if (sqlState(error) === EXCLUSION_VIOLATION) return false;
      throw error;
    }
  }

  /** A status change; a cancellation says why and whether it came inside the cut-off, a no-show who marked it. */
  async setStatus(id: string, status: AppointmentStatus, now: Date, change: { cancelReason?: string; lateCancellation?: boolean; actorId?: string | null } = {}): Promise<void> {
    await this.context.manager.query(
      `UPDATE appointments
          SET status = $2, updated_at = now(),
              checked_in_at = CASE WHEN $2 = 'checked_in' THEN $3::timestamptz ELSE checked_in_at END,
              cancelled_at = CASE WHEN $2 = 'cancelled' THEN $3::timestamptz ELSE cancelled_at END,
              cancel_reason = CASE WHEN $2 = 'cancelled' THEN $4 ELSE cancel_reason END,
              late_cancellation = ($2 = 'cancelled' AND $5),
              no_show_at = CASE WHEN $2 = 'no_show' THEN $3::timestamptz END,
              no_show_by = CASE WHEN $2 = 'no_show' THEN $6::bigint END
        WHERE id = $1`,
      [id, status, now, change.cancelReason ?? null, change.lateCancellation ?? false, change.actorId ?? null],
    );
  }

  /** Appointments starting in [from, to), by doctor then time, priority first within a time. */
  async between(from: Date, to: Date, filter: { doctorId?: string; status?: AppointmentStatus } = {}): Promise<AppointmentRow[]> {
    return this.context.manager.query(
      `${ROW}
        WHERE a.starts_at >= $1 AND a.starts_at < $2
          AND ($3::bigint IS NULL OR a.doctor_id = $3) AND ($4::text IS NULL OR a.status = $4)
        ORDER BY u.full_name, a.doctor_id, a.starts_at, a.is_priority DESC, a.id`,
      [from, to, filter.doctorId ?? null, filter.status ?? null],
    );
  }

  /** Active doctors to book with. */
  async doctors(): Promise<{ id: string; fullName: string; specialty: string | null; fee: string; slotMinutes: number }[]> {
    return this.context.manager.query(
      `SELECT d.id, u.full_name AS "fullName", s.name AS specialty, d.consultation_fee::text AS fee, d.slot_minutes AS "slotMinutes"
         FROM doctors d JOIN users u ON u.id = d.user_id LEFT JOIN specialties s ON s.id = d.specialty_id
        WHERE u.is_active ORDER BY u.full_name, d.id`,
    );
  }

  async patientSummary(patientId: string): Promise<{ id: string; fullName: string; fileNumber: string } | null> {
    const rows: { id: string; fullName: string; fileNumber: string }[] = await this.context.manager.query(
      `SELECT id, first_name || ' ' || last_name AS "fullName", file_number AS "fileNumber" FROM patients WHERE id = $1`,
      [patientId],
    );
    return rows[0] ?? null;
  }
}
