import { labelled, MARGIN, MUTED, paragraph, pdfDocument, rule } from '../common/pdf/pdf-document';
import { currentLanguage, direction, t } from '../i18n/i18n';
import type { PaperSize, PrescriptionSheet } from './prescription';

/** The prescription as a PDF of one page (A5 by default), its words in the request's language (mirrored in Arabic). */
export function prescriptionPdf(sheet: PrescriptionSheet, size: PaperSize, options: { compress?: boolean } = {}): Promise<Buffer> {
  const info = { Title: t('prescriptions:pdf.title', { fileNumber: sheet.fileNumber, date: sheet.date }), Author: sheet.clinicName, Subject: t('prescriptions:title') };
  return pdfDocument(size, info, (doc) => draw(doc, sheet), options);
}

function draw(doc: PDFKit.PDFDocument, sheet: PrescriptionSheet): void {
  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  let y = MARGIN;
  // Arabic reads from the right: the doctor stands on the right, the date on the left, a line's number to its right.
  const rtl = direction(currentLanguage()) === 'rtl';

  y += paragraph(doc, sheet.clinicName, left, y, width, { bold: true, size: 16, align: 'center' });
  y += 4;
  rule(doc, left, y, width);
  y += 10;

  const half = width / 2;
  const doctorTop = y;
  const doctorX = rtl ? left + half : left;
  const dateX = rtl ? left : left + half;
  let doctorY = doctorTop + paragraph(doc, sheet.doctorName, doctorX, doctorTop, half, { bold: true, size: 11 });
  if (sheet.specialty) doctorY += paragraph(doc, sheet.specialty, doctorX, doctorY, half, { size: 9, color: MUTED });
  let dateY = doctorTop + paragraph(doc, t('prescriptions:pdf.date', { date: sheet.date }), dateX, doctorTop, half, { size: 10, align: 'end' });
  dateY += paragraph(doc, t('prescriptions:sheet.time', { time: sheet.time }), dateX, dateY, half, { size: 9, color: MUTED, align: 'end' });
  y = Math.max(doctorY, dateY) + 8;

  y += labelled(doc, t('prescriptions:sheet.patient'), sheet.patientName, left, y, width);
  y += labelled(doc, t('prescriptions:sheet.fileNumber'), sheet.fileNumber, left, y, width);
  if (sheet.age !== null) y += labelled(doc, t('prescriptions:sheet.age'), `${sheet.age}`, left, y, width);
  if (sheet.diagnosis) y += labelled(doc, t('prescriptions:sheet.diagnosis'), sheet.diagnosis, left, y, width);
  y += 6;
  rule(doc, left, y, width);
  y += 10;

  y += paragraph(doc, t('prescriptions:sheet.rx'), left, y, width, { bold: true, size: 14 });
  y += 4;
  const indent = 20;
  const textX = rtl ? left : left + indent;
  for (const line of sheet.lines) {
    if (rtl) paragraph(doc, `${line.position}.`, left + width - indent, y, indent, { bold: true, size: 11 });
    else doc.font('bold').fontSize(11).fillColor('black').text(`${line.position}.`, left, y, { lineBreak: false });
    y += paragraph(doc, line.medicationName, textX, y, width - indent, { bold: true, size: 11 });
    const detail = [line.dosage, line.duration].filter((part) => part).join(' — ');
    if (detail) y += paragraph(doc, detail, textX, y, width - indent, { size: 10 });
    if (line.instructions) y += paragraph(doc, line.instructions, textX, y, width - indent, { size: 9, color: MUTED });
    y += 6;
  }

  // The signature line sits at the foot of the page, under the last line if the list runs long.
  const signatureWidth = Math.min(200, width / 2);
  const signatureX = rtl ? left : left + width - signatureWidth;
  const signatureY = Math.max(y + 30, doc.page.height - MARGIN - 40);
  if (signatureY + 40 > doc.page.height - MARGIN) doc.addPage();
  const foot = signatureY + 40 > doc.page.height - MARGIN ? doc.page.height - MARGIN - 40 : signatureY;
  doc.moveTo(signatureX, foot).lineTo(signatureX + signatureWidth, foot).lineWidth(0.75).strokeColor('black').stroke();
  let footY = foot + 4;
  footY += paragraph(doc, t('prescriptions:sheet.signature'), signatureX, footY, signatureWidth, { size: 8, color: MUTED, align: 'center' });
  paragraph(doc, sheet.doctorName, signatureX, footY, signatureWidth, { size: 9, align: 'center' });
}
