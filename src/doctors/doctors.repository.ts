import { Injectable } from '@nestjs/common';
import { sqlState, violatedConstraint } from '../database/sql';
import { TenantContext } from '../tenancy/tenant-context';
import { hhmm } from './calendar-rules';
import type { Doctor, Leave, LeaveWithBookings, NewLeave, WorkingRange } from './doctor';

interface DoctorRow {
  id: string;
  userId: string;
  fullName: string;
  specialty: string | null;
  consultationFee: string;
  slotMinutes: number;
  isActive: boolean;
  hours: WorkingRange[];
  leave: Leave[];
}

/** The doctor's terms as they are, read under the row's lock. */
export interface LockedDoctor {
  readonly id: string;
  readonly fullName: string;
  readonly specialty: string | null;
  readonly consultationFee: string;
  readonly slotMinutes: number;
}

const EXCLUSION_VIOLATION = '23P01';

/** A doctor with their hours and every leave, in one statement. $1: one doctor's id or null; $2: only active doctors. */
const DOCTORS = `
  SELECT d.id, d.user_id AS "userId", u.full_name AS "fullName", s.name AS specialty,
         d.consultation_fee::text AS "consultationFee", d.slot_minutes AS "slotMinutes", u.is_active AS "isActive",
         (SELECT coalesce(json_agg(json_build_object('weekday', h.weekday, 'starts', h.starts::text, 'ends', h.ends::text)
                                   ORDER BY h.weekday, h.starts), '[]')
            FROM working_hours h WHERE h.doctor_id = d.id) AS hours,
         (SELECT coalesce(json_agg(json_build_object('id', l.id::text, 'startsOn', l.starts_on::text, 'endsOn', l.ends_on::text, 'reason', l.reason)
                                   ORDER BY l.starts_on), '[]')
            FROM doctor_leaves l WHERE l.doctor_id = d.id) AS leave
    FROM doctors d
    JOIN users u ON u.id = d.user_id
    LEFT JOIN specialties s ON s.id = d.specialty_id
   WHERE ($1::bigint IS NULL OR d.id = $1) AND (NOT $2::boolean OR u.is_active)
   ORDER BY u.full_name, d.id`;

/**
 * SQL on the clinic's doctors, their specialties, weekly hours and leave, always through the
 * request's tenant transaction. No rules here: the service decides.
 */
@Injectable()
export class DoctorsRepository {
  constructor(private readonly context: TenantContext) {}

  async list(onlyActive: boolean): Promise<Doctor[]> {
    const rows: DoctorRow[] = await this.context.manager.query(DOCTORS, [null, onlyActive]);
    return rows.map((row) => this.doctor(row));
  }

  async find(id: string, onlyActive = false): Promise<Doctor | null> {
    const rows: DoctorRow[] = await this.context.manager.query(DOCTORS, [id, onlyActive]);
    return rows[0] ? this.doctor(rows[0]) : null;
  }

  /**
   * Locks the doctor's row for the rest of the transaction, so that two saves of one doctor's week or
   * leave take turns. `NO KEY UPDATE` does not block bookings, which only need the row to stay.
   */
  async lock(id: string): Promise<LockedDoctor | null> {
    const rows: LockedDoctor[] = await this.context.manager.query(
      `SELECT d.id, u.full_name AS "fullName", s.name AS specialty, d.consultation_fee::text AS "consultationFee", d.slot_minutes AS "slotMinutes"
         FROM doctors d JOIN users u ON u.id = d.user_id LEFT JOIN specialties s ON s.id = d.specialty_id
        WHERE d.id = $1
          FOR NO KEY UPDATE OF d`,
      [id],
    );
    return rows[0] ?? null;
  }

  async specialtyNames(limit = 200): Promise<string[]> {
    const rows: { name: string }[] = await this.context.manager.query('SELECT name FROM specialties ORDER BY name LIMIT $1', [limit]);
    return rows.map((r) => r.name);
  }

  /**
   * The specialty's id, created when no specialty has this name in any letter case (`citext`). Two
   * requests creating the same new specialty both succeed: the second waits for the first and then
   * finds its row — in a statement of its own, since this statement's snapshot predates the other's commit.
   */
  async specialtyId(name: string): Promise<string> {
    const found: { id: string }[] = await this.context.manager.query(
      `WITH created AS (INSERT INTO specialties (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id)
       SELECT id FROM created UNION ALL SELECT id FROM specialties WHERE name = $1::citext LIMIT 1`,
      [name],
    );
    if (found[0]) return found[0].id;
    const [row]: { id: string }[] = await this.context.manager.query('SELECT id FROM specialties WHERE name = $1::citext', [name]);
    return row.id;
  }

