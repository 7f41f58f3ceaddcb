import type { Response } from 'express';
import { render } from '../common/http/render';
import { t } from '../i18n/i18n';
import type { PaperSize, PrescriptionSheet } from './prescription';

/**
 * The print page of a prescription, the same for staff and for the patient; `base` is the visit's
 * address in the portal that shows it (`/visits/1` or `/portal/visits/1`), for its PDF and paper links.
 */
export function sendPrescriptionPage(res: Response, sheet: PrescriptionSheet, size: PaperSize, base: string): Promise<void> {
  return render(res, 'prescriptions/show', { sheet, size, otherSize: size === 'a5' ? 'a4' : 'a5', base, title: t('prescriptions:title'), layout: 'prescriptions/layout' });
}

/** The PDF, shown in the browser, never cached (it is a medical record). */
export function sendPrescriptionPdf(res: Response, file: { fileName: string; content: Buffer }): void {
  res.status(200).set({ 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${file.fileName}"`, 'Cache-Control': 'private, no-store' }).send(file.content);
}
