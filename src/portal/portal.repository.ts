import { Injectable } from '@nestjs/common';
import type { AppointmentStatus } from '../appointments/appointment-status';
import { TenantContext } from '../tenancy/tenant-context';

/** One of the patient's own appointments, with what the portal shows of its doctor. */
export interface PortalAppointmentRow {
  readonly id: string;
  readonly doctorId: string;
  readonly doctorName: string;
  readonly specialty: string | null;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: AppointmentStatus;
  readonly cost: string | null;
  readonly hasPrescription: boolean;
}

export interface PatientFile {
  readonly id: string;
  readonly fullName: string;
  readonly fileNumber: string;
}

const APPOINTMENT = `
  SELECT a.id, a.doctor_id AS "doctorId", u.full_name AS "doctorName", s.name AS specialty, a.starts_at AS "startsAt", a.ends_at AS "endsAt",
         a.status, a.cost::text AS cost,
         EXISTS (SELECT 1 FROM consultations c JOIN prescriptions rx ON rx.consultation_id = c.id WHERE c.appointment_id = a.id) AS "hasPrescription"
    FROM appointments a
    JOIN doctors d ON d.id = a.doctor_id
    JOIN users u ON u.id = d.user_id
    LEFT JOIN specialties s ON s.id = d.specialty_id`;

/** Still ahead for the patient: not over, and neither cancelled, completed nor missed. */
const UPCOMING = `a.status IN ('scheduled', 'checked_in') AND a.ends_at > $2`;

/**
 * The portal's SQL. Every query about appointments takes the patient's own file id (from the session,
 * never from the request) and filters on it: another patient's rows cannot be read through here.
 */
@Injectable()
export class PortalRepository {
  constructor(private readonly context: TenantContext) {}

  /** The file whose portal identity is this user, if any. */
  async fileOf(userId: string): Promise<PatientFile | null> {
    const rows: PatientFile[] = await this.context.manager.query(
      `SELECT id, first_name || ' ' || last_name AS "fullName", file_number AS "fileNumber" FROM patients WHERE user_id = $1`,
      [userId],
    );
    return rows[0] ?? null;
  }

  /** Locks the patient's file for the rest of the transaction: one patient's bookings are checked and made one at a time. */
  async lockFile(patientId: string): Promise<void> {
    await this.context.manager.query('SELECT 1 FROM patients WHERE id = $1 FOR UPDATE', [patientId]);
  }

  async upcoming(patientId: string, now: Date): Promise<PortalAppointmentRow[]> {
    return this.context.manager.query(`${APPOINTMENT} WHERE a.patient_id = $1 AND ${UPCOMING} ORDER BY a.starts_at, a.id`, [patientId, now]);
  }

  /** The rest, newest first, one page at a time (`limit + 1` rows tell whether there is more). */
  async past(patientId: string, now: Date, limit: number, offset: number): Promise<PortalAppointmentRow[]> {
    return this.context.manager.query(
      `${APPOINTMENT} WHERE a.patient_id = $1 AND NOT (${UPCOMING}) ORDER BY a.starts_at DESC, a.id DESC LIMIT $3 OFFSET $4`,
      [patientId, now, limit, offset],
    );
  }

  async countUpcoming(patientId: string, now: Date): Promise<number> {
    const [row]: { n: number }[] = await this.context.manager.query(`SELECT count(*)::int AS n FROM appointments a WHERE a.patient_id = $1 AND ${UPCOMING}`, [
      patientId,
      now,
    ]);
    return row.n;
  }

  /** The patient's own appointment; null for an unknown id and for anyone else's. */
  async appointment(patientId: string, id: string): Promise<PortalAppointmentRow | null> {
    const rows: PortalAppointmentRow[] = await this.context.manager.query(`${APPOINTMENT} WHERE a.id = $1 AND a.patient_id = $2`, [id, patientId]);
    return rows[0] ?? null;
  }

  /** Another of the patient's own appointments (not cancelled) overlapping [startsAt, endsAt). */
  async overlapping(patientId: string, exceptId: string, startsAt: Date, endsAt: Date): Promise<PortalAppointmentRow | null> {
    const rows: PortalAppointmentRow[] = await this.context.manager.query(
      `${APPOINTMENT} WHERE a.patient_id = $1 AND a.id <> $2 AND a.status <> 'cancelled' AND a.starts_at < $4 AND a.ends_at > $3 LIMIT 1`,
      [patientId, exceptId, startsAt, endsAt],
    );
    return rows[0] ?? null;
  }

  /** The sum of the patient's unsettled no-show penalties above zero, or null when there are none. */
  async unpaidPenalty(patientId: string): Promise<string | null> {
    const [row]: { total: string | null }[] = await this.context.manager.query(
      `SELECT sum(amount)::text AS total FROM penalties WHERE patient_id = $1 AND status = 'unpaid' AND amount > 0`,
      [patientId],
    );
    return row.total;
  }
}
