import { DateTime } from 'luxon';
import { VisitException } from './visits.exception';
import { calendarDay } from '../common/time';
import { t } from '../i18n/i18n';

export const MAX_PRESCRIPTIONS = 20;
export const MAX_REQUIREMENTS = 10;
export const REQUIREMENT_KINDS = ['lab', 'imaging', 'treatment', 'other'] as const;
export type RequirementKind = (typeof REQUIREMENT_KINDS)[number];
/** A requirement kind in words, in the request's language. */
export function requirementLabel(kind: RequirementKind): string {
  const labels: Record<RequirementKind, string> = {
    lab: t('visits:requirementKind.lab'),
    imaging: t('visits:requirementKind.imaging'),
    treatment: t('visits:requirementKind.treatment'),
    other: t('visits:requirementKind.other'),
  };
  return labels[kind] ?? kind;
}

export const FOLLOW_UP_AFTER = ['1w', '2w', '1m', '3m'] as const;
export type FollowUpAfter = (typeof FOLLOW_UP_AFTER)[number];
/** A follow-up span in words, in the request's language. */
export function followUpLabel(after: FollowUpAfter): string {
  const labels: Record<FollowUpAfter, string> = {
    '1w': t('visits:followUpChoice.1w'),
    '2w': t('visits:followUpChoice.2w'),
    '1m': t('visits:followUpChoice.1m'),
    '3m': t('visits:followUpChoice.3m'),
  };
  return labels[after];
}
const FOLLOW_UP_SPAN: Record<FollowUpAfter, { weeks?: number; months?: number }> = { '1w': { weeks: 1 }, '2w': { weeks: 2 }, '1m': { months: 1 }, '3m': { months: 3 } };

export interface PrescriptionLine {
  readonly medicationName: string;
  readonly dosage: string;
  readonly duration: string;
  readonly instructions: string;
}

export interface RequirementLine {
  readonly kind: RequirementKind;
  readonly description: string;
}

/** "See me again": after a span, or on a date (local, in the clinic's zone). */
export interface FollowUpRequest {
  readonly after?: FollowUpAfter;
  readonly on?: string;
  readonly note: string;
}

/** What the form posts: one repeated field per column, a row per index. */
export interface LineFields {
  readonly medication?: string[];
  readonly dosage?: string[];
  readonly duration?: string[];
  readonly instructions?: string[];
  readonly requirementKind?: string[];
  readonly requirementDescription?: string[];
}

const at = (column: readonly string[] | undefined, i: number): string => (column?.[i] ?? '').trim();

/**
 * The form's parallel columns as rows. A prescription row with every field empty is ignored (an unused
 * row); a row with a dosage but no medication is refused on that row. A requirement row without a
 * description is unused whatever its kind says.
 */
export function linesFromForm(form: LineFields): { prescriptions: PrescriptionLine[]; requirements: RequirementLine[] } {
  const problems: Record<string, string[]> = {};
  const prescriptions: PrescriptionLine[] = [];
  const rows = Math.max(form.medication?.length ?? 0, form.dosage?.length ?? 0, form.duration?.length ?? 0, form.instructions?.length ?? 0);
  for (let i = 0; i < rows; i += 1) {
    const line = { medicationName: at(form.medication, i), dosage: at(form.dosage, i), duration: at(form.duration, i), instructions: at(form.instructions, i) };
    if (!line.medicationName && !line.dosage && !line.duration && !line.instructions) continue;
    if (!line.medicationName) (problems.prescriptions ??= []).push(t('visits:errors.medicationNameMissing', { n: i + 1 }));
    prescriptions.push(line);
  }
  const requirements: RequirementLine[] = [];
  const reqRows = Math.max(form.requirementKind?.length ?? 0, form.requirementDescription?.length ?? 0);
  for (let i = 0; i < reqRows; i += 1) {
    const description = at(form.requirementDescription, i);
    if (!description) continue;
    const kind = at(form.requirementKind, i) || 'other';
    if (!(REQUIREMENT_KINDS as readonly string[]).includes(kind)) (problems.requirements ??= []).push(t('visits:errors.requirementKindInvalid', { n: i + 1 }));
    requirements.push({ kind: kind as RequirementKind, description });
  }
  if (Object.keys(problems).length) throw new VisitException('invalid_visit', t('visits:errors.linesNeedAttention'), problems);
  checkLineCounts(prescriptions, requirements);
  return { prescriptions, requirements };
}

/** The sane limits of one visit (the form and the API alike). */
export function checkLineCounts(prescriptions: readonly PrescriptionLine[], requirements: readonly RequirementLine[]): void {
  const problems: Record<string, string[]> = {};
  if (prescriptions.length > MAX_PRESCRIPTIONS) problems.prescriptions = [t('visits:errors.tooManyLines', { count: MAX_PRESCRIPTIONS })];
  if (requirements.length > MAX_REQUIREMENTS) problems.requirements = [t('visits:errors.tooManyRequirements', { count: MAX_REQUIREMENTS })];
  const first = Object.values(problems)[0];
  if (first) throw new VisitException('invalid_visit', first[0], problems);
}

/**
 * The local date a follow-up is due: a span after `today` (calendar months: 31 January + 1 month is
 * 28/29 February), or an explicit date after today and within two years.
 */
export function followUpDue(request: FollowUpRequest, today: string, zone: string): string {
  const start = DateTime.fromISO(today, { zone });
  if (request.after) return start.plus(FOLLOW_UP_SPAN[request.after]).toISODate()!;
  const on = calendarDay(request.on, zone);
  if (!request.on || !on) {
    throw new VisitException('invalid_visit', t('visits:errors.followUpDateFormat'), { followUpDate: [t('visits:fields.followUpDate')] });
  }
  if (on <= start || on > start.plus({ years: 2 })) {
    throw new VisitException('invalid_visit', t('visits:errors.followUpDateRange'), {
      followUpDate: [t('visits:fields.followUpDateRange')],
    });
  }
  return request.on;
}