  /** Sets the given terms; a field left undefined keeps its value. */
  async updateTerms(id: string, terms: { specialtyId?: string; consultationFee?: string; slotMinutes?: number }): Promise<void> {
    await this.context.manager.query(
      `WITH changed AS (
         UPDATE doctors SET specialty_id = coalesce($2::bigint, specialty_id),
                            consultation_fee = coalesce($3::numeric, consultation_fee),
                            slot_minutes = coalesce($4::integer, slot_minutes),
                            updated_at = now()
          WHERE id = $1 RETURNING id)
       SELECT id FROM changed`,
      [id, terms.specialtyId ?? null, terms.consultationFee ?? null, terms.slotMinutes ?? null],
    );
  }

  /**
   * Replaces the doctor's whole week. Returns false when the exclusion constraint
   * `working_hours_no_overlap` refused it (the rules let no overlap through; this is the backstop) —
   * the caller refuses the request, which rolls the transaction back.
   */
  async replaceHours(doctorId: string, ranges: readonly WorkingRange[]): Promise<boolean> {
    const manager = this.context.manager;
    await manager.query('WITH gone AS (DELETE FROM working_hours WHERE doctor_id = $1 RETURNING id) SELECT count(*) FROM gone', [doctorId]);
    if (ranges.length === 0) return true;
    try {
      await manager.query(
        `INSERT INTO working_hours (doctor_id, weekday, starts, ends)
         SELECT $1, r.weekday, r.starts, r.ends FROM unnest($2::smallint[], $3::time[], $4::time[]) AS r (weekday, starts, ends)`,
        [doctorId, ranges.map((r) => r.weekday), ranges.map((r) => r.starts), ranges.map((r) => r.ends)],
      );
      return true;
    } catch (error) {
      if (sqlState(error) === EXCLUSION_VIOLATION && violatedConstraint(error) === 'working_hours_no_overlap') return false;
      throw error;
    }
  }

  /** The new leave, or null when it overlaps one the doctor already has (the exclusion constraint said so). */
  async insertLeave(doctorId: string, leave: NewLeave): Promise<Leave | null> {
    const rows: Leave[] = await this.context.manager.query(
      `INSERT INTO doctor_leaves (doctor_id, starts_on, ends_on, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING
       RETURNING id::text, starts_on::text AS "startsOn", ends_on::text AS "endsOn", reason`,
      [doctorId, leave.startsOn, leave.endsOn, leave.reason],
    );
    return rows[0] ?? null;
  }

  /** The doctor's leave overlapping [startsOn, endsOn] (days included), earliest first. */
  async overlappingLeave(doctorId: string, startsOn: string, endsOn: string): Promise<Leave[]> {
    return this.context.manager.query(
      `SELECT id::text, starts_on::text AS "startsOn", ends_on::text AS "endsOn", reason
         FROM doctor_leaves
        WHERE doctor_id = $1 AND daterange(starts_on, ends_on, '[]') && daterange($2::date, $3::date, '[]')
        ORDER BY starts_on`,
      [doctorId, startsOn, endsOn],
    );
  }

  /** The removed leave, or null when the doctor has none with this id. */
  async deleteLeave(doctorId: string, leaveId: string): Promise<Leave | null> {
    const rows: Leave[] = await this.context.manager.query(
      `WITH gone AS (DELETE FROM doctor_leaves WHERE id = $2 AND doctor_id = $1 RETURNING id, starts_on, ends_on, reason)
       SELECT id::text, starts_on::text AS "startsOn", ends_on::text AS "endsOn", reason FROM gone`,
      [doctorId, leaveId],
    );
    return rows[0] ?? null;
  }

  /**
   * The doctor's leave with, for each, how many appointments still hold time inside it (scheduled or
   * checked in), the local days turned into instants in the clinic's zone by Postgres.
   */
  async leaveWithBookings(doctorId: string, zone: string): Promise<LeaveWithBookings[]> {
    return this.context.manager.query(
      `SELECT l.id::text, l.starts_on::text AS "startsOn", l.ends_on::text AS "endsOn", l.reason,
              (SELECT count(*)::int FROM appointments a
                WHERE a.doctor_id = l.doctor_id AND a.status IN ('scheduled', 'checked_in')
                  AND a.starts_at < ((l.ends_on + 1)::timestamp AT TIME ZONE $2)
                  AND a.ends_at > (l.starts_on::timestamp AT TIME ZONE $2)) AS "bookedAppointments"
         FROM doctor_leaves l WHERE l.doctor_id = $1
        ORDER BY l.starts_on`,
      [doctorId, zone],
    );
  }

  private doctor(row: DoctorRow): Doctor {
    return {
      ...row,
      currency: this.context.tenant.currency,
      hours: row.hours.map((h) => ({ weekday: h.weekday, starts: hhmm(h.starts), ends: hhmm(h.ends) })),
    };
  }
}
