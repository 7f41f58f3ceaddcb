import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';
import type { ActionLink, LinkOutcome, NewActionLink } from './action-link';

const COLUMNS = `id::text AS id, purpose, appointment_id::text AS "appointmentId", waitlist_id::text AS "waitlistId", doctor_id::text AS "doctorId",
  starts_at AS "startsAt", ends_at AS "endsAt", expires_at AS "expiresAt", used_at AS "usedAt", outcome`;

/** The clinic's single-use links, through its transaction. */
@Injectable()
export class ActionLinksRepository {
  constructor(private readonly context: TenantContext) {}

  async insert(link: NewActionLink, now: Date): Promise<string> {
    const rows: { id: string }[] = await this.context.manager.query(
      `INSERT INTO action_links (purpose, appointment_id, waitlist_id, doctor_id, starts_at, ends_at, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text AS id`,
      [link.purpose, link.appointmentId ?? null, link.waitlistId ?? null, link.doctorId ?? null, link.startsAt ?? null, link.endsAt ?? null, link.expiresAt, now],
    );
    return rows[0].id;
  }

  /** The link, locked when `lock` (using it is decided by whoever holds the row). */
  async find(id: string, lock = false): Promise<ActionLink | null> {
    const rows: ActionLink[] = await this.context.manager.query(`SELECT ${COLUMNS} FROM action_links WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ?? null;
  }

  async markUsed(id: string, outcome: LinkOutcome, now: Date): Promise<void> {
    await this.context.manager.query(`UPDATE action_links SET used_at = $2, outcome = $3 WHERE id = $1 AND used_at IS NULL`, [id, now, outcome]);
  }
}
