import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { CLOCK, type Clock } from '../common/clock';
import { calendarDay, localDate, localTime, localToday } from '../common/time';
import { isId } from '../common/validation/ids';
import { DashboardCache } from '../reports/dashboard-cache.service';
import { TenantContext } from '../tenancy/tenant-context';
import { t } from '../i18n/i18n';
import { invoiceStatusLabel, type InvoiceView, methodLabel, type PaymentMethod } from './invoice';
import { InvoiceException, invoiceNotFound } from './invoices.exception';
import { type InvoiceFilter, type InvoiceRow, InvoicesRepository } from './invoices.repository';

export const INVOICE_PAGE = 50;

/** Whole cents of an amount text ("150.5" → 15050): compared as integers, never as floats. */
const cents = (amount: string): number => {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};

/** Taking payments and voiding invoices: the front desk's and the owner's billing rules. */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly dashboard: DashboardCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  today(): string {
    return localToday(this.clock.now(), this.zone());
  }

  /** A page of invoices (newest visit first) with the totals of all that match; the days are the visits', clinic-local. */
  async list(query: { status?: InvoiceFilter['status']; doctorId?: string; from?: string; to?: string; page?: number }) {
    const zone = this.zone();
    const day = (text: string | undefined, field: string) => {
      if (!text) return undefined;
      const d = calendarDay(text, zone);
      if (!d) throw new InvoiceException('invalid_filter', t('invoices:errors.notADate', { text }), { [field]: [t('invoices:errors.notADateField', { text })] });
      return d;
    };
    const from = day(query.from, 'from');
    const to = day(query.to, 'to');
    if (from && to && from > to) {
      throw new InvoiceException('invalid_filter', t('invoices:errors.periodReversed', { from: query.from, to: query.to }), { from: [t('invoices:errors.periodReversedField')] });
    }
    const page = query.page ?? 1;
    const { rows, totals } = await this.invoices.list(
      { status: query.status, doctorId: query.doctorId, start: from?.toJSDate(), end: to?.plus({ days: 1 }).toJSDate() },
      INVOICE_PAGE,
      (page - 1) * INVOICE_PAGE,
    );
    return { invoices: rows.map((r) => this.view(r, [])), totals: { ...totals, currency: this.context.tenant.currency }, page, pages: Math.max(1, Math.ceil(totals.count / INVOICE_PAGE)) };
  }

  async get(id: string): Promise<InvoiceView> {
    const row = isId(id) ? await this.invoices.find(id) : null;
    if (!row) throw invoiceNotFound();
    return this.view(row, await this.invoices.payments(row.id));
  }

  /**
   * Takes a payment (the whole balance unless an amount is given) on a locked invoice: refused for a
   * void or fully paid invoice (409), more than the balance, a future date (422). Audited.
   */
  async pay(actor: Principal, id: string, input: { amount?: string; method: PaymentMethod; paidOn?: string; reference?: string }, ip: string | undefined): Promise<InvoiceView> {
    const invoice = isId(id) ? await this.invoices.lock(id) : null;
    if (!invoice) throw invoiceNotFound();
    if (invoice.status === 'void') throw new InvoiceException('invoice_void', t('invoices:errors.voidCannotPay', { number: invoice.number }));
    if (invoice.status === 'paid') throw new InvoiceException('invoice_paid', t('invoices:errors.alreadyPaid', { number: invoice.number }));
    const amount = input.amount ?? invoice.balance;
    const currency = this.context.tenant.currency;
    if (cents(amount) === 0) throw new InvoiceException('invalid_payment', t('invoices:errors.zeroPayment'), { amount: [t('invoices:errors.zeroPaymentField')] });
    if (cents(amount) > cents(invoice.balance)) {
      const message = t('invoices:errors.overpayment', { number: invoice.number, balance: invoice.balance, currency, amount });
      throw new InvoiceException('overpayment', message, { amount: [message] });
    }
    const paidOn = input.paidOn ?? this.today();
    if (!calendarDay(paidOn, this.zone())) throw new InvoiceException('invalid_payment', t('invoices:errors.notADate', { text: paidOn }), { paidOn: [t('invoices:errors.calendarDateField')] });
    if (paidOn > this.today()) {
      throw new InvoiceException('invalid_payment', t('invoices:errors.future', { paidOn, today: this.today() }), { paidOn: [t('invoices:errors.futureField')] });
    }
    const paymentId = await this.invoices.addPayment(invoice.id, { amount, method: input.method, paidOn, reference: input.reference ?? '', by: actor.userId });
    this.dashboard.invalidate();
    await this.audit.record({
      action: 'invoice.paid',
      actorId: actor.userId,
      entity: 'invoice',
      entityId: invoice.id,
      details: { number: invoice.number, paymentId, amount, method: input.method, paidOn },
      ip,
    });
    return this.get(invoice.id);
  }

  /** Voids an invoice with a reason (the owner only: the controllers say so). Its payments no longer count as revenue. Audited. */
  async void(actor: Principal, id: string, reason: string, ip: string | undefined): Promise<InvoiceView> {
    const invoice = isId(id) ? await this.invoices.lock(id) : null;
    if (!invoice) throw invoiceNotFound();
    if (invoice.status === 'void') throw new InvoiceException('invoice_void', t('invoices:errors.alreadyVoid', { number: invoice.number }));
    await this.invoices.markVoid(invoice.id, reason.trim(), actor.userId);
    this.dashboard.invalidate();
    await this.audit.record({
      action: 'invoice.voided',
      actorId: actor.userId,
      entity: 'invoice',
      entityId: invoice.id,
      details: { number: invoice.number, reason: reason.trim(), wasStatus: invoice.status, paid: invoice.paid },
      ip,
    });
    return this.get(invoice.id);
  }

  /** A day's payments: totals per method and per doctor (the day's close-out). */
  async closeOut(date: string | undefined) {
    const day = date ?? this.today();
    if (!calendarDay(day, this.zone())) throw new InvoiceException('invalid_filter', t('invoices:errors.notADate', { text: day }), { date: [t('invoices:errors.calendarDateField')] });
    const result = await this.invoices.closeOut(day);
    return {
      date: day,
      currency: this.context.tenant.currency,
      ...result,
      byMethod: result.byMethod.map((m) => ({ ...m, methodLabel: methodLabel(m.method) })),
      payments: result.payments.map((p) => ({ ...p, methodLabel: methodLabel(p.method) })),
    };
  }

  doctors() {
    return this.invoices.doctors();
  }

  private view(row: InvoiceRow, payments: Awaited<ReturnType<InvoicesRepository['payments']>>): InvoiceView {
    const zone = this.zone();
    const startsAt = new Date(row.startsAt);
    return {
      id: row.id,
      number: row.number,
      status: row.status,
      statusLabel: invoiceStatusLabel(row.status),
      amount: row.amount,
      paid: row.paid,
      balance: row.status === 'void' ? '0.00' : row.balance,
      currency: this.context.tenant.currency,
      visit: { appointmentId: row.appointmentId, date: localDate(startsAt, zone), time: localTime(startsAt, zone) },
      patient: { id: row.patientId, fullName: row.patientName, fileNumber: row.fileNumber },
      doctor: { id: row.doctorId, fullName: row.doctorName },
      voidReason: row.voidReason,
      payments: payments.map((p) => ({ ...p, methodLabel: methodLabel(p.method) })),
    };
  }

  private zone(): string {
    return this.context.tenant.timeZone;
  }
}
