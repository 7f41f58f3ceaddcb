import { DateTime } from 'luxon';

/*
 * Time as the clinic's people read and type it: local dates `YYYY-MM-DD` and times `HH:MM` in the
 * clinic's IANA zone, converted by luxon, never with hand-written offsets.
 */

/** The instant of a local wall-clock time; a time that does not exist that day (spring forward) moves forward, as clocks do. */
export function localInstant(date: string, time: string, zone: string): DateTime {
  return DateTime.fromISO(`${date}T${time.length === 5 ? `${time}:00` : time}`, { zone });
}

/** The local date `YYYY-MM-DD` of an instant in the clinic's zone. */
export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate()!;
}

/** The local time `HH:MM` of an instant in the clinic's zone. */
export function localTime(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('HH:mm');
}

/** The start of a local calendar date in `zone`, or null when `text` is not exactly a date on the calendar (`2026-02-30`, `24/11/2026`). */
export function calendarDay(text: unknown, zone: string): DateTime | null {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const day = DateTime.fromISO(text, { zone }).startOf('day');
  return day.isValid && day.toISODate() === text ? day : null;
}
