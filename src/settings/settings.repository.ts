import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';
import type { AutomationRules, ClinicSettings, PortalRules } from './clinic-settings';

interface SettingsRow {
  contactPhone: string | null;
  address: string;
  maxFutureAppointments: number;
  minHoursAhead: number;
  maxDaysAhead: number;
  cancelCutoffHours: number;
  noShowGraceMinutes: number;
  noShowPenalty: string;
  remindersEnabled: boolean;
  updatedAt: Date;
}

/** The row of clinic_settings (the clinic's language is in the registry, added by SettingsService). */
export type StoredSettings = Omit<ClinicSettings, 'language'>;

export interface SettingsChange {
  readonly contactPhone?: string | null;
  readonly address?: string;
  readonly portal?: Partial<PortalRules>;
  readonly automation?: Partial<AutomationRules>;
}

const COLUMNS = `contact_phone AS "contactPhone", address, portal_max_future AS "maxFutureAppointments", portal_min_hours_ahead AS "minHoursAhead",
  portal_max_days_ahead AS "maxDaysAhead", portal_cancel_cutoff_hours AS "cancelCutoffHours",
  no_show_grace_minutes AS "noShowGraceMinutes", no_show_penalty::text AS "noShowPenalty", reminders_enabled AS "remindersEnabled", updated_at AS "updatedAt"`;

/** The clinic's one settings row, through the request's tenant transaction. */
@Injectable()
export class SettingsRepository {
  constructor(private readonly context: TenantContext) {}

  async get(): Promise<StoredSettings> {
    const rows: SettingsRow[] = await this.context.manager.query(`SELECT ${COLUMNS} FROM clinic_settings`);
    return toSettings(rows[0]);
  }

  /** Changes what is given (undefined keeps a value) and returns the row as it now is. */
  async update(change: SettingsChange): Promise<StoredSettings> {
    const p = change.portal ?? {};
    const a = change.automation ?? {};
    const rows: SettingsRow[] = await this.context.manager.query(
      `WITH changed AS (
         UPDATE clinic_settings
            SET contact_phone = CASE WHEN $1 THEN $2 ELSE contact_phone END,
                address = coalesce($3, address),
                portal_max_future = coalesce($4, portal_max_future),
                portal_min_hours_ahead = coalesce($5, portal_min_hours_ahead),
                portal_max_days_ahead = coalesce($6, portal_max_days_ahead),
                portal_cancel_cutoff_hours = coalesce($7, portal_cancel_cutoff_hours),
                no_show_grace_minutes = coalesce($8, no_show_grace_minutes),
                no_show_penalty = coalesce($9::numeric, no_show_penalty),
                reminders_enabled = coalesce($10, reminders_enabled),
                updated_at = now()
          RETURNING *)
       SELECT ${COLUMNS} FROM changed`,
      [
        change.contactPhone !== undefined,
        change.contactPhone ?? null,
        change.address ?? null,
        p.maxFutureAppointments ?? null,
        p.minHoursAhead ?? null,
        p.maxDaysAhead ?? null,
        p.cancelCutoffHours ?? null,
        a.noShowGraceMinutes ?? null,
        a.noShowPenalty ?? null,
        a.remindersEnabled ?? null,
      ],
    );
    return toSettings(rows[0]);
  }
}

function toSettings(row: SettingsRow): StoredSettings {
  const { contactPhone, address, updatedAt, noShowGraceMinutes, noShowPenalty, remindersEnabled, ...portal } = row;
  return { contactPhone, address, portal, automation: { noShowGraceMinutes, noShowPenalty, remindersEnabled }, updatedAt: new Date(updatedAt) };
}
