import { labelled, MARGIN, MUTED, paragraph, pdfDocument, rule } from '../common/pdf/pdf-document';
import type { PaperSize, PrescriptionSheet } from './prescription';

/** The prescription as a PDF of one page (A5 by default). */
export function prescriptionPdf(sheet: PrescriptionSheet, size: PaperSize, options: { compress?: boolean } = {}): Promise<Buffer> {
  const info = { Title: `Prescription ${sheet.fileNumber} ${sheet.date}`, Author: sheet.clinicName, Subject: 'Prescription' };
  return pdfDocument(size, info, (doc) => draw(doc, sheet), options);
}

function draw(doc: PDFKit.PDFDocument, sheet: PrescriptionSheet): void {
  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  let y = MARGIN;

  y += paragraph(doc, sheet.clinicName, left, y, width, { bold: true, size: 16, align: 'center' });
  y += 4;
  rule(doc, left, y, width);
  y += 10;

  const half = width / 2;
  const doctorTop = y;
  let doctorY = doctorTop + paragraph(doc, sheet.doctorName, left, doctorTop, half, { bold: true, size: 11 });
  if (sheet.specialty) doctorY += paragraph(doc, sheet.specialty, left, doctorY, half, { size: 9, color: MUTED });
  let dateY = doctorTop + paragraph(doc, `Date: ${sheet.date}`, left + half, doctorTop, half, { size: 10, align: 'end' });
  dateY += paragraph(doc, `Time: ${sheet.time}`, left + half, dateY, half, { size: 9, color: MUTED, align: 'end' });
  y = Math.max(doctorY, dateY) + 8;

  y += labelled(doc, 'Patient', sheet.patientName, left, y, width);
  y += labelled(doc, 'File no.', sheet.fileNumber, left, y, width);
  if (sheet.age !== null) y += labelled(doc, 'Age', `${sheet.age}`, left, y, width);
  if (sheet.diagnosis) y += labelled(doc, 'Diagnosis', sheet.diagnosis, left, y, width);
  y += 6;
  rule(doc, left, y, width);
  y += 10;

  y += paragraph(doc, 'Rx', left, y, width, { bold: true, size: 14 });
  y += 4;
  const indent = 20;
  for (const line of sheet.lines) {
    doc.font('bold').fontSize(11).fillColor('black').text(`${line.position}.`, left, y, { lineBreak: false });
    y += paragraph(doc, line.medicationName, left + indent, y, width - indent, { bold: true, size: 11 });
    const detail = [line.dosage, line.duration].filter((part) => part).join(' — ');
    if (detail) y += paragraph(doc, detail, left + indent, y, width - indent, { size: 10 });
    if (line.instructions) y += paragraph(doc, line.instructions, left + indent, y, width - indent, { size: 9, color: MUTED });
    y += 6;
  }

  // The signature line sits at the foot of the page, under the last line if the list runs long.
  const signatureWidth = Math.min(200, width / 2);
  const signatureX = left + width - signatureWidth;
  const signatureY = Math.max(y + 30, doc.page.height - MARGIN - 40);
  if (signatureY + 40 > doc.page.height - MARGIN) doc.addPage();
  const foot = signatureY + 40 > doc.page.height - MARGIN ? doc.page.height - MARGIN - 40 : signatureY;
  doc.moveTo(signatureX, foot).lineTo(signatureX + signatureWidth, foot).lineWidth(0.75).strokeColor('black').stroke();
  let footY = foot + 4;
  footY += paragraph(doc, 'Signature', signatureX, footY, signatureWidth, { size: 8, color: MUTED, align: 'center' });
  paragraph(doc, sheet.doctorName, signatureX, footY, signatureWidth, { size: 9, align: 'center' });
}
