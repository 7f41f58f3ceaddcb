import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { FormModelProvider } from '../auth/access.decorator';
import { AppException } from '../common/errors/app-exception';
import { CLOCK, type Clock } from '../common/clock';
import { displayPhone } from '../common/phone';
import { localDate, localTime } from '../common/time';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { SettingsService } from '../settings/settings.service';
import { TenantContext } from '../tenancy/tenant-context';
import { t } from '../i18n/i18n';
import { INVOICE_STATUSES, invoiceStatusLabel, methodLabel, PAYMENT_METHODS } from './invoice';
import { InvoicesService } from './invoices.service';
import { type Receipt, receiptPdf } from './receipt-pdf';

/** The view models of the billing pages and the receipt (the rules stay in InvoicesService). */
@Injectable()
export class InvoicePages implements FormModelProvider {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly settings: SettingsService,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async index(query: { status?: (typeof INVOICE_STATUSES)[number]; doctorId?: string; from?: string; to?: string; page?: number }) {
    const list = await this.invoices.list(query);
    const doctors = await this.invoices.doctors();
    const link = (page: number) => `/invoices?${new URLSearchParams({ ...Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])), page: String(page) }).toString()}`;
    return {
      title: t('invoices:title'),
      ...list,
      query,
      statuses: INVOICE_STATUSES.map((s) => ({ value: s, label: invoiceStatusLabel(s), selected: s === query.status })),
      doctors: doctors.map((d) => ({ ...d, selected: d.id === query.doctorId })),
      previous: list.page > 1 ? link(list.page - 1) : null,
      next: list.page < list.pages ? link(list.page + 1) : null,
    };
  }

  async invoice(id: string, done?: string) {
    const invoice = await this.invoices.get(id);
    return {
      title: t('invoices:show.title', { number: invoice.number }),
      invoice,
      canPay: invoice.status === 'pending' || invoice.status === 'partial',
      methods: PAYMENT_METHODS.map((m) => ({ value: m, label: methodLabel(m) })),
      today: this.invoices.today(),
      notice: done === 'paid' ? t('invoices:notices.paid') : done === 'voided' ? t('invoices:notices.voided') : undefined,
    };
  }

  /** A refused payment or void shows the invoice again with the message (an unknown invoice: the message alone). */
  async formModel(req: Request, refusal: unknown) {
    if (refusal instanceof AppException && refusal.status === 404) return {};
    const id = String((req.params as Record<string, string | undefined>).id ?? '');
    return this.invoice(id).catch(() => ({}));
  }

  async receipt(id: string): Promise<Receipt> {
    const invoice = await this.invoices.get(id);
    const settings = await this.settings.get();
    const now = this.clock.now();
    const zone = this.context.tenant.timeZone;
    return {
      clinicName: this.context.tenant.displayName,
      address: settings.address,
      phone: settings.contactPhone && displayPhone(settings.contactPhone, this.context.tenant.phoneRegion),
      invoice,
      printedAt: `${localDate(now, zone)} ${localTime(now, zone)}`,
    };
  }

  async receiptPdf(id: string): Promise<{ fileName: string; content: Buffer }> {
    const receipt = await this.receipt(id);
    // uncompressed under test, so a test can read what it draws
    const content = await receiptPdf(receipt, { compress: this.config.nodeEnv !== 'test' });
    return { fileName: `receipt-${receipt.invoice.number}.pdf`, content };
  }

  closeOut(date: string | undefined) {
    return this.invoices.closeOut(date).then((c) => ({ ...c, title: t('invoices:closeOut.title', { date: c.date }) }));
  }
}
