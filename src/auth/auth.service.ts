import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { toE164 } from '../common/phone';
import { AppException } from '../common/errors/app-exception';
import { type Language, t } from '../i18n/i18n';
import { TenantContext } from '../tenancy/tenant-context';
import { hashPassword, verifyPassword } from '../users/passwords';
import { type SignInCandidate, UsersRepository } from '../users/users.repository';
import { AuthException } from './auth.exception';
import { type Principal, ROLE_HOME } from './principal';
import { type IssuedSession, SessionService } from './session.service';

/** 15 consecutive failures lock an account for 15 minutes. */
export const LOCKOUT = { maxFailures: 15, lockMs: 15 * 60_000 } as const;

export interface SignedIn extends IssuedSession {
  readonly role: Principal['role'];
  readonly home: string;
  /** The person's own language, if they chose one: the sign-in form makes it this browser's too. */
  readonly language: Language | null;
}

const invalidStaffCredentials = () => new AuthException('invalid_credentials', t('auth:errors.invalidStaffCredentials'));
const invalidPatientCredentials = () =>
  new AuthException('invalid_credentials', t('auth:errors.invalidPatientCredentials'));

/** Staff sign in with username + password, patients with phone + username; both end up with a session. */
@Injectable()
export class AuthService {
  /** Verified against when the username is unknown, so that an unknown name takes as long as a wrong password. */
  private decoyHash?: Promise<string>;

  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async signInStaff(username: string, password: string, ip: string | undefined): Promise<SignedIn> {
    const user = await this.users.findForSignIn(username);
    if (!user || user.role === 'patient' || !user.passwordHash) {
      await verifyPassword(await this.decoy(), password);
      await this.audit.record({ action: 'auth.sign_in_failed', details: { username, reason: 'unknown_user', method: 'password' }, ip });
      throw invalidStaffCredentials().keepingWrites();
    }
    await this.refuseIfLocked(user, ip);
    if (!(await verifyPassword(user.passwordHash, password))) {
      throw (await this.recordFailure(user, 'wrong_password', ip)) ?? invalidStaffCredentials().keepingWrites();
    }
    return this.complete(user, 'password', ip);
  }

  /** No password: the clinic's patients identify themselves with the phone on file and their username. */
  async signInPatient(rawPhone: string, username: string, ip: string | undefined): Promise<SignedIn> {
    const phone = toE164(rawPhone, this.context.tenant.phoneRegion);
    if (!phone) throw invalidPhone();
    const user = await this.users.findForSignIn(username);
    // staff can never sign in without their password: to this form they are unknown
    if (!user || user.role !== 'patient') {
      await this.audit.record({ action: 'auth.sign_in_failed', details: { username, reason: 'unknown_user', method: 'phone' }, ip });
      throw invalidPatientCredentials().keepingWrites();
    }
    await this.refuseIfLocked(user, ip);
    if (user.phone !== phone) {
      throw (await this.recordFailure(user, 'wrong_phone', ip)) ?? invalidPatientCredentials().keepingWrites();
    }
    return this.complete(user, 'phone', ip);
  }

  async signOut(principal: Principal, ip: string | undefined): Promise<void> {
    await this.sessions.end(principal);
    await this.audit.record({ action: 'auth.signed_out', actorId: principal.userId, entity: 'user', entityId: principal.userId, ip });
  }

  /** What `GET /api/v1/me` answers. */
  describe(principal: Principal) {
    const clinic = this.context.tenant;
    return {
      id: principal.userId,
      username: principal.username,
      fullName: principal.fullName,
      role: principal.role,
      clinic: { slug: clinic.slug, displayName: clinic.displayName },
    };
  }

  private async complete(user: SignInCandidate, method: 'password' | 'phone', ip: string | undefined): Promise<SignedIn> {
    if (!user.isActive) {
      await this.audit.record({ action: 'auth.sign_in_refused', actorId: user.id, entity: 'user', entityId: user.id, details: { reason: 'inactive', method }, ip });
      throw new AuthException('account_inactive', t('auth:errors.inactive')).keepingWrites();
    }
    if (!(await this.users.recordSuccessfulSignIn(user.id, this.clock.now(), user.passwordHash))) {
      // deactivated, locked or given a new password by a request that committed while this one checked
      throw new AuthException('account_inactive', t('auth:errors.cannotSignInNow'));
    }
    const session = await this.sessions.start(this.context.tenant.id, {
      userId: user.id,
      role: user.role,
      fullName: user.fullName,
      username: user.username,
    });
    await this.audit.record({ action: 'auth.signed_in', actorId: user.id, entity: 'user', entityId: user.id, details: { method }, ip });
    return { ...session, role: user.role, home: ROLE_HOME[user.role], language: user.language };
  }

  private async refuseIfLocked(user: SignInCandidate, ip: string | undefined): Promise<void> {
    if (!user.lockedUntil || user.lockedUntil <= this.clock.now()) return;
    await this.audit.record({ action: 'auth.sign_in_refused', actorId: user.id, entity: 'user', entityId: user.id, details: { reason: 'locked' }, ip });
    throw lockedOut(user.lockedUntil, this.clock.now()).keepingWrites();
  }

  /** Counts the failure; returns the lockout refusal when this failure locked the account. */
  private async recordFailure(user: SignInCandidate, reason: string, ip: string | undefined): Promise<AuthException | undefined> {
    const result = await this.users.recordFailedSignIn(user.id, this.clock.now(), LOCKOUT);
    await this.audit.record({ action: 'auth.sign_in_failed', actorId: user.id, entity: 'user', entityId: user.id, details: { reason }, ip });
    if (!result.locked || !result.lockedUntil) return undefined;
    await this.audit.record({
      action: 'auth.account_locked',
      actorId: user.id,
      entity: 'user',
      entityId: user.id,
      details: { until: result.lockedUntil.toISOString(), failures: LOCKOUT.maxFailures },
      ip,
    });
    return lockedOut(result.lockedUntil, this.clock.now()).keepingWrites();
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= hashPassword('decoy password that matches nothing');
    return this.decoyHash;
  }
}

function lockedOut(until: Date, now: Date): AuthException {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new AuthException('account_locked', t('auth:errors.locked', { count: minutes }));
}

function invalidPhone(): AppException {
  return new AppException('validation_failed', 422, t('common:errors.checkFields'), {
    phone: [t('auth:errors.invalidPhone')],
  });
}
