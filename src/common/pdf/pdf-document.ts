import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { currentLanguage, direction } from '../../i18n/i18n';
import { visualLine } from './bidi-text';

/*
 * Printed documents (prescriptions, receipts) drawn with pdfkit: one page size, DejaVu Sans for Latin
 * and Arabic alike, and text set in visual order so a right-to-left line reads right. A document in
 * the request's language: in Arabic every paragraph starts at the right edge and a label stands to
 * the right of its value.
 */

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

export const MARGIN = 36;
export const MUTED = '#555555';

type Align = 'start' | 'center' | 'end';
export interface TextStyle {
  readonly bold?: boolean;
  readonly size: number;
  readonly color?: string;
  readonly align?: Align;
}

/**
 * A PDF drawn by `draw` on pages of `size` (A4, A5…). `compress: false` leaves the content streams
 * readable, for tests and for looking at the file by hand.
 */
export function pdfDocument(
  size: string,
  info: { Title: string; Author: string; Subject: string },
  draw: (doc: PDFKit.PDFDocument) => void,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const doc = new PDFDocument({ size: size.toUpperCase(), margin: MARGIN, compress: options.compress ?? true, lang: currentLanguage(), info });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  return done;
}

export function rule(doc: PDFKit.PDFDocument, x: number, y: number, width: number): void {
  doc.moveTo(x, y).lineTo(x + width, y).lineWidth(0.5).strokeColor('#999999').stroke();
}

/** "Label: value": the label at the start of the line (left, or right in Arabic) and the value beside it. */
export function labelled(doc: PDFKit.PDFDocument, label: string, value: string, x: number, y: number, width: number): number {
  const labelWidth = 70;
  const rtl = documentIsRtl();
  paragraph(doc, label, rtl ? x + width - labelWidth : x, y + 1, labelWidth, { size: 9, color: MUTED });
  return Math.max(14, paragraph(doc, value, rtl ? x : x + labelWidth, y, width - labelWidth, { size: 10 }));
}

/** Whether the document reads right to left (the request's language is Arabic). */
const documentIsRtl = (): boolean => direction(currentLanguage()) === 'rtl';

/**
 * Text wrapped into `width`, each line drawn in visual order; a right-to-left paragraph, and every
 * paragraph of a right-to-left document, is set flush right unless centred. Returns the height used.
 */
export function paragraph(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number, style: TextStyle): number {
  doc.font(style.bold ? 'bold' : 'regular').fontSize(style.size).fillColor(style.color ?? 'black');
  const lineHeight = doc.currentLineHeight(true) + 1;
  const lines = wrap(doc, text, width);
  const rtlDocument = documentIsRtl();
  lines.forEach((logical, i) => {
    const line = visualLine(logical);
    const widths = line.runs.map((run) => doc.widthOfString(run.text, { features: WHOLE_RUN }));
    const total = widths.reduce((a, b) => a + b, 0);
    const align = style.align ?? 'start';
    let cursor = align === 'center' ? x + (width - total) / 2 : (align === 'end') !== (line.rtl || rtlDocument) ? x + width - total : x;
    line.runs.forEach((run, r) => {
      doc.text(run.text, cursor, y + i * lineHeight, { lineBreak: false, features: WHOLE_RUN });
      cursor += widths[r];
    });
  });
  return lines.length * lineHeight;
}

/**
 * Greedy word wrap in logical order, in the document's current font (a word longer than the line is
 * cut). Blank lines of the text are dropped, or kept as empty lines with `blankLines` (but not at the end).
 */
export function wrap(doc: PDFKit.PDFDocument, text: string, width: number, options: { blankLines?: boolean } = {}): string[] {
  const lines: string[] = [];
  for (const source of text.split(/\r?\n/)) {
    const words = source.split(/\s+/).filter((w) => w);
    if (words.length === 0 && options.blankLines) lines.push('');
    let current = '';
    for (const word of words) {
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
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? lines : [''];
}
