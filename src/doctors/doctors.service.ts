import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { CLOCK, type Clock } from '../common/clock';
import { t } from '../i18n/i18n';
import { TenantContext } from '../tenancy/tenant-context';
import {
  daysIncluded,
  ID_PATTERN,
  isCalendarDate,
  LEAVE_MAX_DAYS,
  LEAVE_REASON_MAX_LENGTH,
  localToday,
  sortedRanges,
  weekProblems,
  weekSummary,
} from './calendar-rules';
import type { Doctor, DoctorCalendar, DoctorTerms, Leave, LeaveWithBookings, NewLeave, WorkingRange } from './doctor';
import { DoctorException, doctorNotFound, fieldsNeedAttention, leaveNotFound } from './doctors.exception';
import { DoctorsRepository, type LockedDoctor } from './doctors.repository';

/** A new leave as typed: the end day may be left out for a single day. */
export interface LeaveInput {
  readonly startsOn: string;
  readonly endsOn?: string;
  readonly reason?: string;
}

export interface LeaveAdded {
  readonly doctor: Doctor;
  readonly leave: Leave;
  /** Appointments still booked inside the new leave: the front desk should move or cancel them. */
  readonly bookedAppointments: number;
}

/**
 * The rules of doctors' calendars: terms (specialty, fee, slot length), weekly hours and leave. Each
 * method runs inside the request's one transaction, so a change and its audit entry commit together.
 * `calendar()` is the read other modules (booking, slots) use.
 */
