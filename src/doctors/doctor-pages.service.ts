import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { FormModelProvider } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { t } from '../i18n/i18n';
import { dayField, dayName, leaveLabel, MAX_RANGES_PER_DAY, WEEKDAYS, weekSummary } from './calendar-rules';
import type { Doctor, DoctorTerms, LeaveWithBookings, WorkingRange } from './doctor';
import type { LeaveDto } from './dto/leave.dto';
import type { WeekFormDto } from './dto/hours.dto';
import { DoctorException } from './doctors.exception';
import { DoctorsService } from './doctors.service';

/** What a change did: the notice after it, and `?done=` of the redirect after a plain form post. */
export const DOCTOR_CHANGES = ['terms', 'hours', 'leave-added', 'leave-removed'] as const;
export type DoctorChangeKind = (typeof DOCTOR_CHANGES)[number];

/** The parts of the doctor's page, each a form with its own fragment. */
export type DoctorPart = 'terms' | 'hours' | 'leave';

export interface DoctorListRow extends Doctor {
  readonly href: string;
  readonly hoursSummary: string;
  readonly statusLabel: string;
  /** The leave going on now or coming next, e.g. "Tue 1 – Thu 3 Dec 2026". */
  readonly nextLeave: string | null;
  readonly moreLeave: number;
}

/** One range row of the week form, as typed (it may be blank, or wrong on a refusal). */
export interface RangeRow {
  readonly weekday: number;
  readonly starts: string;
  readonly ends: string;
}

export interface RangeView extends RangeRow {
  readonly index: number;
  /** Unique ids of this row's inputs: `hours-1-0-starts`… */
  readonly id: string;
  readonly number: number;
  readonly removeValue: string;
}

export interface DayView {
  readonly weekday: number;
  readonly name: string;
  /** The key of this day's messages in `fields`, e.g. `hours.monday`. */
  readonly field: string;
  readonly errorId: string;
  readonly ranges: RangeView[];
  readonly canAdd: boolean;
  readonly addValue: string;
}

export interface LeaveView extends LeaveWithBookings {
  readonly label: string;
  readonly current: boolean;
}

export interface DoctorScreen {
  readonly title: string;
  readonly doctor: Doctor & { readonly statusLabel: string; readonly hoursSummary: string };
  readonly specialties: string[];
  /** The terms form's values. */
  readonly terms: Record<string, string>;
  readonly week: DayView[];
  readonly upcomingLeave: LeaveView[];
  readonly pastLeave: LeaveView[];
  /** The leave form's values. */
  readonly leaveForm: Record<string, string>;
  readonly today: string;
  readonly notice: string | null;
  /** The form a refusal belongs to: only that form shows the message. */
  readonly refused: DoctorPart | null;
}

export interface DoctorChange extends DoctorScreen {
  readonly done: DoctorChangeKind;
  readonly part: DoctorPart;
}

const PART_OF: Record<DoctorChangeKind, DoctorPart> = { terms: 'terms', hours: 'hours', 'leave-added': 'leave', 'leave-removed': 'leave' };

/** After a plain form post (post/redirect/get), when only the kind of change is known. */
const NOTICE: Record<DoctorChangeKind, (d: Doctor) => string> = {
  terms: (d) =>
    t('doctors:notice.terms', {
      name: d.fullName,
      specialty: d.specialty ?? t('doctors:notice.noSpecialty'),
      fee: d.consultationFee,
      currency: d.currency,
      count: d.slotMinutes,
    }),
  hours: (d) => t('doctors:notice.hours', { name: d.fullName, summary: weekSummary(d.hours) }),
  'leave-added': (d) => t('doctors:notice.leaveAdded', { name: d.fullName }),
  'leave-removed': (d) => t('doctors:notice.leaveRemoved', { name: d.fullName }),
};

/** View models for the clinic owner's doctors screens: the writes go through DoctorsService, then the page is read again. */
@Injectable()
export class DoctorPages implements FormModelProvider {
  constructor(private readonly doctors: DoctorsService) {}

