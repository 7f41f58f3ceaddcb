import { Injectable } from '@nestjs/common';
import type { Language } from '../i18n/i18n';
import { TenantContext } from '../tenancy/tenant-context';
import { User } from './user.entity';

/** The columns sign-in decides on, the password hash included. */
export type SignInCandidate = Pick<User, 'id' | 'username' | 'fullName' | 'role' | 'phone' | 'language' | 'isActive' | 'failedLogins' | 'lockedUntil'> & {
  readonly passwordHash: string | null;
};

export interface LockoutPolicy {
  readonly maxFailures: number;
  readonly lockMs: number;
}

/** SQL on the clinic's `users` table, always through the request's tenant transaction. */
@Injectable()
export class UsersRepository {
  constructor(private readonly context: TenantContext) {}

  /**
   * Uses the partial index users_active_role_name_idx. The clinic's front page asks on every visit:
   * plain SQL, as the query builder spent more CPU writing this query than Postgres does running it.
   */
  async activeByRole(role: User['role'], limit = 100): Promise<Pick<User, 'id' | 'fullName'>[]> {
    return this.context.manager.query('SELECT id, full_name AS "fullName" FROM users WHERE role = $1 AND is_active ORDER BY full_name LIMIT $2', [role, limit]);
  }

  /** By username, case-insensitively (citext). */
  async findForSignIn(username: string): Promise<SignInCandidate | null> {
    const rows: SignInCandidate[] = await this.context.manager.query(
      `SELECT id, username, full_name AS "fullName", role, phone, language, is_active AS "isActive",
              failed_logins AS "failedLogins", locked_until AS "lockedUntil", password_hash AS "passwordHash"
         FROM users WHERE username = $1`,
      [username],
    );
    return rows[0] ?? null;
  }

  /** Remembers the person's own language (the switch, while signed in). */
  async setLanguage(id: string, language: Language): Promise<void> {
    await this.context.manager.query('UPDATE users SET language = $2 WHERE id = $1', [id, language]);
  }

  /**
   * Counts one more consecutive failure, atomically; the failure that reaches the limit locks the
   * account until `now + lockMs` and starts the count again. Returns whether this one locked it.
   */
  async recordFailedSignIn(id: string, now: Date, policy: LockoutPolicy): Promise<{ locked: boolean; lockedUntil: Date | null }> {
    const rows: { locked: boolean; lockedUntil: Date | null }[] = await this.context.manager.query(
      `WITH failed AS (
         UPDATE users
            SET failed_logins = CASE WHEN failed_logins + 1 >= $3 THEN 0 ELSE failed_logins + 1 END,
                locked_until = CASE WHEN failed_logins + 1 >= $3 THEN $2::timestamptz + make_interval(secs => $4 / 1000.0) ELSE locked_until END
          WHERE id = $1
          RETURNING failed_logins = 0 AS locked, locked_until)
       SELECT locked, locked_until AS "lockedUntil" FROM failed`,
      [id, now, policy.maxFailures, policy.lockMs],
    );
    return rows[0] ?? { locked: false, lockedUntil: null };
  }

  /**
   * Clears the failure count, if the account is still active, unlocked at `now` and still has the
   * password that was just verified (checked again under the row lock, so a deactivation, lockout or
   * password reset that committed meanwhile wins). The row stays
   * locked until the sign-in's transaction ends, which orders it with a concurrent deactivation.
   */
  async recordSuccessfulSignIn(id: string, now: Date, verifiedHash: string | null): Promise<boolean> {
    const rows: unknown[] = await this.context.manager.query(
      `WITH signed_in AS (
         UPDATE users SET failed_logins = 0, locked_until = NULL
          WHERE id = $1 AND is_active AND (locked_until IS NULL OR locked_until <= $2)
            AND password_hash IS NOT DISTINCT FROM $3
          RETURNING id)
       SELECT id FROM signed_in`,
      [id, now, verifiedHash],
    );
    return rows.length === 1;
  }
}
