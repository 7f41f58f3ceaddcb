import { DateTime } from 'luxon';
import { setBounded } from '../common/bounded-map';
import { calendarDay, localToday } from '../common/time';
import { t } from '../i18n/i18n';
import { ReportException } from './reports.exception';

/** A report's period (clinic-local days, both included) and doctors (empty: all). */
export interface ReportFilter {
  readonly from: string;
  readonly to: string;
  readonly doctorIds: readonly string[];
}

/** The longest period a report covers. */
export const MAX_PERIOD_YEARS = 2;

/**
 * The filter as asked, with the defaults filled in: this month (in the clinic's zone) when no day is
 * given, a month from `from` or up to `to` when one is. Refuses, in words, a day not on the calendar,
 * `from` after `to`, and a period over two years.
 */
export function reportFilter(query: { from?: string; to?: string; doctorId?: string[] }, now: Date, zone: string): ReportFilter {
  // the clinic's zone and the clock matter only through "today", and only when both days are left out
  const key = JSON.stringify([query.from, query.to, query.from === undefined && query.to === undefined ? localToday(now, zone) : null, query.doctorId]);
  const known = decided.get(key);
  if (known) return known;
  const filter = decide(query, now, zone);
  setBounded(decided, key, filter, DECIDED_MAX);
  return filter;
}

/**
 * Filters decided lately, by everything that decides them (a dashboard left open, or refreshed, asks
 * for the same period again and again; the calendar arithmetic was a tenth of a cached request).
 * Only accepted filters are kept (a refusal's message is in the asker's language), frozen, oldest out first.
 */
const decided = new Map<string, ReportFilter>();
const DECIDED_MAX = 1000;

function decide(query: { from?: string; to?: string; doctorId?: string[] }, now: Date, zone: string): ReportFilter {
  // calendar arithmetic on plain dates (UTC, a fixed zone: no time-zone lookups on this hot path);
  // only "today" needs the clinic's zone, and only when both days are left out
  const today = () => DateTime.fromISO(localToday(now, zone), { zone: 'utc' });
  const day = (text: string | undefined, field: 'from' | 'to') => {
    if (text === undefined) return undefined;
    const parsed = calendarDay(text, 'utc');
    if (!parsed) throw new ReportException(t('reports:errors.notADate', { text }), { [field]: [t('reports:errors.notADateField', { text })] });
    return parsed;
  };
  const asked = { from: day(query.from, 'from'), to: day(query.to, 'to') };
  const from = asked.from ?? (asked.to ? asked.to.startOf('month') : today().startOf('month'));
  const to = asked.to ?? (asked.from ? asked.from.endOf('month').startOf('day') : today().endOf('month').startOf('day'));
  if (from > to) {
    const message = t('reports:errors.reversed', { from: from.toISODate(), to: to.toISODate() });
    throw new ReportException(message, { from: [message] });
  }
  if (from.plus({ years: MAX_PERIOD_YEARS }) <= to) {
    const message = t('reports:errors.tooLong', { count: MAX_PERIOD_YEARS, from: from.toISODate(), to: to.toISODate() });
    throw new ReportException(message, { to: [message] });
  }
  const doctorIds = Object.freeze([...new Set(query.doctorId ?? [])].sort((a, b) => Number(a) - Number(b)));
  return Object.freeze({ from: from.toISODate()!, to: to.toISODate()!, doctorIds });
}

/** The instants the filter's days span in the clinic's zone: [start of `from`, start of the day after `to`). */
export function periodInstants(filter: ReportFilter, zone: string): { start: Date; end: Date } {
  return {
    start: calendarDay(filter.from, zone)!.toJSDate(),
    end: calendarDay(filter.to, zone)!.plus({ days: 1 }).toJSDate(),
  };
}

/** Every day of the period, for charts that show the empty days too. */
export function daysOf(filter: ReportFilter): string[] {
  const days: string[] = [];
  for (let d = DateTime.fromISO(filter.from); d.toISODate()! <= filter.to; d = d.plus({ days: 1 })) days.push(d.toISODate()!);
  return days;
}
