import { Injectable } from '@nestjs/common';
import type { AppointmentStatus } from '../appointments/appointment-status';
import { TenantContext } from '../tenancy/tenant-context';

/** The doctor a signed-in user is. */
export interface DoctorOfUser {
  readonly id: string;
  readonly fullName: string;
}

export interface QueueRow {
  readonly id: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly fileNumber: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: AppointmentStatus;
  readonly isPriority: boolean;
}

/** What the doctor's patient list adds to each file of a search page. */
export interface PatientVisitsRow {
  readonly patientId: string;
  readonly next: { readonly id: string; readonly startsAt: string; readonly status: AppointmentStatus } | null;
  readonly last: { readonly id: string; readonly startsAt: string; readonly diagnosis: string | null; readonly doctorName: string } | null;
}

export interface VisitRow {
  readonly consultationId: string;
  readonly appointmentId: string;
  readonly startsAt: Date;
  readonly doctorName: string;
  readonly symptoms: string;
  readonly diagnosis: string;
  readonly notes: string;
  readonly prescriptions: { medicationName: string; dosage: string; duration: string; instructions: string }[];
  readonly requirements: { kind: string; description: string }[];
  readonly amendments: { text: string; authorName: string | null; createdAt: string }[];
}

/** The SQL of the doctor's console, through the request's tenant transaction. */
@Injectable()
export class ScheduleRepository {
  constructor(private readonly context: TenantContext) {}

  async doctorOfUser(userId: string): Promise<DoctorOfUser | null> {
    const rows: DoctorOfUser[] = await this.context.manager.query(
      `SELECT d.id, u.full_name AS "fullName" FROM doctors d JOIN users u ON u.id = d.user_id WHERE d.user_id = $1`,
      [userId],
    );
    return rows[0] ?? null;
  }

  /** The doctor's appointments starting in [from, to): by time, priority first within a time. */
  queue(doctorId: string, from: Date, to: Date): Promise<QueueRow[]> {
    return this.context.manager.query(
      `SELECT a.id, a.patient_id AS "patientId", p.first_name || ' ' || p.last_name AS "patientName", p.file_number AS "fileNumber",
              a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.status, a.is_priority AS "isPriority"
         FROM appointments a
         JOIN patients p ON p.id = a.patient_id
        WHERE a.doctor_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3
        ORDER BY a.starts_at, a.is_priority DESC, a.id`,
      [doctorId, from, to],
    );
  }

  /**
   * For each file: the next appointment with this doctor (from `now`, still to be seen) and the last
   * completed visit with any doctor, with its diagnosis. One round trip for the whole page.
   */
  visitsOf(patientIds: readonly string[], doctorId: string | null, now: Date): Promise<PatientVisitsRow[]> {
    if (patientIds.length === 0) return Promise.resolve([]);
    return this.context.manager.query(
      `SELECT ids.id::text AS "patientId",
              (SELECT json_build_object('id', a.id::text, 'startsAt', a.starts_at, 'status', a.status)
                 FROM appointments a
                WHERE a.patient_id = ids.id AND a.doctor_id = $2 AND a.starts_at >= $3 AND a.status IN ('scheduled', 'checked_in')
                ORDER BY a.starts_at LIMIT 1) AS next,
              (SELECT json_build_object('id', a.id::text, 'startsAt', a.starts_at, 'diagnosis', c.diagnosis, 'doctorName', u.full_name)
                 FROM appointments a
                 JOIN doctors d ON d.id = a.doctor_id
                 JOIN users u ON u.id = d.user_id
                 LEFT JOIN consultations c ON c.appointment_id = a.id
                WHERE a.patient_id = ids.id AND a.status = 'completed'
                ORDER BY a.starts_at DESC, a.id DESC LIMIT 1) AS last
         FROM unnest($1::bigint[]) AS ids(id)`,
      [patientIds, doctorId, now],
    );
  }

  async countVisits(patientId: string): Promise<number> {
    const rows: { count: number }[] = await this.context.manager.query(
      `SELECT count(*)::int AS count
         FROM consultations c JOIN appointments a ON a.id = c.appointment_id
        WHERE a.patient_id = $1 AND a.status = 'completed'`,
      [patientId],
    );
    return rows[0].count;
  }

  /** A page of the patient's completed visits, newest first, each with its prescriptions, requirements and amendments (oldest first). */
  visits(patientId: string, limit: number, offset: number): Promise<VisitRow[]> {
    return this.context.manager.query(
      `SELECT c.id AS "consultationId", a.id AS "appointmentId", a.starts_at AS "startsAt", u.full_name AS "doctorName",
              c.symptoms, c.diagnosis, c.notes,
              (SELECT coalesce(json_agg(json_build_object('medicationName', rx.medication_name, 'dosage', rx.dosage,
                                                          'duration', rx.duration, 'instructions', rx.instructions) ORDER BY rx.position), '[]')
                 FROM prescriptions rx WHERE rx.consultation_id = c.id) AS prescriptions,
              (SELECT coalesce(json_agg(json_build_object('kind', r.kind, 'description', r.description) ORDER BY r.position), '[]')
                 FROM requirements r WHERE r.consultation_id = c.id) AS requirements,
              (SELECT coalesce(json_agg(json_build_object('text', m.text, 'authorName', au.full_name, 'createdAt', m.created_at)
                                        ORDER BY m.created_at, m.id), '[]')
                 FROM consultation_amendments m LEFT JOIN users au ON au.id = m.created_by
                WHERE m.consultation_id = c.id) AS amendments
         FROM consultations c
         JOIN appointments a ON a.id = c.appointment_id
         JOIN doctors d ON d.id = a.doctor_id
         JOIN users u ON u.id = d.user_id
        WHERE a.patient_id = $1 AND a.status = 'completed'
        ORDER BY a.starts_at DESC, c.id DESC
        LIMIT $2 OFFSET $3`,
      [patientId, limit, offset],
    );
  }
}
