import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { DashboardCache } from '../reports/dashboard-cache.service';
import type { Principal } from '../auth/principal';
import { SessionService } from '../auth/session.service';
import { CLOCK, type Clock } from '../common/clock';
import { toE164 } from '../common/phone';
import { DoctorsRepository } from '../doctors/doctors.repository';
import { t } from '../i18n/i18n';
import { TenantContext } from '../tenancy/tenant-context';
import { hashPassword, passwordProblem } from '../users/passwords';
import { type CreateStaffDto, DEFAULT_SLOT_MINUTES } from './dto/create-staff.dto';
import { StaffException, staffNotFound } from './staff.exception';
import type { StaffMember } from './staff-member';
import { StaffRepository } from './staff.repository';

/** Ids are bigints; anything else names nobody. */
const STAFF_ID = /^[1-9][0-9]{0,17}$/;

const fieldsNeedAttention = (): string => t('common:errors.checkFields');

/**
 * The clinic owner's rules for staff accounts. Each method runs inside the request's one
 * transaction, so a change, its doctor row, its specialty and its audit entry commit together.
 */
@Injectable()
export class StaffService {
  constructor(
    private readonly staff: StaffRepository,
    private readonly specialties: DoctorsRepository,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly dashboard: DashboardCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  list(): Promise<StaffMember[]> {
    return this.staff.list(this.clock.now());
  }

  /** For the add form's suggestions, so that "Cardiology" is picked rather than typed a second way. */
  specialtyNames(): Promise<string[]> {
    return this.staff.specialtyNames();
  }

  async create(actor: Principal, input: CreateStaffDto, ip: string | undefined): Promise<StaffMember> {
    const phone = this.phoneOf(input.phone);
    const passwordHash = await hashPassword(this.acceptable(input.password));
    const id = await this.staff.insertUser({ username: input.username, fullName: input.fullName, role: input.role, passwordHash, phone });
    if (!id) throw usernameTaken(input.username);

    let doctor: Record<string, unknown> = {};
    if (input.role === 'doctor') {
      const terms = { specialty: input.specialty!, consultationFee: input.consultationFee!, slotMinutes: input.slotMinutes ?? DEFAULT_SLOT_MINUTES };
      await this.staff.insertDoctor(id, { ...terms, specialtyId: await this.specialties.specialtyId(terms.specialty) });
      doctor = terms;
    }
    // the dashboard's doctor filter lists staff doctors by name and status
    this.dashboard.invalidate();
    await this.audit.record({
      action: 'staff.created',
      actorId: actor.userId,
      entity: 'user',
      entityId: id,
      details: { username: input.username, role: input.role, ...(phone ? { phone } : {}), ...doctor },
      ip,
    });
    return this.existing(await this.staff.find(id, this.clock.now()));
  }

  /**
   * Ends every session of the account at once. The clinic always keeps one active owner: the owner
   * rows are locked first, so two owners deactivating each other at the same moment cannot both win.
   * An owner may deactivate themselves while another owner remains (and is signed out).
   */
  async deactivate(actor: Principal, rawId: string, ip: string | undefined): Promise<StaffMember> {
    const id = this.idOf(rawId);
    const now = this.clock.now();
    const locked = await this.staff.lockOwnersAnd(id, now);
    const target = locked.find((u) => u.id === id);
    if (!target || target.role === 'patient') throw staffNotFound();
    if (!target.isActive) return this.existing(await this.staff.find(id, now));
    if (target.role === 'admin' && !locked.some((u) => u.role === 'admin' && u.isActive && u.id !== id)) {
      throw new StaffException(
        'last_admin',
        id === actor.userId
          ? t('staff:errors.lastAdminSelf')
          : t('staff:errors.lastAdmin'),
      );
    }
    const member = this.existing(await this.staff.deactivate(id, now));
    const sessionsEnded = await this.sessions.endAllOf(this.context.tenant.id, id);
    // the dashboard's doctor filter lists staff doctors by name and status
    this.dashboard.invalidate();
    await this.audit.record({
      action: 'staff.deactivated',
      actorId: actor.userId,
      entity: 'user',
      entityId: id,
      details: { username: member.username, role: member.role, sessionsEnded, self: id === actor.userId },
      ip,
    });
    return member;
  }

  /** Active again and unlocked (so this also lifts a sign-in lockout). */
  async reactivate(actor: Principal, rawId: string, ip: string | undefined): Promise<StaffMember> {
    const id = this.idOf(rawId);
    const now = this.clock.now();
    const before = await this.staff.lockUser(id, now);
    if (!before || before.role === 'patient') throw staffNotFound();
    const member = this.existing(await this.staff.reactivate(id, now));
    // the dashboard's doctor filter lists staff doctors by name and status
    this.dashboard.invalidate();
    await this.audit.record({
      action: 'staff.reactivated',
      actorId: actor.userId,
      entity: 'user',
      entityId: id,
      details: { username: member.username, role: member.role, wasActive: before.isActive, wasLocked: before.isLocked },
      ip,
    });
    return member;
  }

  /** A new password; the lockout is lifted and every session of the account ends (the old password's sessions too). */
  async resetPassword(actor: Principal, rawId: string, password: string, ip: string | undefined): Promise<StaffMember> {
    const id = this.idOf(rawId);
    const passwordHash = await hashPassword(this.acceptable(password));
    const member = this.existing(await this.staff.setPassword(id, passwordHash, this.clock.now()));
    const sessionsEnded = await this.sessions.endAllOf(this.context.tenant.id, id);
    await this.audit.record({
      action: 'staff.password_reset',
      actorId: actor.userId,
      entity: 'user',
      entityId: id,
      details: { username: member.username, sessionsEnded, self: id === actor.userId },
      ip,
    });
    return member;
  }

  private idOf(raw: string): string {
    if (!STAFF_ID.test(raw)) throw staffNotFound();
    return raw;
  }

  private existing(member: StaffMember | null): StaffMember {
    if (!member) throw staffNotFound();
    return member;
  }

  /** The DTO checks this too; the rule is enforced here as well so that no other caller can skip it. */
  private acceptable(password: string): string {
    const problem = typeof password === 'string' ? passwordProblem(password) : t('auth:password.required');
    if (problem) throw new StaffException('invalid_staff', fieldsNeedAttention(), { password: [problem] });
    return password;
  }

  private phoneOf(raw: string | undefined): string | null {
    if (!raw) return null;
    const phone = toE164(raw, this.context.tenant.phoneRegion);
    if (!phone) throw new StaffException('invalid_staff', fieldsNeedAttention(), { phone: [t('staff:fields.phoneInvalid')] });
    return phone;
  }

}

/** A phone may be shared (a family's, a clinic's front-desk line); only the username must be unique. */
function usernameTaken(username: string): StaffException {
  return new StaffException('username_taken', t('staff:errors.usernameTaken', { username }), {
    username: [t('staff:fields.usernameTaken')],
  });
}
