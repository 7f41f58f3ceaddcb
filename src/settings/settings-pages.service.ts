import { Injectable } from '@nestjs/common';
import type { FormModelProvider } from '../auth/access.decorator';
import { displayPhone } from '../common/phone';
import { LANGUAGE_NAMES, LANGUAGES, t } from '../i18n/i18n';
import { TenantContext } from '../tenancy/tenant-context';
import type { ClinicSettings } from './clinic-settings';
import { SettingsService } from './settings.service';

/** The settings page's model (the rules stay in SettingsService). */
@Injectable()
export class SettingsPages implements FormModelProvider {
  constructor(
    private readonly settings: SettingsService,
    private readonly context: TenantContext,
  ) {}

  async page(saved = false) {
    return { title: t('settings:page.title'), saved, values: this.values(await this.settings.get()), languages: languageChoices() };
  }

  /** A refused form keeps what was typed (the filter passes it as `values`). */
  async formModel() {
    const { values: _stored, ...model } = await this.page();
    return model;
  }

  /** The form's fields as text ("0" must show, so numbers are strings). */
  values(s: ClinicSettings): Record<string, string> {
    return {
      contactPhone: s.contactPhone ? displayPhone(s.contactPhone, this.context.tenant.phoneRegion) : '',
      address: s.address,
      maxFutureAppointments: String(s.portal.maxFutureAppointments),
      minHoursAhead: String(s.portal.minHoursAhead),
      maxDaysAhead: String(s.portal.maxDaysAhead),
      cancelCutoffHours: String(s.portal.cancelCutoffHours),
      noShowGraceMinutes: String(s.automation.noShowGraceMinutes),
      noShowPenalty: s.automation.noShowPenalty,
      remindersEnabled: s.automation.remindersEnabled ? 'true' : 'false',
      language: s.language,
    };
  }
}

/** Each language the clinic may speak, named in itself (as on the switch). */
const languageChoices = () => LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code] }));