  async index(): Promise<{ title: string; doctors: DoctorListRow[] }> {
    const today = this.doctors.today();
    const doctors = (await this.doctors.all()).map((d) => {
      const ahead = d.leave.filter((l) => l.endsOn >= today);
      return {
        ...d,
        href: `/admin/doctors/${d.id}`,
        hoursSummary: weekSummary(d.hours),
        statusLabel: d.isActive ? t('doctors:status.active') : t('doctors:status.deactivated'),
        nextLeave: ahead[0] ? leaveLabel(ahead[0].startsOn, ahead[0].endsOn) : null,
        moreLeave: Math.max(0, ahead.length - 1),
      };
    });
    return { title: t('doctors:list.title'), doctors };
  }

  /** The doctor's page; `done` comes from the redirect after a plain form post. */
  async screen(id: string, done?: unknown): Promise<DoctorScreen> {
    const doctor = await this.doctors.find(id);
    const kind = DOCTOR_CHANGES.find((k) => k === done);
    return this.build(doctor, { notice: kind ? NOTICE[kind](doctor) : null });
  }

  async updateTerms(actor: Principal, id: string, terms: DoctorTerms, ip: string | undefined): Promise<DoctorChange> {
    const doctor = await this.doctors.updateTerms(actor, id, terms, ip);
    return this.changed(doctor, 'terms', NOTICE.terms(doctor));
  }

  async saveWeek(actor: Principal, id: string, form: WeekFormDto, ip: string | undefined): Promise<DoctorChange> {
    const ranges = rowsOf(form).filter((r) => r.starts.trim() !== '' || r.ends.trim() !== '');
    const doctor = await this.doctors.replaceHours(actor, id, ranges, ip);
    return this.changed(doctor, 'hours', NOTICE.hours(doctor));
  }

  /** The week form with a range added or removed, as typed and not saved (the add/remove buttons). */
  async editWeek(id: string, form: WeekFormDto): Promise<DoctorScreen> {
    const doctor = await this.doctors.find(id);
    const rows = rowsOf(form);
    const [action, day, index] = (form.edit ?? '').split(':');
    const weekday = Number(day);
    if (action === 'add' && rows.filter((r) => r.weekday === weekday).length < MAX_RANGES_PER_DAY) {
      rows.push({ weekday, starts: '', ends: '' });
    }
    if (action === 'remove') {
      const position = rows.findIndex((r, i) => r.weekday === weekday && rows.slice(0, i).filter((p) => p.weekday === weekday).length === Number(index));
      if (position >= 0) rows.splice(position, 1);
    }
    return this.build(doctor, { rows });
  }

  async addLeave(actor: Principal, id: string, input: LeaveDto, ip: string | undefined): Promise<DoctorChange> {
    const { doctor, leave, bookedAppointments } = await this.doctors.addLeave(actor, id, input, ip);
    const added = t('doctors:notice.leaveAddedFor', { label: leaveLabel(leave.startsOn, leave.endsOn), name: doctor.fullName });
    const booked = bookedAppointments === 0 ? '' : ` ${t('doctors:notice.stillBooked', { count: bookedAppointments })}`;
    return this.changed(doctor, 'leave-added', `${added}${booked}`);
  }

  async removeLeave(actor: Principal, id: string, leaveId: string, ip: string | undefined): Promise<DoctorChange> {
    const { doctor, leave } = await this.doctors.removeLeave(actor, id, leaveId, ip);
    return this.changed(doctor, 'leave-removed', t('doctors:notice.leaveRemovedFrom', { label: leaveLabel(leave.startsOn, leave.endsOn), name: doctor.fullName }));
  }

