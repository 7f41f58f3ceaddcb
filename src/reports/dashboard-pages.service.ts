import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { renderFragment } from '../common/views/templates';
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
   * The page body already rendered — the filter bar and the numbers (`admin/_dashboard`, charts drawn)
   * — cached like the numbers it is made of (and made stale with them): a cached request renders only
   * the layout around it.
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
          dashboardHtml,
        };
        // the page body (filter bar and numbers) for a full page, the numbers alone for HTMX's filter changes
        return { title: 'Dashboard', pageHtml: renderFragment('admin/_dashboard-page', page), dashboardHtml };
      },
      'page',
    );
  }

  /** The filter bar as typed, for a refused period. */
  async refused(query: { from?: string; to?: string; doctorId?: string[] }) {
    const chosen = new Set(query.doctorId ?? []);
    const doctors = await this.reports.doctors();
    return {
      title: 'Dashboard',
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
        { key: 'revenue', label: 'Revenue', value: `${formatMoney(s.revenue)} ${s.currency}`, hint: 'Payments received in the period' },
        { key: 'unpaid', label: 'Invoiced, not paid', value: `${formatMoney(s.unpaid)} ${s.currency}`, hint: "Still owed on the period's invoices" },
        { key: 'appointments', label: 'Appointments', value: String(s.appointments), hint: 'Starting in the period, any status' },
        { key: 'completion', label: 'Completion rate', value: rate(s.completionRate), hint: 'Completed of all appointments' },
        { key: 'cancellation', label: 'Cancellation rate', value: rate(s.cancellationRate), hint: 'Cancelled of all appointments' },
        { key: 'no-show', label: 'No-show rate', value: rate(s.noShowRate), hint: 'Missed of all appointments' },
      ],
      revenueChart: revenueTotal > 0 ? areaChart('revenue-chart', 'Revenue per day', s.revenuePerDay.map((d) => ({ label: d.day, value: Number(d.amount) })), s.currency) : null,
      statusChart: s.appointments > 0 ? donutChart('status-chart', 'Appointments by status', s.byStatus.map((b) => ({ key: b.status, label: b.label, value: b.count }))) : null,
      statusLegend: s.byStatus.map((b) => ({ ...b, share: share(b.count, s.appointments) })),
      doctorChart: s.revenuePerDoctor.length
        ? barChart('doctor-chart', 'Revenue per doctor', s.revenuePerDoctor.map((d) => ({ label: d.doctorName, value: Number(d.amount) })), s.currency)
        : null,
      revenueDays: s.revenuePerDay.filter((d) => Number(d.amount) > 0).map((d) => ({ ...d, amount: formatMoney(d.amount) })),
      doctorRows: s.revenuePerDoctor.map((d) => ({ ...d, amount: formatMoney(d.amount) })),
    };
  }
}

const rate = (value: string | null) => (value === null ? '—' : `${value} %`);
