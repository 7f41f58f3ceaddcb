import { Injectable } from '@nestjs/common';
import { type Principal, roleLabel } from '../auth/principal';
import { t } from '../i18n/i18n';
import { type CreateStaffDto, DEFAULT_SLOT_MINUTES } from './dto/create-staff.dto';
import type { StaffMember } from './staff-member';
import { StaffService } from './staff.service';

/** What a change did, for the redirect after a plain form post (`/admin/staff?done=…&member=…`). */
export const STAFF_CHANGES = ['created', 'deactivated', 'reactivated', 'password'] as const;
export type StaffChangeKind = (typeof STAFF_CHANGES)[number];

export interface StaffRow extends StaffMember {
  readonly roleLabel: string;
  readonly statusLabel: string;
  readonly isSelf: boolean;
  /** The clinic's only active owner: offered no Deactivate button (the service would refuse it). */
  readonly isSoleActiveOwner: boolean;
}

/** The model of the staff page and of the fragments its forms swap in. */
export interface StaffScreen {
  readonly title: string;
  readonly staff: StaffRow[];
  readonly notice: string | null;
  readonly specialties: string[];
  /** The add form's starting values. */
  readonly values: Record<string, string>;
}

export interface StaffChange extends StaffScreen {
  readonly done: StaffChangeKind;
  readonly memberId: string;
  /** The change ended the signed-in owner's own session (they deactivated themselves or reset their own password). */
  readonly signedOut: boolean;
}

const NOTICE: Record<StaffChangeKind, (m: StaffMember) => string> = {
  created: (m) =>
    m.role === 'admin'
      ? t('staff:notice.createdAdmin', { name: m.fullName })
      : m.role === 'doctor'
        ? t('staff:notice.createdDoctor', { name: m.fullName })
        : t('staff:notice.createdReception', { name: m.fullName }),
  deactivated: (m) => t('staff:notice.deactivated', { name: m.fullName }),
  reactivated: (m) => t('staff:notice.reactivated', { name: m.fullName }),
  password: (m) => t('staff:notice.password', { name: m.fullName }),
};

/** View models for the staff screens: each write goes through StaffService, then the list is read again for the page. */
@Injectable()
export class StaffPages {
  constructor(private readonly staff: StaffService) {}

  /** The page; `done` and `member` come from the redirect after a plain form post. */
  async index(actor: Principal, done: unknown, memberId: unknown): Promise<StaffScreen> {
    const screen = await this.screen(actor);
    const kind = STAFF_CHANGES.find((k) => k === done);
    const member = kind && typeof memberId === 'string' ? screen.staff.find((m) => m.id === memberId) : undefined;
    return { ...screen, notice: kind && member ? NOTICE[kind](member) : null };
  }

  /** The add form on a page of its own. */
  async newForm(): Promise<Pick<StaffScreen, 'title' | 'specialties' | 'values'>> {
    return { title: t('staff:form.heading'), specialties: await this.staff.specialtyNames(), values: freshValues() };
  }

  async create(actor: Principal, input: CreateStaffDto, ip: string | undefined): Promise<StaffChange> {
    return this.changed(actor, 'created', await this.staff.create(actor, input, ip));
  }

  async deactivate(actor: Principal, id: string, ip: string | undefined): Promise<StaffChange> {
    return this.changed(actor, 'deactivated', await this.staff.deactivate(actor, id, ip));
  }

  async reactivate(actor: Principal, id: string, ip: string | undefined): Promise<StaffChange> {
    return this.changed(actor, 'reactivated', await this.staff.reactivate(actor, id, ip));
  }

  async resetPassword(actor: Principal, id: string, password: string, ip: string | undefined): Promise<StaffChange> {
    return this.changed(actor, 'password', await this.staff.resetPassword(actor, id, password, ip));
  }

  private async changed(actor: Principal, done: StaffChangeKind, member: StaffMember): Promise<StaffChange> {
    const signedOut = member.id === actor.userId && (done === 'deactivated' || done === 'password');
    const screen = signedOut ? emptyScreen() : await this.screen(actor);
    return { ...screen, notice: NOTICE[done](member), done, memberId: member.id, signedOut };
  }

  private async screen(actor: Principal): Promise<StaffScreen> {
    const members = await this.staff.list();
    const specialties = await this.staff.specialtyNames();
    const activeOwners = members.filter((m) => m.role === 'admin' && m.isActive).length;
    const staff = members.map((m) => ({
      ...m,
      roleLabel: roleLabel(m.role),
      statusLabel: !m.isActive ? t('staff:status.deactivated') : m.isLocked ? t('staff:status.locked') : t('staff:status.active'),
      isSelf: m.id === actor.userId,
      isSoleActiveOwner: m.role === 'admin' && m.isActive && activeOwners === 1,
    }));
    return { title: t('staff:page.title'), staff, notice: null, specialties, values: freshValues() };
  }
}

const freshValues = (): Record<string, string> => ({ slotMinutes: String(DEFAULT_SLOT_MINUTES) });
const emptyScreen = (): StaffScreen => ({ title: t('staff:page.title'), staff: [], notice: null, specialties: [], values: freshValues() });