  /**
   * A refused form is shown again (by the exception filter, in a fresh transaction) with the rest of
   * the page as it is and the refused form as it was typed. A doctor that does not exist leaves only
   * the message to show.
   */
  async formModel(req: Request): Promise<Record<string, unknown>> {
    const path = req.originalUrl.split('?')[0];
    const refused: DoctorPart = /\/hours$/.test(path) ? 'hours' : /\/leave(\/|$)/.test(path) ? 'leave' : 'terms';
    const body = (req.body ?? {}) as Record<string, unknown>;
    let doctor: Doctor;
    try {
      doctor = await this.doctors.find(String(req.params?.id ?? ''));
    } catch (error) {
      if (error instanceof DoctorException) return { refused, title: t('doctors:notFound') };
      throw error;
    }
    const typed = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    if (refused === 'hours') {
      let rows: RangeRow[] | undefined;
      try {
        rows = rowsOf(body as WeekFormDto);
      } catch {
        rows = undefined; // a form that did not come from this page: show the saved week
      }
      return { ...(await this.build(doctor, { rows, refused })) };
    }
    if (refused === 'terms') {
      const terms = { specialty: typed('specialty'), consultationFee: typed('consultationFee'), slotMinutes: typed('slotMinutes') };
      return { ...(await this.build(doctor, { terms, refused })) };
    }
    const leaveForm = /\/leave$/.test(path) ? { startsOn: typed('startsOn'), endsOn: typed('endsOn'), reason: typed('reason') } : undefined;
    return { ...(await this.build(doctor, { leaveForm, refused })) };
  }

  private async changed(doctor: Doctor, done: DoctorChangeKind, notice: string): Promise<DoctorChange> {
    return { ...(await this.build(doctor, { notice })), done, part: PART_OF[done] };
  }

  private async build(
    doctor: Doctor,
    options: { notice?: string | null; rows?: RangeRow[]; terms?: Record<string, string>; leaveForm?: Record<string, string>; refused?: DoctorPart } = {},
  ): Promise<DoctorScreen> {
    const [specialties, leave] = await Promise.all([this.doctors.specialtyNames(), this.doctors.leaveWithBookings(doctor.id)]);
    const today = this.doctors.today();
    const views = leave.map((l) => ({ ...l, label: leaveLabel(l.startsOn, l.endsOn), current: l.startsOn <= today && today <= l.endsOn }));
    return {
      title: doctor.fullName,
      doctor: { ...doctor, statusLabel: doctor.isActive ? t('doctors:status.active') : t('doctors:status.deactivated'), hoursSummary: weekSummary(doctor.hours) },
      specialties,
      terms: options.terms ?? { specialty: doctor.specialty ?? '', consultationFee: doctor.consultationFee, slotMinutes: String(doctor.slotMinutes) },
      week: weekView(options.rows ?? doctor.hours),
      upcomingLeave: views.filter((l) => l.endsOn >= today),
      pastLeave: views.filter((l) => l.endsOn < today).reverse(),
      leaveForm: options.leaveForm ?? { startsOn: '', endsOn: '', reason: '' },
      today,
      notice: options.notice ?? null,
      refused: options.refused ?? null,
    };
  }
}

/**
 * The week form's rows: the parallel lists `weekday`, `starts`, `ends` zipped in document order.
 * Lists of different lengths mean a form that did not come from this page.
 */
function rowsOf(form: Pick<WeekFormDto, 'weekday' | 'starts' | 'ends'>): RangeRow[] {
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);
  const weekdays = list(form.weekday);
  const starts = list(form.starts);
  const ends = list(form.ends);
  if (starts.length !== weekdays.length || ends.length !== weekdays.length) {
    throw new DoctorException('invalid_hours', t('doctors:errors.weekIncomplete'), {
      hours: [t('doctors:fields.rangeIncomplete')],
    });
  }
  return weekdays.map((w, i) => ({ weekday: /^[1-7]$/.test(w) ? Number(w) : 0, starts: starts[i], ends: ends[i] }));
}

/** Monday to Sunday, each with its ranges in the order given (a saved week is already sorted). */
function weekView(rows: readonly RangeRow[] | readonly WorkingRange[]): DayView[] {
  return WEEKDAYS.map((day) => {
    const ranges = rows
      .filter((r) => r.weekday === day.weekday)
      .map((r, index) => ({
        weekday: day.weekday,
        starts: r.starts,
        ends: r.ends,
        index,
        number: index + 1,
        id: `hours-${day.weekday}-${index}`,
        removeValue: `remove:${day.weekday}:${index}`,
      }));
    return {
      weekday: day.weekday,
      name: dayName(day),
      field: dayField(day.weekday),
      errorId: `hours-${day.key}-error`,
      ranges,
      canAdd: ranges.length < MAX_RANGES_PER_DAY,
      addValue: `add:${day.weekday}`,
    };
  });
}
