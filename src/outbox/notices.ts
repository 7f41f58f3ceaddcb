import { DateTime } from 'luxon';
import type { Notice, NoticeKind } from './notice';

/** The clinic as a notice names it. */
export interface ClinicFacts {
  readonly name: string;
  /** As patients dial it, or null. */
  readonly phone: string | null;
  readonly address: string;
  readonly url: string;
  readonly zone: string;
  readonly currency: string;
}

/** The appointment a notice is about. */
export interface AppointmentFacts {
  readonly id: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly email: string | null;
  readonly doctorName: string;
  readonly startsAt: Date;
}

/** "Thursday 3 December 2026 at 10:30", in the clinic's zone. */
export function spokenTime(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).setLocale('en-GB').toFormat("cccc d LLLL yyyy 'at' HH:mm");
}

const signature = (clinic: ClinicFacts) =>
  [`${clinic.name}`, clinic.address || null, clinic.phone ? `Phone: ${clinic.phone}` : null, clinic.url].filter(Boolean).join('\n');

const epoch = (at: Date) => Math.floor(at.getTime() / 1000);

function notice(kind: NoticeKind, dedupeKey: string, a: AppointmentFacts, subject: string, lines: (string | null)[], clinic: ClinicFacts, payload: Record<string, unknown> = {}): Notice {
  const body = [`Dear ${a.patientName},`, '', ...lines.filter((l): l is string => l !== null), '', signature(clinic)].join('\n');
  return { kind, dedupeKey, patientId: a.patientId, appointmentId: a.id, recipient: a.email, subject, body, payload: { startsAt: a.startsAt.toISOString(), ...payload } };
}

/** Booked, or moved to a new time (a new time is a new confirmation). */
export function bookingConfirmation(clinic: ClinicFacts, a: AppointmentFacts): Notice {
  const when = spokenTime(a.startsAt, clinic.zone);
  return notice('booking_confirmation', `booking:${a.id}:${epoch(a.startsAt)}`, a, `Your appointment with ${a.doctorName} on ${when}`, [
    `Your appointment with ${a.doctorName} is booked for ${when}.`,
    'Please arrive ten minutes early. If you cannot come, cancel in the patient portal or call us, so that another patient can have the time.',
  ], clinic);
}

export function cancellation(clinic: ClinicFacts, a: AppointmentFacts, reason: string | null): Notice {
  const when = spokenTime(a.startsAt, clinic.zone);
  return notice('cancellation', `cancellation:${a.id}`, a, `Cancelled: your appointment with ${a.doctorName} on ${when}`, [
    `Your appointment with ${a.doctorName} on ${when} is cancelled.`,
    reason ? `Reason: ${reason}` : null,
    'To book another time, use the patient portal or call us.',
  ], clinic, { reason });
}

export function noShow(clinic: ClinicFacts, a: AppointmentFacts, penalty: string | null): Notice {
  const when = spokenTime(a.startsAt, clinic.zone);
  return notice('no_show', `no_show:${a.id}`, a, `We missed you on ${when}`, [
    `You had an appointment with ${a.doctorName} on ${when}, and it was recorded as missed.`,
    penalty ? `A missed-appointment fee of ${penalty} ${clinic.currency} applies; until it is settled, online booking is closed to you. If this is a mistake, please call us.` : 'If this is a mistake, please call us.',
  ], clinic, { penalty });
}

export function reminder(clinic: ClinicFacts, a: AppointmentFacts, link: string): Notice {
  const when = spokenTime(a.startsAt, clinic.zone);
  return notice('reminder', `reminder:${a.id}:${epoch(a.startsAt)}`, a, `Reminder: ${a.doctorName} tomorrow, ${when}`, [
    `This is a reminder of your appointment with ${a.doctorName} on ${when}.`,
    `Confirm that you are coming, or cancel if you cannot, here (the link works once, until the appointment starts):`,
    link,
  ], clinic);
}

export function waitlistOffer(clinic: ClinicFacts, a: Omit<AppointmentFacts, 'id'>, waitlistId: string, link: string, expiresAt: Date): Notice {
  const when = spokenTime(a.startsAt, clinic.zone);
  return {
    ...notice('waitlist_offer', `waitlist_offer:${waitlistId}:${epoch(a.startsAt)}`, { ...a, id: '' }, `A time with ${a.doctorName} is free: ${when}`, [
      `You asked to be told when ${a.doctorName} has a free time. ${when} has just become free.`,
      'It goes to the first patient on the waiting list who takes it. To take it, open this link (it works once):',
      link,
      `The offer ends ${spokenTime(expiresAt, clinic.zone)}.`,
    ], clinic, { waitlistId }),
    appointmentId: null,
  };
}
