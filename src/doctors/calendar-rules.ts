import { DateTime } from 'luxon';
import { currentLanguage, currentLocale, type Language, t, translate } from '../i18n/i18n';
import type { WorkingRange } from './doctor';

/** The ISO weekdays in the order the week is shown, and the key each day's messages go under (`hours.monday`). */
export const WEEKDAYS = [
  { weekday: 1, key: 'monday' },
  { weekday: 2, key: 'tuesday' },
  { weekday: 3, key: 'wednesday' },
  { weekday: 4, key: 'thursday' },
  { weekday: 5, key: 'friday' },
  { weekday: 6, key: 'saturday' },
  { weekday: 7, key: 'sunday' },
] as const;

export type WeekdayInfo = (typeof WEEKDAYS)[number];

/** Each weekday's name (`Monday`) and short name (`Mon`) in a language. */
const DAY_NAMES: Record<WeekdayInfo['key'], (language: Language) => { name: string; short: string }> = {
  monday: (l) => ({ name: translate(l, 'doctors:weekdays.monday'), short: translate(l, 'doctors:weekdaysShort.monday') }),
  tuesday: (l) => ({ name: translate(l, 'doctors:weekdays.tuesday'), short: translate(l, 'doctors:weekdaysShort.tuesday') }),
  wednesday: (l) => ({ name: translate(l, 'doctors:weekdays.wednesday'), short: translate(l, 'doctors:weekdaysShort.wednesday') }),
  thursday: (l) => ({ name: translate(l, 'doctors:weekdays.thursday'), short: translate(l, 'doctors:weekdaysShort.thursday') }),
  friday: (l) => ({ name: translate(l, 'doctors:weekdays.friday'), short: translate(l, 'doctors:weekdaysShort.friday') }),
  saturday: (l) => ({ name: translate(l, 'doctors:weekdays.saturday'), short: translate(l, 'doctors:weekdaysShort.saturday') }),
  sunday: (l) => ({ name: translate(l, 'doctors:weekdays.sunday'), short: translate(l, 'doctors:weekdaysShort.sunday') }),
};

/** The day's name as people read it, `Monday` (in the request's language unless told). */
export const dayName = (day: WeekdayInfo, language: Language = currentLanguage()): string => DAY_NAMES[day.key](language).name;

/** The day's short name, `Mon`. */
export const dayShortName = (day: WeekdayInfo, language: Language = currentLanguage()): string => DAY_NAMES[day.key](language).short;

/** More ranges than this on one day is a typing accident, not a schedule. */
export const MAX_RANGES_PER_DAY = 8;
export const MAX_RANGES_PER_WEEK = MAX_RANGES_PER_DAY * 7;

/** A local wall-clock time `HH:MM`, 00:00 to 23:59. */
export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
/** `YYYY-MM-DD`; whether it is a real calendar date is checked by `isCalendarDate`. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** Ids are bigints; anything else names nothing (and must not reach SQL as a failing cast). */
export { ID_PATTERN } from '../common/validation/ids';

export const LEAVE_REASON_MAX_LENGTH = 200;
/** One leave may span at most a year; longer is almost certainly a typo in the year. */
export const LEAVE_MAX_DAYS = 366;

export const weekdayInfo = (weekday: number): WeekdayInfo | undefined => WEEKDAYS.find((d) => d.weekday === weekday);

/** The field a day's messages are reported under, for the form and the API alike. */
export const dayField = (weekday: number): string => `hours.${weekdayInfo(weekday)?.key ?? 'unknown'}`;

/** Postgres gives `time` as `HH:MM:SS`; people read and type `HH:MM`. */
export const hhmm = (time: string): string => time.slice(0, 5);

/** Weekday, then start time. */
export function sortedRanges(ranges: readonly WorkingRange[]): WorkingRange[] {
  return [...ranges].sort((a, b) => a.weekday - b.weekday || a.starts.localeCompare(b.starts) || a.ends.localeCompare(b.ends));
}

/**
 * What is wrong with a week of working ranges, per day (`hours.monday`: [...]); empty when the week
 * can be saved. Each range needs a start and an end as `HH:MM`, must end after it starts on the same
 * day (no overnight ranges), and ranges of one day must not overlap (touching, 13:00 then 13:00, is fine —
 * the same rule as the table's exclusion constraint).
 */
