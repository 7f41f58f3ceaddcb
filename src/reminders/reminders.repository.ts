import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';

/** The reminder sweep's SQL, through the clinic's transaction. */
@Injectable()
export class RemindersRepository {
  constructor(private readonly context: TenantContext) {}

  /**
   * Takes up to `limit` scheduled appointments starting within `hours` of `now` that have no
   * reminder for their current time yet, and records that they have one (so a moved appointment is
   * reminded again). Appointments booked inside that window are left out: their booking confirmation
   * has just gone. Rows another transaction holds are skipped, not waited for.
   */
  async takeDue(now: Date, hours: number, limit: number): Promise<{ id: string; startsAt: Date }[]> {
    return this.context.manager.query(
      `WITH due AS (
         SELECT id FROM appointments
          WHERE status = 'scheduled' AND starts_at > $1 AND starts_at <= $1 + make_interval(hours => $2)
            AND created_at <= starts_at - make_interval(hours => $2)
            AND reminder_queued_for IS DISTINCT FROM starts_at
          ORDER BY starts_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
       , taken AS (UPDATE appointments a SET reminder_queued_for = a.starts_at FROM due WHERE a.id = due.id
                    RETURNING a.id::text AS id, a.starts_at AS "startsAt")
       SELECT * FROM taken ORDER BY "startsAt", id::bigint`,
      [now, hours, limit],
    );
  }

  /** The patient confirmed from the reminder. False if the appointment is no longer scheduled. */
  async confirm(appointmentId: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await this.context.manager.query(
      `WITH confirmed AS (UPDATE appointments SET confirmed_at = $2, updated_at = $2 WHERE id = $1 AND status = 'scheduled' RETURNING id)
       SELECT id FROM confirmed`,
      [appointmentId, now],
    );
    return rows.length === 1;
  }
}
