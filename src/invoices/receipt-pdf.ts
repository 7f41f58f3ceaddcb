import { labelled, MARGIN, MUTED, paragraph, pdfDocument, rule } from '../common/pdf/pdf-document';
import { t } from '../i18n/i18n';
import type { InvoiceView } from './invoice';

export interface Receipt {
  readonly clinicName: string;
  readonly address: string;
  readonly phone: string | null;
  readonly invoice: InvoiceView;
  /** The clinic-local time it was printed. */
  readonly printedAt: string;
}

/** The receipt of an invoice as a one-page A5 PDF: the clinic, the visit, the amount, each payment and the balance. */
export function receiptPdf(r: Receipt, options: { compress?: boolean } = {}): Promise<Buffer> {
  const info = { Title: t('invoices:receipt.pdfTitle', { number: r.invoice.number }), Author: r.clinicName, Subject: t('invoices:receipt.pdfSubject') };
  return pdfDocument('a5', info, (doc) => {
    const left = MARGIN;
    const width = doc.page.width - 2 * MARGIN;
    const money = (amount: string) => `${amount} ${r.invoice.currency}`;
    let y = MARGIN;
    y += paragraph(doc, r.clinicName, left, y, width, { bold: true, size: 15, align: 'center' });
    if (r.address) y += paragraph(doc, r.address, left, y, width, { size: 9, color: MUTED, align: 'center' });
    if (r.phone) y += paragraph(doc, r.phone, left, y, width, { size: 9, color: MUTED, align: 'center' });
    y += 6;
    rule(doc, left, y, width);
    y += 10;
    y += paragraph(doc, t('invoices:receipt.heading', { number: r.invoice.number }), left, y, width, { bold: true, size: 12 });
    y += 6;
    y += labelled(doc, t('invoices:receipt.patient'), `${r.invoice.patient.fullName} (${r.invoice.patient.fileNumber})`, left, y, width);
    y += labelled(doc, t('invoices:receipt.doctor'), r.invoice.doctor.fullName, left, y, width);
    y += labelled(doc, t('invoices:receipt.visit'), `${r.invoice.visit.date} ${r.invoice.visit.time}`, left, y, width);
    y += labelled(doc, t('invoices:receipt.amount'), money(r.invoice.amount), left, y, width);
    for (const p of r.invoice.payments) {
      y += labelled(doc, t('invoices:receipt.paid'), `${t('invoices:receipt.payment', { amount: p.amount, currency: r.invoice.currency, method: p.methodLabel, day: p.paidOn })}${p.reference ? ` (${p.reference})` : ''}`, left, y, width);
    }
    y += labelled(doc, t('invoices:receipt.balance'), money(r.invoice.balance), left, y, width);
    y += labelled(doc, t('invoices:receipt.status'), r.invoice.statusLabel + (r.invoice.voidReason ? ` — ${r.invoice.voidReason}` : ''), left, y, width);
    y += 10;
    rule(doc, left, y, width);
    y += 6;
    paragraph(doc, t('invoices:receipt.printed', { at: r.printedAt }), left, y, width, { size: 8, color: MUTED });
  }, options);
}
