import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { toE164 } from '../common/phone';
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
  ) {}

  get(): Promise<ClinicSettings> {
    return this.repository.get();
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
    const before = await this.repository.get();
    const after = await this.repository.update(change);
    const [was, now] = [flat(before), flat(after)];
    const changed = Object.fromEntries(Object.entries(now).filter(([key, value]) => value !== was[key]));
    await this.audit.record({ action: 'settings.updated', actorId: actor.userId, entity: 'clinic_settings', details: changed, ip });
    return after;
  }

  private phone(raw: string): string {
    const e164 = toE164(raw, this.context.tenant.phoneRegion);
    if (!e164) {
      const message = `${raw} is not a phone number the clinic can be called on; enter it as patients would dial it, e.g. 02 2345 6789`;
      throw new SettingsException(message, { contactPhone: [message] });
    }
    return e164;
  }
}

const flat = (s: ClinicSettings): Record<string, unknown> => ({ contactPhone: s.contactPhone, address: s.address, ...s.portal, ...s.automation });
