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

/** The local day of the latest "today" asked per zone: its date and the instants it spans. */
const todays = new Map<string, { readonly date: string; readonly from: number; readonly until: number }>();

/**
 * `localDate` for "now": the clinic's date today. Asked on most requests (the board, the dashboard's
 * default period, the schedule), so the day's bounds in each zone are worked out once a day and every
 * other call is a comparison (luxon's zone arithmetic was a few per cent of a cached request).
 */
export function localToday(now: Date, zone: string): string {
  const t = now.getTime();
  const known = todays.get(zone);
  if (known && t >= known.from && t < known.until) return known.date;
  const start = DateTime.fromJSDate(now, { zone }).startOf('day');
  const day = { date: start.toISODate()!, from: start.toMillis(), until: start.plus({ days: 1 }).toMillis() };
  todays.set(zone, day);
  return day.date;
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
