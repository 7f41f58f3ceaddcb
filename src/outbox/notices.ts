import { DateTime } from 'luxon';
import { currentLanguage, DEFAULT_LANGUAGE, type Language, LOCALES, translate } from '../i18n/i18n';
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
  /**
   * The clinic's default language, which its notices are written in (not the language of whoever
   * caused them: a notice is queued while staff work, and read by the patient). English when not given.
   */
  readonly language?: Language;
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

/**
 * "Thursday 3 December 2026 at 10:30", in the clinic's zone, in `language` (the current request's
 * unless given): Arabic names the day and month in Arabic.
 */
export function spokenTime(at: Date, zone: string, language: Language = currentLanguage()): string {
  const local = DateTime.fromJSDate(at, { zone }).setLocale(LOCALES[language]);
  return translate(language, 'notices:spokenTime', { date: local.toFormat('cccc d LLLL yyyy'), time: local.toFormat('HH:mm') });
}

const languageOf = (clinic: ClinicFacts): Language => clinic.language ?? DEFAULT_LANGUAGE;

const signature = (clinic: ClinicFacts, language: Language) =>
  [`${clinic.name}`, clinic.address || null, clinic.phone ? translate(language, 'notices:phone', { phone: clinic.phone }) : null, clinic.url].filter(Boolean).join('\n');

const epoch = (at: Date) => Math.floor(at.getTime() / 1000);

function notice(kind: NoticeKind, dedupeKey: string, a: AppointmentFacts, subject: string, lines: (string | null)[], clinic: ClinicFacts, payload: Record<string, unknown> = {}): Notice {
  const language = languageOf(clinic);
  const body = [translate(language, 'notices:greeting', { name: a.patientName }), '', ...lines.filter((l): l is string => l !== null), '', signature(clinic, language)].join('\n');
  return { kind, dedupeKey, patientId: a.patientId, appointmentId: a.id, recipient: a.email, subject, body, payload: { startsAt: a.startsAt.toISOString(), ...payload } };
}

/** Booked, or moved to a new time (a new time is a new confirmation). */
export function bookingConfirmation(clinic: ClinicFacts, a: AppointmentFacts): Notice {
  const language = languageOf(clinic);
  const values = { doctor: a.doctorName, when: spokenTime(a.startsAt, clinic.zone, language) };
  return notice('booking_confirmation', `booking:${a.id}:${epoch(a.startsAt)}`, a, translate(language, 'notices:booking.subject', values), [
    translate(language, 'notices:booking.booked', values),
    translate(language, 'notices:booking.arrive'),
  ], clinic);
}

export function cancellation(clinic: ClinicFacts, a: AppointmentFacts, reason: string | null): Notice {
  const language = languageOf(clinic);
  const values = { doctor: a.doctorName, when: spokenTime(a.startsAt, clinic.zone, language) };
  return notice('cancellation', `cancellation:${a.id}`, a, translate(language, 'notices:cancellation.subject', values), [
    translate(language, 'notices:cancellation.cancelled', values),
    reason ? translate(language, 'notices:cancellation.reason', { reason }) : null,
    translate(language, 'notices:cancellation.bookAnother'),
  ], clinic, { reason });
}

export function noShow(clinic: ClinicFacts, a: AppointmentFacts, penalty: string | null): Notice {
  const language = languageOf(clinic);
  const values = { doctor: a.doctorName, when: spokenTime(a.startsAt, clinic.zone, language) };
  return notice('no_show', `no_show:${a.id}`, a, translate(language, 'notices:noShow.subject', values), [
    translate(language, 'notices:noShow.missed', values),
    penalty ? translate(language, 'notices:noShow.fee', { amount: penalty, currency: clinic.currency }) : translate(language, 'notices:noShow.mistake'),
  ], clinic, { penalty });
}

export function reminder(clinic: ClinicFacts, a: AppointmentFacts, link: string): Notice {
  const language = languageOf(clinic);
  const values = { doctor: a.doctorName, when: spokenTime(a.startsAt, clinic.zone, language) };
  return notice('reminder', `reminder:${a.id}:${epoch(a.startsAt)}`, a, translate(language, 'notices:reminder.subject', values), [
    translate(language, 'notices:reminder.reminder', values),
    translate(language, 'notices:reminder.link'),
    link,
  ], clinic);
}

export function waitlistOffer(clinic: ClinicFacts, a: Omit<AppointmentFacts, 'id'>, waitlistId: string, link: string, expiresAt: Date): Notice {
  const language = languageOf(clinic);
  const values = { doctor: a.doctorName, when: spokenTime(a.startsAt, clinic.zone, language) };
  return {
    ...notice('waitlist_offer', `waitlist_offer:${waitlistId}:${epoch(a.startsAt)}`, { ...a, id: '' }, translate(language, 'notices:waitlistOffer.subject', values), [
      translate(language, 'notices:waitlistOffer.free', values),
      translate(language, 'notices:waitlistOffer.take'),
      link,
      translate(language, 'notices:waitlistOffer.ends', { when: spokenTime(expiresAt, clinic.zone, language) }),
    ], clinic, { waitlistId }),
    appointmentId: null,
  };
}
