import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { renderFragment } from '../common/views/templates';
import { t } from '../i18n/i18n';
import { TenantContext } from '../tenancy/tenant-context';
import { DashboardCache } from './dashboard-cache.service';
import { areaChart, barChart, donutChart, formatMoney, share } from './charts';
import type { ReportFilter } from './report-filter';
import { type Summary, ReportsService } from './reports.service';

/** The dashboard's view model: the filter bar, the cards and the charts (the numbers come from ReportsService). */
@Injectable()
export class DashboardPages {
  constructor(
    private readonly reports: ReportsService,
    private readonly cache: DashboardCache,
    private readonly context: TenantContext,
  ) {}

  /**
   * The page body already rendered — the head and filter bar (`admin/_dashboard-page`) and the numbers
   * (`admin/_dashboard`, charts drawn), apart: a full page shows both, an HTMX filter change only the
   * numbers — cached like the numbers they are made of (and made stale with them): a cached request
   * renders only the layout around them.
   */
  dashboard(filter: ReportFilter) {
    return this.cache.remember(
      filter,
      async () => {
        const summary = await this.reports.summary(filter);
        const doctors = await this.reports.doctors();
        const chosen = new Set(filter.doctorIds);
        const allDoctors = chosen.size === 0;
        const dashboardHtml = renderFragment('admin/_dashboard', { allDoctors, ...this.view(summary) });
        const page = {
          clinic: { displayName: this.context.tenant.displayName },
          filter,
          doctors: doctors.map((d) => ({ ...d, checked: chosen.has(d.id) })),
        };
        return { title: t('reports:title'), headHtml: renderFragment('admin/_dashboard-page', page), dashboardHtml };
      },
      'page',
    );
  }

  /** The filter bar as typed, for a refused period. */
  async refused(query: { from?: string; to?: string; doctorId?: string[] }) {
    const chosen = new Set(query.doctorId ?? []);
    const doctors = await this.reports.doctors();
    return {
      title: t('reports:title'),
      filter: { from: query.from ?? '', to: query.to ?? '', doctorIds: [...chosen] },
      doctors: doctors.map((d) => ({ ...d, checked: chosen.has(d.id) })),
      allDoctors: chosen.size === 0,
    };
  }

  private view(s: Summary) {
    const zone = this.context.tenant.timeZone;
    const revenueTotal = Number(s.revenue);
    return {
      summary: s,
      computedAtLocal: DateTime.fromISO(s.computedAt, { zone }).toFormat('yyyy-MM-dd HH:mm'),
      cards: [
        { key: 'revenue', label: t('reports:cards.revenue'), value: `${formatMoney(s.revenue)} ${s.currency}`, hint: t('reports:cards.revenueHint') },
        { key: 'unpaid', label: t('reports:cards.unpaid'), value: `${formatMoney(s.unpaid)} ${s.currency}`, hint: t('reports:cards.unpaidHint') },
        { key: 'appointments', label: t('reports:cards.appointments'), value: String(s.appointments), hint: t('reports:cards.appointmentsHint') },
        { key: 'completion', label: t('reports:cards.completion'), value: rate(s.completionRate), hint: t('reports:cards.completionHint') },
        { key: 'cancellation', label: t('reports:cards.cancellation'), value: rate(s.cancellationRate), hint: t('reports:cards.cancellationHint') },
        { key: 'no-show', label: t('reports:cards.noShow'), value: rate(s.noShowRate), hint: t('reports:cards.noShowHint') },
      ],
      revenueChart: revenueTotal > 0 ? areaChart('revenue-chart', t('reports:dashboard.revenuePerDay'), s.revenuePerDay.map((d) => ({ label: d.day, value: Number(d.amount) })), s.currency) : null,
      statusChart: s.appointments > 0 ? donutChart('status-chart', t('reports:dashboard.byStatus'), s.byStatus.map((b) => ({ key: b.status, label: b.label, value: b.count }))) : null,
      statusLegend: s.byStatus.map((b) => ({ ...b, share: share(b.count, s.appointments) })),
      doctorChart: s.revenuePerDoctor.length
        ? barChart('doctor-chart', t('reports:dashboard.revenuePerDoctor'), s.revenuePerDoctor.map((d) => ({ label: d.doctorName, value: Number(d.amount) })), s.currency)
        : null,
      revenueDays: s.revenuePerDay.filter((d) => Number(d.amount) > 0).map((d) => ({ ...d, amount: formatMoney(d.amount) })),
      doctorRows: s.revenuePerDoctor.map((d) => ({ ...d, amount: formatMoney(d.amount) })),
    };
  }
}

const rate = (value: string | null) => (value === null ? '—' : `${value} %`);
