import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { visualLine } from './bidi-text';
import type { PaperSize, PrescriptionSheet } from './prescription';

/**
 * DejaVu Sans (the `dejavu-fonts-ttf` package) has both Latin and Arabic glyphs with the Arabic
 * joining forms, so one embedded font serves names and medications in either script.
 */
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = join(FONT_DIR, 'DejaVuSans.ttf');
const BOLD = join(FONT_DIR, 'DejaVuSans-Bold.ttf');

/**
 * Naming any feature makes pdfkit shape a run whole; without it pdfkit shapes word by word and
 * glues the words left to right, which scrambles the word order of a right-to-left run.
 */
const WHOLE_RUN: PDFKit.Mixins.OpenTypeFeatures[] = ['kern'];

const MARGIN = 36;
const MUTED = '#555555';

type Align = 'start' | 'center' | 'end';
interface TextStyle {
  readonly bold?: boolean;
  readonly size: number;
  readonly color?: string;
  readonly align?: Align;
}

/**
 * The prescription as a PDF of one page (A5 by default). `compress: false` leaves the content
 * streams readable, for tests and for looking at the file by hand.
 */
export function prescriptionPdf(sheet: PrescriptionSheet, size: PaperSize, options: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: size.toUpperCase(),
    margin: MARGIN,
    compress: options.compress ?? true,
    lang: 'en',
    info: { Title: `Prescription ${sheet.fileNumber} ${sheet.date}`, Author: sheet.clinicName, Subject: 'Prescription' },
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc, sheet);
  doc.end();
  return done;
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

function rule(doc: PDFKit.PDFDocument, x: number, y: number, width: number): void {
  doc.moveTo(x, y).lineTo(x + width, y).lineWidth(0.5).strokeColor('#999999').stroke();
}

/** "Label: value", the label in Latin on the left and the value set by its own direction beside it. */
function labelled(doc: PDFKit.PDFDocument, label: string, value: string, x: number, y: number, width: number): number {
  const labelWidth = 70;
  doc.font('regular').fontSize(9).fillColor(MUTED).text(label, x, y + 1, { lineBreak: false });
  return Math.max(14, paragraph(doc, value, x + labelWidth, y, width - labelWidth, { size: 10 }));
}

/**
 * Text wrapped into `width`, each line drawn in visual order; a right-to-left paragraph is set
 * flush right unless centred. Returns the height used.
 */
function paragraph(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number, style: TextStyle): number {
  doc.font(style.bold ? 'bold' : 'regular').fontSize(style.size).fillColor(style.color ?? 'black');
  const lineHeight = doc.currentLineHeight(true) + 1;
  const lines = wrap(doc, text, width);
  lines.forEach((logical, i) => {
    const line = visualLine(logical);
    const widths = line.runs.map((run) => doc.widthOfString(run.text, { features: WHOLE_RUN }));
    const total = widths.reduce((a, b) => a + b, 0);
    const align = style.align ?? 'start';
    let cursor = align === 'center' ? x + (width - total) / 2 : (align === 'end') !== line.rtl ? x + width - total : x;
    line.runs.forEach((run, r) => {
      doc.text(run.text, cursor, y + i * lineHeight, { lineBreak: false, features: WHOLE_RUN });
      cursor += widths[r];
    });
  });
  return lines.length * lineHeight;
}

/** Greedy word wrap in logical order (a word longer than the line is cut). */
function wrap(doc: PDFKit.PDFDocument, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const source of text.split(/\r?\n/)) {
    let current = '';
    for (const word of source.split(/\s+/).filter((w) => w)) {
      const candidate = current ? `${current} ${word}` : word;
      if (doc.widthOfString(candidate) <= width || !current) {
        current = candidate;
        while (doc.widthOfString(current) > width && current.length > 1) {
          let cut = current.length - 1;
          while (cut > 1 && doc.widthOfString(current.slice(0, cut)) > width) cut--;
          lines.push(current.slice(0, cut));
          current = current.slice(cut);
        }
      } else {
        lines.push(current);
        current = word;
      }
    }
    if (current) lines.push(current);
  }
  return lines.length ? lines : [''];
}
