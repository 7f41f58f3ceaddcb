import { inLanguage, type Language, translate } from '../../src/i18n/i18n';
import type { InvoiceView } from '../../src/invoices/invoice';
import { receiptPdf } from '../../src/invoices/receipt-pdf';
import { pdfRuns } from '../support/pdf';

/*
 * A printed document in each language: its words from the translation files, and in Arabic laid out
 * right to left (each label at the right edge, its value to the left of it).
 */
describe('PDFs in English and Arabic', () => {
  const invoice: InvoiceView = {
    id: '1',
    number: '000042',
    status: 'paid',
    statusLabel: 'x',
    amount: '150.00',
    paid: '150.00',
    balance: '0.00',
    currency: 'EGP',
    visit: { appointmentId: '1', date: '2026-11-23', time: '10:30' },
    patient: { id: '1', fullName: 'Amir Hassan', fileNumber: '000001' },
    doctor: { id: '1', fullName: 'Dr. Ahmed Hassan' },
    voidReason: null,
    payments: [],
  };
  const A5_WIDTH = 419.53;

  const receipt = (language: Language) =>
    inLanguage(language, () => receiptPdf({ clinicName: 'Hassan Clinic', address: '', phone: null, printedAt: '2026-11-23 10:00', invoice }, { compress: false }));
  /** A run as a reader sees it: Arabic is drawn in visual order, so it reads back reversed. */
  const reading = (language: Language, text: string) => (language === 'ar' ? [...text].reverse().join('') : text);

  it.each(['en', 'ar'] as const)('puts each label at the start of its line, before its value (%s)', async (language) => {
    const runs = await receipt(language);
    const parsed = pdfRuns(runs);
    const label = parsed.find((r) => reading(language, r.text) === translate(language, 'invoices:receipt.patient'));
    const value = parsed.find((r) => r.text === 'Amir Hassan (000001)');
    expect(label).toBeDefined();
    expect(value).toBeDefined();
    expect(label!.y).toBeCloseTo(value!.y, 0);
    if (language === 'en') {
      expect(label!.x).toBeLessThan(value!.x);
      expect(label!.x).toBeLessThan(A5_WIDTH / 2);
    } else {
      expect(label!.x).toBeGreaterThan(value!.x);
      expect(label!.x).toBeGreaterThan(A5_WIDTH / 2);
    }
  });

  it('has no English label in the Arabic receipt', async () => {
    const text = pdfRuns(await receipt('ar')).map((r) => reading('ar', r.text));
    for (const key of ['invoices:receipt.patient', 'invoices:receipt.doctor', 'invoices:receipt.amount', 'invoices:receipt.balance']) {
      expect(text).toContain(translate('ar', key));
      expect(text).not.toContain(translate('en', key));
    }
  });
});