export function weekProblems(ranges: readonly { weekday: number; starts: string; ends: string }[]): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (field: string, message: string) => {
    const list = (problems[field] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  if (ranges.length > MAX_RANGES_PER_WEEK) add('hours', t('doctors:problems.tooManyInWeek', { max: MAX_RANGES_PER_WEEK }));
  const valid = new Map<number, WorkingRange[]>();
  for (const range of ranges) {
    const day = weekdayInfo(range.weekday);
    if (!day) {
      add('hours', t('doctors:problems.weekday'));
      continue;
    }
    const field = dayField(day.weekday);
    const name = dayName(day);
    const starts = range.starts.trim();
    const ends = range.ends.trim();
    if (!starts || !ends) {
      add(field, t('doctors:problems.startAndEnd', { day: name }));
      continue;
    }
    if (!TIME_PATTERN.test(starts) || !TIME_PATTERN.test(ends)) {
      add(field, t('doctors:problems.timeFormat', { day: name }));
      continue;
    }
    if (ends <= starts) {
      add(field, t('doctors:problems.endsBeforeStart', { day: name, starts, ends }));
      continue;
    }
    const list = valid.get(day.weekday) ?? [];
    list.push({ weekday: day.weekday, starts, ends });
    valid.set(day.weekday, list);
  }
  for (const [weekday, list] of valid) {
    const name = dayName(weekdayInfo(weekday)!);
    if (list.length > MAX_RANGES_PER_DAY) add(dayField(weekday), t('doctors:problems.tooManyInDay', { day: name, max: MAX_RANGES_PER_DAY }));
    const sorted = sortedRanges(list);
    let latest = sorted[0];
    for (const range of sorted.slice(1)) {
      if (range.starts < latest.ends) {
        add(
          dayField(weekday),
          t('doctors:problems.overlap', { day: name, firstStarts: latest.starts, firstEnds: latest.ends, secondStarts: range.starts, secondEnds: range.ends }),
        );
      }
      if (range.ends > latest.ends) latest = range;
    }
  }
  return problems;
}

/** The ranges of each day, as `09:00–13:00, 17:00–20:00`. */
const dayLine = (ranges: readonly WorkingRange[], separator: string): string => ranges.map((r) => `${r.starts}–${r.ends}`).join(separator);

/**
 * One line for the whole week, consecutive days with the same hours grouped:
 * `Mon–Thu 09:00–13:00, 17:00–20:00 · Sat 10:00–14:00`; `No working hours` when there are none.
 */
export function weekSummary(hours: readonly WorkingRange[], language: Language = currentLanguage()): string {
  const separator = translate(language, 'doctors:summary.separator');
  const groups: { first: WeekdayInfo; last: WeekdayInfo; line: string }[] = [];
  for (const day of WEEKDAYS) {
    const ranges = sortedRanges(hours.filter((h) => h.weekday === day.weekday));
    if (ranges.length === 0) continue;
    const line = dayLine(ranges, separator);
    const previous = groups.at(-1);
    if (previous && previous.line === line && previous.last.weekday === day.weekday - 1) previous.last = day;
    else groups.push({ first: day, last: day, line });
  }
  if (groups.length === 0) return translate(language, 'doctors:summary.none');
  return groups
    .map((g) => {
      const first = dayShortName(g.first, language);
      const days = g.first === g.last ? first : `${first}${g.last.weekday - g.first.weekday === 1 ? separator : '–'}${dayShortName(g.last, language)}`;
      return `${days} ${g.line}`;
    })
    .join(' · ');
}

/** A real `YYYY-MM-DD` date between 2000 and 2100 (a leave outside them is a typo). */
export function isCalendarDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const date = DateTime.fromISO(value, { zone: 'UTC' });
  return date.isValid && date.toISODate() === value && date.year >= 2000 && date.year <= 2100;
}

/** Whole days from `from` to `to`, both included. */
export function daysIncluded(from: string, to: string): number {
  return DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days + 1;
}

/** The clinic's date today (`YYYY-MM-DD`) in its time zone. */
export function localToday(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).toISODate()!;
}

/** `Tue 1 Dec 2026`, or `Tue 1 – Thu 3 Dec 2026` for a range (day and month names in the request's language). */
export function leaveLabel(startsOn: string, endsOn: string): string {
  const a = DateTime.fromISO(startsOn, { zone: 'UTC' }).setLocale(currentLocale());
  const b = DateTime.fromISO(endsOn, { zone: 'UTC' }).setLocale(currentLocale());
  const full = (d: DateTime) => d.toFormat('ccc d LLL yyyy');
  if (startsOn === endsOn) return full(a);
  if (a.year === b.year && a.month === b.month) return `${a.toFormat('ccc d')} – ${full(b)}`;
  if (a.year === b.year) return `${a.toFormat('ccc d LLL')} – ${full(b)}`;
  return `${full(a)} – ${full(b)}`;
}
