import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { toE164 } from '../common/phone';
import { type Language, t } from '../i18n/i18n';
import { PlatformRepository } from '../platform/platform.repository';
import { TenantRegistry } from '../platform/tenant-registry.service';
import { TenantContext } from '../tenancy/tenant-context';
import type { ClinicSettings } from './clinic-settings';
import type { ClinicSettingsDto } from './dto/settings.dto';
import { SettingsException } from './settings.exception';
import { type SettingsChange, SettingsRepository } from './settings.repository';

/** The clinic's settings: read by the features that follow them (the portal), changed by the owner. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly repository: SettingsRepository,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly registry: TenantRegistry,
  ) {}

  private readonly platform = new PlatformRepository();

  async get(): Promise<ClinicSettings> {
    return { ...(await this.repository.get()), language: this.context.tenant.language };
  }

  /** Changes what is given; a phone is read in the clinic's region and stored as E.164. Audited. */
  async update(actor: Principal, input: ClinicSettingsDto, ip: string | undefined): Promise<ClinicSettings> {
    const change: SettingsChange = {
      contactPhone: input.contactPhone === undefined || input.contactPhone === null ? input.contactPhone : this.phone(input.contactPhone),
      address: input.address,
      portal: {
        maxFutureAppointments: input.maxFutureAppointments,
        minHoursAhead: input.minHoursAhead,
        maxDaysAhead: input.maxDaysAhead,
        cancelCutoffHours: input.cancelCutoffHours,
      },
      automation: {
        noShowGraceMinutes: input.noShowGraceMinutes,
        noShowPenalty: input.noShowPenalty,
        remindersEnabled: input.remindersEnabled,
      },
    };
    const before = await this.get();
    const after = { ...(await this.repository.update(change)), language: await this.language(before.language, input.language) };
    const [was, now] = [flat(before), flat(after)];
    const changed = Object.fromEntries(Object.entries(now).filter(([key, value]) => value !== was[key]));
    await this.audit.record({ action: 'settings.updated', actorId: actor.userId, entity: 'clinic_settings', details: changed, ip });
    return after;
  }

  /**
   * The clinic's default language lives in its registry row. The clinic's role may change that one
   * column of its own row (a right of the clinics' group role; row-level security keeps each clinic
   * to its own row: platform migrations 20261202100000 and 20261202200000), so it changes here, in
   * this request's transaction, with the audit entry; every instance drops its registry cache when
   * the transaction commits (NOTIFY), this one at once.
   */
  private async language(was: Language, wanted: Language | undefined): Promise<Language> {
    if (wanted === undefined || wanted === was) return was;
    const { id } = this.context.tenant;
    await this.platform.setLanguage(this.context.manager, id, wanted);
    await this.platform.notifyRegistryChanged(this.context.manager, id);
    this.context.afterCommit(async () => this.registry.invalidate());
    return wanted;
  }

  private phone(raw: string): string {
    const e164 = toE164(raw, this.context.tenant.phoneRegion);
    if (!e164) {
      const message = t('settings:fields.phoneInvalid', { phone: raw });
      throw new SettingsException(message, { contactPhone: [message] });
    }
    return e164;
  }
}

const flat = (s: ClinicSettings): Record<string, unknown> => ({ contactPhone: s.contactPhone, address: s.address, language: s.language, ...s.portal, ...s.automation });
