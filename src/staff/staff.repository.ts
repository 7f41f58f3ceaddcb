import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';
import type { StaffMemberRole } from './dto/create-staff.dto';
import type { StaffMember } from './staff-member';

interface MemberRow {
  id: string;
  username: string;
  fullName: string;
  role: StaffMemberRole;
  phone: string | null;
  isActive: boolean;
  isLocked: boolean;
  createdAt: Date;
  specialty: string | null;
  consultationFee: string | null;
  slotMinutes: number | null;
}

/** What the staff rules decide on, read under the row's lock. */
export interface LockedUser {
  readonly id: string;
  readonly role: StaffMemberRole | 'patient';
  readonly isActive: boolean;
  readonly isLocked: boolean;
}

export interface NewStaffUser {
  readonly username: string;
  readonly fullName: string;
  readonly role: StaffMemberRole;
  readonly passwordHash: string;
  readonly phone: string | null;
}

/**
 * A staff member's columns from `u` (users, or a CTE over users) with their doctor's terms.
 * $1 is always "now", for the lockout.
 */
const MEMBER_SELECT = `
  SELECT u.id, u.username, u.full_name AS "fullName", u.role, u.phone, u.is_active AS "isActive",
         (u.locked_until IS NOT NULL AND u.locked_until > $1) AS "isLocked", u.created_at AS "createdAt",
         s.name AS specialty, d.consultation_fee::text AS "consultationFee", d.slot_minutes AS "slotMinutes"`;
const MEMBER_JOINS = `
    LEFT JOIN doctors d ON d.user_id = u.id
    LEFT JOIN specialties s ON s.id = d.specialty_id`;

/**
 * SQL on the clinic's staff (users other than patients, their doctors' rows, specialties), always
 * through the request's tenant transaction. No rules here: the service decides.
 */
@Injectable()
export class StaffRepository {
  constructor(private readonly context: TenantContext) {}

  /** Every staff member, by name (a row keeps its place when its status changes). */
  async list(now: Date): Promise<StaffMember[]> {
    const rows: MemberRow[] = await this.context.manager.query(
      `${MEMBER_SELECT} FROM users u ${MEMBER_JOINS} WHERE u.role <> 'patient' ORDER BY u.full_name, u.id`,
      [now],
    );
    return rows.map((row) => this.member(row));
  }

  async find(id: string, now: Date): Promise<StaffMember | null> {
    const rows: MemberRow[] = await this.context.manager.query(`${MEMBER_SELECT} FROM users u ${MEMBER_JOINS} WHERE u.id = $2 AND u.role <> 'patient'`, [
      now,
      id,
    ]);
    return rows[0] ? this.member(rows[0]) : null;
  }

  async specialtyNames(limit = 200): Promise<string[]> {
    const rows: { name: string }[] = await this.context.manager.query('SELECT name FROM specialties ORDER BY name LIMIT $1', [limit]);
    return rows.map((r) => r.name);
  }

  /** The new user's id, or null when the username is already taken (the transaction stays usable). */
  async insertUser(user: NewStaffUser): Promise<string | null> {
    const rows: { id: string }[] = await this.context.manager.query(
      `INSERT INTO users (username, full_name, role, password_hash, phone) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [user.username, user.fullName, user.role, user.passwordHash, user.phone],
    );
    return rows[0]?.id ?? null;
  }

  async insertDoctor(userId: string, terms: { specialtyId: string; consultationFee: string; slotMinutes: number }): Promise<void> {
    await this.context.manager.query('INSERT INTO doctors (user_id, specialty_id, consultation_fee, slot_minutes) VALUES ($1, $2, $3::numeric, $4)', [
      userId,
      terms.specialtyId,
      terms.consultationFee,
      terms.slotMinutes,
    ]);
  }

  /**
   * Locks, in id order, every active clinic owner and the target user, and returns them. Everyone
   * who changes whether an account is active takes these locks the same way, so two owners who
   * deactivate each other are serialized (the second sees the first's change) and never deadlock.
   */
  async lockOwnersAnd(id: string, now: Date): Promise<LockedUser[]> {
    return this.context.manager.query(
      `SELECT id, role, is_active AS "isActive", (locked_until IS NOT NULL AND locked_until > $2) AS "isLocked"
         FROM users WHERE (role = 'admin' AND is_active) OR id = $1
        ORDER BY id FOR UPDATE`,
      [id, now],
    );
  }

  async lockUser(id: string, now: Date): Promise<LockedUser | null> {
    const rows: LockedUser[] = await this.context.manager.query(
      `SELECT id, role, is_active AS "isActive", (locked_until IS NOT NULL AND locked_until > $2) AS "isLocked"
         FROM users WHERE id = $1 FOR UPDATE`,
      [id, now],
    );
    return rows[0] ?? null;
  }

  async deactivate(id: string, now: Date): Promise<StaffMember | null> {
    return this.updateMember(id, now, 'is_active = false');
  }

  /** Active again, and no longer locked out. */
  async reactivate(id: string, now: Date): Promise<StaffMember | null> {
    return this.updateMember(id, now, 'is_active = true, failed_logins = 0, locked_until = NULL');
  }

  /** A new hash, and no longer locked out. */
  async setPassword(id: string, passwordHash: string, now: Date): Promise<StaffMember | null> {
    return this.updateMember(id, now, 'password_hash = $3, failed_logins = 0, locked_until = NULL', [passwordHash]);
  }

  /** One round trip: the UPDATE inside a CTE, so that the query returns the changed member as rows. */
  private async updateMember(id: string, now: Date, assignments: string, extra: unknown[] = []): Promise<StaffMember | null> {
    const rows: MemberRow[] = await this.context.manager.query(
      `WITH changed AS (
         UPDATE users SET ${assignments}, updated_at = now() WHERE id = $2 AND role <> 'patient' RETURNING *)
       ${MEMBER_SELECT} FROM changed u ${MEMBER_JOINS}`,
      [now, id, ...extra],
    );
    return rows[0] ? this.member(rows[0]) : null;
  }

  private member(row: MemberRow): StaffMember {
    const { specialty, consultationFee, slotMinutes, ...user } = row;
    return {
      ...user,
      doctor:
        consultationFee === null ? null : { specialty, consultationFee, currency: this.context.tenant.currency, slotMinutes: slotMinutes ?? 15 },
    };
  }
}