@Injectable()
export class DoctorsService {
  constructor(
    private readonly doctors: DoctorsRepository,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The doctor's terms, weekly hours and every leave, whether or not their account is active; throws
   * `doctor_not_found` (404) for an id that names no doctor of this clinic.
   */
  async calendar(doctorId: string): Promise<DoctorCalendar> {
    const { id, fullName, specialty, consultationFee, slotMinutes, isActive, hours, leave } = await this.existing(doctorId);
    return { id, fullName, specialty, consultationFee, slotMinutes, isActive, hours, leave };
  }

  /** The clinic's doctors as `viewer` may see them: owners see every doctor; everyone else only active ones, and patients no leave reasons. */
  async list(viewer: Principal): Promise<Doctor[]> {
    return (await this.doctors.list(viewer.role !== 'admin')).map((d) => forViewer(d, viewer));
  }

  async get(viewer: Principal, id: string): Promise<Doctor> {
    const doctor = ID_PATTERN.test(id) ? await this.doctors.find(id, viewer.role !== 'admin') : null;
    if (!doctor) throw doctorNotFound();
    return forViewer(doctor, viewer);
  }

  /** Every doctor, for the clinic owner's screen. */
  all(): Promise<Doctor[]> {
    return this.doctors.list(false);
  }

  async find(id: string): Promise<Doctor> {
    return this.existing(id);
  }

  /** For the terms form's suggestions, so that "Cardiology" is picked rather than typed a second way. */
  specialtyNames(): Promise<string[]> {
    return this.doctors.specialtyNames();
  }

  leaveWithBookings(doctorId: string): Promise<LeaveWithBookings[]> {
    return this.doctors.leaveWithBookings(doctorId, this.context.tenant.timeZone);
  }

  /** The clinic's date today, in its time zone. */
  today(): string {
    return localToday(this.clock.now(), this.context.tenant.timeZone);
  }

  /**
   * Changes the given terms (a field left out keeps its value). The specialty is found in any letter
   * case or created; the fee stays text from the request to the `numeric` column.
   */
  async updateTerms(actor: Principal, id: string, terms: Partial<DoctorTerms>, ip: string | undefined): Promise<Doctor> {
    const before = await this.locked(id);
    const specialtyId = terms.specialty !== undefined ? await this.doctors.specialtyId(terms.specialty) : undefined;
    await this.doctors.updateTerms(before.id, { specialtyId, consultationFee: terms.consultationFee, slotMinutes: terms.slotMinutes });
    const after = await this.existing(before.id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (before.specialty !== after.specialty) changes.specialty = { from: before.specialty, to: after.specialty };
    if (before.consultationFee !== after.consultationFee) changes.consultationFee = { from: before.consultationFee, to: after.consultationFee };
    if (before.slotMinutes !== after.slotMinutes) changes.slotMinutes = { from: before.slotMinutes, to: after.slotMinutes };
    if (Object.keys(changes).length > 0) {
      await this.audit.record({ action: 'doctor.updated', actorId: actor.userId, entity: 'doctor', entityId: after.id, details: { fullName: after.fullName, changes }, ip });
    }
    return after;
  }

  /**
   * Replaces the doctor's whole week in this transaction. Times are `HH:MM`, each range ends after it
   * starts on the same day, and ranges of one day do not overlap: otherwise 422 with the message on
   * that day (`hours.monday`), and nothing changes. The table's exclusion constraint is the backstop.
   */
  async replaceHours(actor: Principal, id: string, ranges: readonly WorkingRange[], ip: string | undefined): Promise<Doctor> {
    const problems = weekProblems(ranges);
    if (Object.keys(problems).length > 0) {
      throw new DoctorException('invalid_hours', t('doctors:errors.hoursNeedAttention'), problems);
    }
    const doctor = await this.locked(id);
    const before = await this.existing(doctor.id);
    const week = sortedRanges(ranges.map((r) => ({ weekday: r.weekday, starts: r.starts.trim(), ends: r.ends.trim() })));
    if (!(await this.doctors.replaceHours(doctor.id, week))) {
      throw new DoctorException('hours_overlap', t('doctors:errors.hoursOverlap'), {
        hours: [t('doctors:fields.hoursOverlap')],
      });
    }
    const after = await this.existing(doctor.id);
    await this.audit.record({
      action: 'doctor.hours_changed',
      actorId: actor.userId,
      entity: 'doctor',
      entityId: doctor.id,
      // the audit trail reads the same whatever language the owner works in
      details: { fullName: doctor.fullName, before: weekSummary(before.hours, 'en'), after: weekSummary(after.hours, 'en'), ranges: after.hours.length },
      ip,
    });
    return after;
  }

  /**
   * Days off: a range of whole local days (the end may be left out for one day) with an optional
   * reason. A leave overlapping one the doctor already has is refused (409), by the exclusion
   * constraint, with the dates of the one in the way.
   */
  async addLeave(actor: Principal, id: string, input: LeaveInput, ip: string | undefined): Promise<LeaveAdded> {
    const leave = this.acceptableLeave(input);
    const doctor = await this.locked(id);
    const added = await this.doctors.insertLeave(doctor.id, leave);
    if (!added) {
      const [existing] = await this.doctors.overlappingLeave(doctor.id, leave.startsOn, leave.endsOn);
      const when = !existing
        ? t('doctors:leaveWhen.someDays')
        : existing.startsOn === existing.endsOn
          ? t('doctors:leaveWhen.day', { date: existing.startsOn })
          : t('doctors:leaveWhen.range', { from: existing.startsOn, to: existing.endsOn });
      const message = t('doctors:errors.leaveOverlaps', { name: doctor.fullName, when });
      throw new DoctorException('leave_overlaps', message, { startsOn: [t('doctors:fields.leaveOverlaps', { when })] });
    }
    await this.audit.record({
      action: 'doctor.leave_added',
      actorId: actor.userId,
      entity: 'doctor',
      entityId: doctor.id,
      details: { fullName: doctor.fullName, leaveId: added.id, startsOn: added.startsOn, endsOn: added.endsOn, reason: added.reason },
      ip,
    });
    const withBookings = (await this.leaveWithBookings(doctor.id)).find((l) => l.id === added.id);
    return { doctor: await this.existing(doctor.id), leave: added, bookedAppointments: withBookings?.bookedAppointments ?? 0 };
  }

  async removeLeave(actor: Principal, id: string, leaveId: string, ip: string | undefined): Promise<{ doctor: Doctor; leave: Leave }> {
    const doctor = await this.locked(id);
    const removed = ID_PATTERN.test(leaveId) ? await this.doctors.deleteLeave(doctor.id, leaveId) : null;
    if (!removed) throw leaveNotFound();
    await this.audit.record({
      action: 'doctor.leave_removed',
      actorId: actor.userId,
      entity: 'doctor',
      entityId: doctor.id,
      details: { fullName: doctor.fullName, leaveId: removed.id, startsOn: removed.startsOn, endsOn: removed.endsOn, reason: removed.reason },
      ip,
    });
    return { doctor: await this.existing(doctor.id), leave: removed };
  }

  private async existing(id: string): Promise<Doctor> {
    const doctor = ID_PATTERN.test(id) ? await this.doctors.find(id) : null;
    if (!doctor) throw doctorNotFound();
    return doctor;
  }

  private async locked(id: string): Promise<LockedDoctor> {
    const doctor = ID_PATTERN.test(id) ? await this.doctors.lock(id) : null;
    if (!doctor) throw doctorNotFound();
    return doctor;
  }

  /** The DTOs check the shape; the rules are enforced here too, so that no caller can skip them. */
  private acceptableLeave(input: LeaveInput): NewLeave {
    const fields: Record<string, string[]> = {};
    const startsOn = typeof input.startsOn === 'string' ? input.startsOn.trim() : '';
    const endsOn = typeof input.endsOn === 'string' && input.endsOn.trim() !== '' ? input.endsOn.trim() : startsOn;
    const reason = typeof input.reason === 'string' && input.reason.trim() !== '' ? input.reason.trim().replace(/\s+/g, ' ') : null;
    if (!isCalendarDate(startsOn)) fields.startsOn = [t('doctors:fields.startsOn')];
    if (!isCalendarDate(endsOn)) fields.endsOn = [t('doctors:fields.endsOn')];
    else if (!fields.startsOn && endsOn < startsOn) fields.endsOn = [t('doctors:fields.endsBeforeStarts')];
    else if (!fields.startsOn && daysIncluded(startsOn, endsOn) > LEAVE_MAX_DAYS) fields.endsOn = [t('doctors:fields.leaveTooLong', { max: LEAVE_MAX_DAYS })];
    if (reason !== null && reason.length > LEAVE_REASON_MAX_LENGTH) fields.reason = [t('doctors:fields.reason', { max: LEAVE_REASON_MAX_LENGTH })];
    if (Object.keys(fields).length > 0) throw new DoctorException('invalid_leave', fieldsNeedAttention(), fields);
    return { startsOn, endsOn, reason };
  }
}

/** Patients book online: they see when a doctor is away, never why. */
function forViewer(doctor: Doctor, viewer: Principal): Doctor {
  if (viewer.role !== 'patient') return doctor;
  return { ...doctor, leave: doctor.leave.map((l) => ({ ...l, reason: null })) };
}
