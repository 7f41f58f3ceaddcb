import { Inject, Injectable } from '@nestjs/common';
import { APPOINTMENT_STATUSES, type AppointmentStatus, statusLabel } from '../appointments/appointment-status';
import { CLOCK, type Clock } from '../common/clock';
import { t } from '../i18n/i18n';
import { TenantContext } from '../tenancy/tenant-context';
import { DashboardCache } from './dashboard-cache.service';
import { daysOf, periodInstants, type ReportFilter, reportFilter } from './report-filter';
import { ReportException } from './reports.exception';
import { ReportsRepository } from './reports.repository';

/** The owner's numbers for a period and some doctors, as the dashboard and `/api/v1/reports/summary` give them. */
export interface Summary {
  readonly filter: ReportFilter;
  readonly currency: string;
  /** When these numbers were computed (they may come from the cache). */
  readonly computedAt: string;
  readonly revenue: string;
  readonly unpaid: string;
  readonly appointments: number;
  /** Percent with one decimal, or null for a period without appointments. */
  readonly completionRate: string | null;
  readonly cancellationRate: string | null;
  readonly noShowRate: string | null;
  readonly byStatus: { status: AppointmentStatus; label: string; count: number }[];
  /** Every day of the period, days without payments at 0.00. */
  readonly revenuePerDay: { day: string; amount: string }[];
  readonly revenuePerDoctor: { doctorId: string; doctorName: string; amount: string }[];
}

/** What is cached: the summary without words, the same for every language. */
type Numbers = Omit<Summary, 'byStatus'> & { readonly byStatus: { status: AppointmentStatus; count: number }[] };

/** The owner's reports: the rules of the period and the doctors; the numbers come from SQL. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly cache: DashboardCache,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The filter as asked, defaults filled in; 422 for a bad period or a doctor the clinic does not have. */
  async filter(query: { from?: string; to?: string; doctorId?: string[] }): Promise<ReportFilter> {
    const filter = reportFilter(query, this.clock.now(), this.context.tenant.timeZone);
    if (filter.doctorIds.length) {
      const known = new Set((await this.reports.doctors()).map((d) => d.id));
      const unknown = filter.doctorIds.filter((id) => !known.has(id));
      if (unknown.length) {
        const message = t('reports:errors.unknownDoctor', { ids: unknown.join(', ') });
        throw new ReportException(message, { doctorId: [message] });
      }
    }
    return filter;
  }

  doctors() {
    return this.reports.doctors();
  }

  /** The numbers, cached once for every language; the status labels are put in per request, in its language. */
  async summary(filter: ReportFilter): Promise<Summary> {
    const numbers = await this.cache.remember(filter, () => this.compute(filter));
    return { ...numbers, byStatus: numbers.byStatus.map((b) => ({ ...b, label: statusLabel(b.status) })) };
  }

  private async compute(filter: ReportFilter): Promise<Numbers> {
    const { start, end } = periodInstants(filter, this.context.tenant.timeZone);
    const row = await this.reports.summary({ start, end, from: filter.from, to: filter.to, doctorIds: filter.doctorIds.length ? filter.doctorIds : null });
    const paidOn = new Map(row.revenuePerDay.map((d) => [d.day, d.amount]));
    const counts: Record<AppointmentStatus, number> = {
      scheduled: row.scheduled,
      checked_in: row.checkedIn,
      completed: row.completed,
      cancelled: row.cancelled,
      no_show: row.noShow,
    };
    return {
      filter,
      currency: this.context.tenant.currency,
      computedAt: this.clock.now().toISOString(),
      revenue: row.revenue,
      unpaid: row.unpaid,
      appointments: row.appointments,
      completionRate: row.completionRate,
      cancellationRate: row.cancellationRate,
      noShowRate: row.noShowRate,
      byStatus: APPOINTMENT_STATUSES.map((status) => ({ status, count: counts[status] })),
      revenuePerDay: daysOf(filter).map((day) => ({ day, amount: paidOn.get(day) ?? '0.00' })),
      revenuePerDoctor: row.revenuePerDoctor,
    };
  }
}
