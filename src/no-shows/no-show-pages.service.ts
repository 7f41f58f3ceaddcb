import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { localDate, localTime } from '../common/time';
import { t } from '../i18n/i18n';
import { TenantContext } from '../tenancy/tenant-context';
import { NoShowsService } from './no-shows.service';
import { type Penalty, penaltyStatusLabel } from './penalty';

/** The view models of the no-show report and of a patient's penalties (the rules stay in NoShowsService). */
@Injectable()
export class NoShowPages {
  constructor(
    private readonly noShows: NoShowsService,
    private readonly context: TenantContext,
  ) {}

  async report(query: { from?: string; to?: string; doctorId?: string[] }) {
    const metrics = await this.noShows.metrics(query);
    return { title: t('noShows:title'), ...metrics, unpaid: metrics.unpaid.map((p) => this.line(p)), currency: this.context.tenant.currency };
  }

  /** A patient's penalties for the profile, with what this person may do about each. */
  async ofPatient(actor: Principal, patientId: string) {
    const penalties = await this.noShows.penaltiesOf(patientId);
    return {
      penalties: penalties.map((p) => ({
        ...this.line(p),
        canPay: p.status === 'unpaid' && (actor.role === 'admin' || actor.role === 'reception'),
        canWaive: p.status === 'unpaid' && actor.role === 'admin',
      })),
      currency: this.context.tenant.currency,
    };
  }

  line(p: Penalty) {
    const zone = this.context.tenant.timeZone;
    const startsAt = new Date(p.startsAt);
    return {
      ...p,
      missed: `${localDate(startsAt, zone)} ${localTime(startsAt, zone)}`,
      statusLabel: penaltyStatusLabel(p.status),
      settledOn: p.settledAt ? localDate(new Date(p.settledAt), zone) : null,
    };
  }
}
