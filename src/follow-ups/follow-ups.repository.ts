import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';
import type { FollowUp, FollowUpStatus } from './follow-up';

const ROW = `
  SELECT f.id, f.status, f.due_on::text AS "dueOn", f.note, f.patient_id AS "patientId",
         p.first_name || ' ' || p.last_name AS "patientName", p.file_number AS "fileNumber",
         f.doctor_id AS "doctorId", u.full_name AS "doctorName", c.appointment_id AS "visitId",
         f.appointment_id AS "appointmentId", f.created_at AS "createdAt", f.updated_at AS "updatedAt"
    FROM follow_ups f
    JOIN consultations c ON c.id = f.consultation_id
    JOIN patients p ON p.id = f.patient_id
    JOIN doctors d ON d.id = f.doctor_id
    JOIN users u ON u.id = d.user_id`;

/** At most this many rows in one list: the open list is a to-do list, not an archive. */
const LIST_LIMIT = 200;

/** The SQL of follow-ups, through the request's tenant transaction. */
@Injectable()
export class FollowUpsRepository {
  constructor(private readonly context: TenantContext) {}

  /** Due date first (the open list is served by `follow_ups_open_idx`), newest changes first for closed ones. */
  list(status: FollowUpStatus): Promise<FollowUp[]> {
    const order = status === 'open' ? 'f.due_on, f.id' : 'f.updated_at DESC, f.id DESC';
    return this.context.manager.query(`${ROW} WHERE f.status = $1 ORDER BY ${order} LIMIT ${LIST_LIMIT}`, [status]);
  }

  forPatient(patientId: string): Promise<FollowUp[]> {
    return this.context.manager.query(`${ROW} WHERE f.patient_id = $1 ORDER BY f.created_at DESC, f.id DESC LIMIT ${LIST_LIMIT}`, [patientId]);
  }

  async get(id: string): Promise<FollowUp | undefined> {
    const rows: FollowUp[] = await this.context.manager.query(`${ROW} WHERE f.id = $1`, [id]);
    return rows[0];
  }

  /**
   * Closes an open follow-up; false when it is not open (any more). The UPDATE sits in a CTE so the
   * driver answers rows, as for any SELECT.
   */
  async close(id: string, status: 'booked' | 'dismissed', appointmentId: string | null): Promise<boolean> {
    const rows: unknown[] = await this.context.manager.query(
      `WITH closed AS (
         UPDATE follow_ups SET status = $2, appointment_id = $3, updated_at = now() WHERE id = $1 AND status = 'open' RETURNING id)
       SELECT id FROM closed`,
      [id, status, appointmentId],
    );
    return rows.length > 0;
  }
}
