import { DateTime } from 'luxon';
import { t } from '../i18n/i18n';
import type { UserRole } from '../users/user.entity';

/** Who may register and edit files; doctors read them. */
export const PATIENT_WRITERS = ['admin', 'reception'] as const satisfies readonly UserRole[];
export const PATIENT_READERS = ['admin', 'reception', 'doctor'] as const satisfies readonly UserRole[];

/** Ids are bigints; anything else names no patient. */
export const PATIENT_ID = /^[1-9][0-9]{0,17}$/;

export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

export const NAME_MAX_LENGTH = 100;
export const ADDRESS_MAX_LENGTH = 500;
export const PORTAL_USERNAME = /^[A-Za-z0-9._-]{3,64}$/;
export const NATIONAL_ID = /^[A-Za-z0-9-]{4,32}$/;
/** File numbers are six digits, zero-padded (`000123`), and grow past six digits after 999999. */
export const FILE_NUMBER_DIGITS = 6;
export const SEARCH_MAX_LENGTH = 100;
export const PAGE_SIZE = 20;
const EARLIEST_BIRTH_DATE = '1900-01-01';
/** Where the calendar is furthest ahead (UTC+14): no date after today there is "today" for any clinic. */
const LATEST_ZONE = 'Pacific/Kiritimati';

/** The date today in a time zone, as YYYY-MM-DD. */
export function localToday(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).toISODate()!;
}

/** The latest date that is "today" somewhere on Earth: a first check that needs no clinic. */
export function latestToday(now: Date): string {
  return localToday(now, LATEST_ZONE);
}

/**
 * What is wrong with a date of birth, or null: the YYYY-MM-DD format, a date that exists
 * (`2026-02-30` does not), not before 1900, not after `today`.
 */
export function birthDateProblem(value: unknown, today: string): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return t('patients:fields.dateOfBirthFormat');
  if (!DateTime.fromISO(value, { zone: 'UTC' }).isValid) return t('patients:fields.dateOfBirthNoSuchDate', { date: value });
  if (value < EARLIEST_BIRTH_DATE) return t('patients:fields.dateOfBirthTooEarly');
  if (value > today) return t('patients:fields.dateOfBirthFuture');
  return null;
}

/** Whole years from the date of birth to `today` (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/**
 * The file numbers a digits-only search term may mean: as typed, without its leading zeros, and
 * zero-padded to the file number's width — so `1`, `0001` and `000001` all find file 000001.
 */
export function fileNumberCandidates(term: string): string[] {
  const digits = term.trim();
  if (!/^\d{1,18}$/.test(digits)) return [];
  const bare = digits.replace(/^0+/, '');
  if (bare === '') return [];
  return [...new Set([digits, bare, bare.padStart(FILE_NUMBER_DIGITS, '0')])];
}

/** The words of a name search, each matched on its own so that "hassan amir" finds "Amir Hassan". */
export function searchWords(term: string): string[] {
  return [...new Set(term.trim().split(/\s+/).filter(Boolean))].slice(0, 6);
}

/** The search term as used: trimmed, at most SEARCH_MAX_LENGTH characters; anything not a string is no term. */
export function searchTerm(raw: unknown): string {
  return typeof raw === 'string' ? raw.trim().slice(0, SEARCH_MAX_LENGTH).trim() : '';
}

/** A page number from the query string: a whole number from 1, anything else is page 1. */
export function pageNumber(raw: unknown): number {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!/^\d{1,6}$/.test(text)) return 1;
  return Math.max(1, Number(text));
}

/**
 * A portal username made from the name: letters without their accents, lower case, words joined
 * by dots (`Amír Hassan` → `amir.hassan`). Empty when the name has too few Latin letters or digits
 * (an Arabic name, say), so the caller picks another base.
 */
export function usernameBase(firstName: string, lastName: string): string {
  const latin = `${firstName} ${lastName}`
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 56)
    .replace(/\.+$/, '');
  return latin.length >= 3 ? latin : '';
}

/** The usernames to try, in order: the base, then the base with 2, 3, … (`amir.hassan2`). */
export function usernameCandidates(base: string, count = 50): string[] {
  return [base, ...Array.from({ length: count - 1 }, (_, i) => `${base}${i + 2}`)];
}

/** `first last`, cut to what a user's full name may hold (200 characters). */
export function fullNameOf(firstName: string, lastName: string): string {
  return `${firstName} ${lastName}`.slice(0, 200);
}
