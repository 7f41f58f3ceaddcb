import { type Language, says } from '../i18n/i18n';

/** The rules of the patient portal's online booking, per clinic (ARCHITECTURE §3, `clinic_settings`). */
export interface PortalRules {
  /** Upcoming appointments a patient may hold at once; 0 turns online booking off. */
  readonly maxFutureAppointments: number;
  /** How long before its start an appointment may still be booked online. */
  readonly minHoursAhead: number;
  /** How far ahead, in days counted from the clinic's today, online booking reaches. */
  readonly maxDaysAhead: number;
  /** Until how many hours before its start a patient may cancel online. */
  readonly cancelCutoffHours: number;
}

/** The rules of the background jobs (ARCHITECTURE §3, issue 8): no-shows and reminders. */
export interface AutomationRules {
  /** Minutes after its end before an appointment nobody closed becomes a no-show. */
  readonly noShowGraceMinutes: number;
  /** What a no-show costs, as decimal text; "0.00" records it without a charge. */
  readonly noShowPenalty: string;
  /** Whether patients get a reminder (with confirm / cancel links) 24 hours ahead. */
  readonly remindersEnabled: boolean;
}

/** What the clinic owner sets for the clinic: how patients reach it, the portal's rules, the automation's. */
export interface ClinicSettings {
  /** E.164, or null until the owner sets it. */
  readonly contactPhone: string | null;
  readonly address: string;
  readonly portal: PortalRules;
  readonly automation: AutomationRules;
  /** The clinic's default language: a column of its registry row (platform.tenants), not of clinic_settings. */
  readonly language: Language;
  readonly updatedAt: Date;
}

export const GRACE_LIMITS = { min: 0, max: 1440, message: says('settings:fields.noShowGraceMinutes') };

/** The bounds the database also checks, so that a form can say them in words (in the language of the request). */
export const RULE_LIMITS: Record<keyof PortalRules, { min: number; max: number; message: () => string }> = {
  maxFutureAppointments: { min: 0, max: 20, message: says('settings:fields.maxFutureAppointments') },
  minHoursAhead: { min: 0, max: 168, message: says('settings:fields.minHoursAhead') },
  maxDaysAhead: { min: 1, max: 365, message: says('settings:fields.maxDaysAhead') },
  cancelCutoffHours: { min: 0, max: 168, message: says('settings:fields.cancelCutoffHours') },
};
