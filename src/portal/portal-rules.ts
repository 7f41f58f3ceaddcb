import { DateTime } from 'luxon';
import type { AppointmentStatus } from '../appointments/appointment-status';
import { t } from '../i18n/i18n';
import type { PortalRules } from '../settings/clinic-settings';

/** Why the portal refuses, in words for the patient; `field` is the form field it concerns. */
export interface PortalRefusal {
  readonly code: 'booking_closed' | 'unpaid_penalty' | 'booking_limit';
  readonly message: string;
  readonly field?: 'doctorId' | 'date' | 'time';
}

export interface BookingSituation {
  readonly now: Date;
  /** The clinic's IANA zone. */
  readonly zone: string;
  /** The requested start, or undefined while only the patient's standing is checked (before a time is picked). */
  readonly startsAt?: Date;
  /** Upcoming appointments the patient already holds (scheduled or checked in, not yet over). */
  readonly upcoming: number;
  /** Unsettled no-show penalties above zero, summed; null when there are none. */
  readonly unpaidPenalty: { readonly amount: string; readonly currency: string } | null;
  /** The clinic's phone as patients dial it, or null. */
  readonly phone: string | null;
}

/** "call the clinic at 02 2345 6789", or without a number when the clinic has not given one. */
export const callTheClinic = (phone: string | null): string => (phone ? t('portal:rules.callClinicAt', { phone }) : t('portal:rules.callClinic'));

/** The last local date a patient may book online, from the clinic's today. */
export function lastBookableDay(rules: PortalRules, now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).startOf('day').plus({ days: rules.maxDaysAhead }).toISODate()!;
}

/** The earliest instant an online booking may start. */
export function earliestBookable(rules: PortalRules, now: Date): Date {
  return new Date(now.getTime() + rules.minHoursAhead * 3_600_000);
}

/**
 * Whether a patient may book online, and (given `startsAt`) at that time: online booking on, no
 * unpaid no-show penalty, fewer upcoming appointments than the limit, at least the notice period
 * ahead, and not beyond the last bookable day. The first rule broken is the answer; null means yes.
 */
export function bookingRefusal(rules: PortalRules, s: BookingSituation): PortalRefusal | null {
  const call = callTheClinic(s.phone);
  if (rules.maxFutureAppointments === 0) {
    return { code: 'booking_closed', message: t('portal:rules.bookingClosed', { call }) };
  }
  if (s.unpaidPenalty) {
    return {
      code: 'unpaid_penalty',
      message: t('portal:rules.unpaidPenalty', { amount: s.unpaidPenalty.amount, currency: s.unpaidPenalty.currency, call }),
    };
  }
  if (s.upcoming >= rules.maxFutureAppointments) {
    return {
      code: 'booking_limit',
      message: t('portal:rules.bookingLimit', { count: s.upcoming, max: rules.maxFutureAppointments, call }),
    };
  }
  if (!s.startsAt) return null;
  const local = (at: Date) => DateTime.fromJSDate(at, { zone: s.zone });
  if (s.startsAt.getTime() <= s.now.getTime()) {
    return { code: 'booking_limit', field: 'time', message: t('portal:rules.timePassed') };
  }
  const earliest = earliestBookable(rules, s.now);
  if (s.startsAt < earliest) {
    return {
      code: 'booking_limit',
      field: 'time',
      message: t('portal:rules.tooSoon', { count: rules.minHoursAhead, earliest: local(earliest).toFormat('yyyy-MM-dd HH:mm'), call }),
    };
  }
  const lastDay = lastBookableDay(rules, s.now, s.zone);
  if (local(s.startsAt).toISODate()! > lastDay) {
    return {
      code: 'booking_limit',
      field: 'date',
      message: t('portal:rules.tooFar', { count: rules.maxDaysAhead, lastDay }),
    };
  }
  return null;
}

/** The instant after which a patient can no longer cancel online. */
export function cancelDeadline(rules: PortalRules, startsAt: Date): Date {
  return new Date(startsAt.getTime() - rules.cancelCutoffHours * 3_600_000);
}

export interface CancelRefusal {
  readonly code: 'cancel_refused' | 'cancel_cutoff';
  readonly message: string;
}

/** Whether the patient may cancel this appointment online now; null means yes. */
export function cancelRefusal(
  rules: PortalRules,
  a: { readonly status: AppointmentStatus; readonly startsAt: Date },
  now: Date,
  zone: string,
  phone: string | null,
): CancelRefusal | null {
  const call = callTheClinic(phone);
  switch (a.status) {
    case 'scheduled':
      break;
    case 'checked_in':
      return { code: 'cancel_refused', message: t('portal:rules.checkedIn', { call }) };
    case 'completed':
      return { code: 'cancel_refused', message: t('portal:rules.completed') };
    case 'cancelled':
      return { code: 'cancel_refused', message: t('portal:rules.cancelled') };
    case 'no_show':
      return { code: 'cancel_refused', message: t('portal:rules.noShow', { call }) };
  }
  if (now >= cancelDeadline(rules, a.startsAt)) {
    const at = DateTime.fromJSDate(a.startsAt, { zone }).toFormat('yyyy-MM-dd HH:mm');
    const message = rules.cancelCutoffHours > 0 ? t('portal:rules.cutoff', { count: rules.cancelCutoffHours, at, call }) : t('portal:rules.started', { at, call });
    return { code: 'cancel_cutoff', message };
  }
  return null;
}
