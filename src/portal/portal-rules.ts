import { DateTime } from 'luxon';
import type { AppointmentStatus } from '../appointments/appointment-status';
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
export const callTheClinic = (phone: string | null): string => (phone ? `call the clinic at ${phone}` : 'call the clinic');

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

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
    return { code: 'booking_closed', message: `This clinic does not take bookings online. To book, please ${call}.` };
  }
  if (s.unpaidPenalty) {
    return {
      code: 'unpaid_penalty',
      message: `You cannot book online while a missed-appointment charge of ${s.unpaidPenalty.amount} ${s.unpaidPenalty.currency} is unpaid. Please settle it at the clinic's desk, or ${call}.`,
    };
  }
  if (s.upcoming >= rules.maxFutureAppointments) {
    return {
      code: 'booking_limit',
      message: `You already have ${plural(s.upcoming, 'upcoming appointment')}, the most you can book online (${rules.maxFutureAppointments}). Cancel one first, or ${call}.`,
    };
  }
  if (!s.startsAt) return null;
  const local = (at: Date) => DateTime.fromJSDate(at, { zone: s.zone });
  if (s.startsAt.getTime() <= s.now.getTime()) {
    return { code: 'booking_limit', field: 'time', message: 'That time has already passed. Pick a later time.' };
  }
  const earliest = earliestBookable(rules, s.now);
  if (s.startsAt < earliest) {
    return {
      code: 'booking_limit',
      field: 'time',
      message: `Online bookings must be made at least ${plural(rules.minHoursAhead, 'hour')} ahead, so the earliest is ${local(earliest).toFormat('yyyy-MM-dd HH:mm')}. For a sooner visit, please ${call}.`,
    };
  }
  const lastDay = lastBookableDay(rules, s.now, s.zone);
  if (local(s.startsAt).toISODate()! > lastDay) {
    return {
      code: 'booking_limit',
      field: 'date',
      message: `You can book online up to ${plural(rules.maxDaysAhead, 'day')} ahead, that is until ${lastDay}. Pick an earlier day.`,
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
      return { code: 'cancel_refused', message: `You have already checked in for this appointment. Please speak to the reception desk, or ${call}.` };
    case 'completed':
      return { code: 'cancel_refused', message: 'This visit has already taken place; it cannot be cancelled.' };
    case 'cancelled':
      return { code: 'cancel_refused', message: 'This appointment is already cancelled.' };
    case 'no_show':
      return { code: 'cancel_refused', message: `This appointment has passed and was recorded as missed. If that is wrong, please ${call}.` };
  }
  if (now >= cancelDeadline(rules, a.startsAt)) {
    const at = DateTime.fromJSDate(a.startsAt, { zone }).toFormat('yyyy-MM-dd HH:mm');
    const window = rules.cancelCutoffHours > 0 ? `less than ${plural(rules.cancelCutoffHours, 'hour')} before` : 'past the start of';
    return { code: 'cancel_cutoff', message: `It is ${window} your appointment (${at}), so it can no longer be cancelled online. Please ${call}.` };
  }
  return null;
}
