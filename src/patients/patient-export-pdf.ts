import { DateTime } from 'luxon';
import { statusLabel } from '../appointments/appointment-status';
import { MARGIN, MUTED, paragraph, pdfDocument, rule, type TextStyle, wrap } from '../common/pdf/pdf-document';
import { methodLabel, invoiceStatusLabel } from '../invoices/invoice';
import { currentLanguage, currentLocale, direction, isLanguage, LANGUAGE_NAMES, t } from '../i18n/i18n';
import { penaltyStatusLabel } from '../no-shows/penalty';
import { noticeLabel } from '../outbox/notice';
import { requirementLabel } from '../visits/visit-rules';
import type { ExportDoctor, ExportPerson, PatientExport } from './patient-export';

/*
 * The patient export as a printable A4 document in the reader's language: a heading, then one
 * section per kind of record, as labelled lines and tables. pdfkit's absolutely placed text does not
 * break pages by itself, so every line is placed by `Flow`, which starts a new page (with the table's
 * header again) when the next line or table row would not fit; long texts break between lines.
 * Each page's foot names the file and says "page n of N" (the document is laid out twice: the first
 * pass counts the pages).
 */

/** Room kept at the foot of each page for its page line. */
const FOOT = 22;
const LABEL_WIDTH = 120;
const BODY: TextStyle = { size: 9.5 };
const SMALL: TextStyle = { size: 8, color: MUTED };
const CELL: TextStyle = { size: 8.5 };
const HEAD_CELL: TextStyle = { size: 8, bold: true, color: MUTED };
const CELL_PADDING = 4;

export interface ExportPdfOptions {
  readonly compress?: boolean;
}

export async function patientExportPdf(record: PatientExport, options: ExportPdfOptions = {}): Promise<Buffer> {
  const info = {
    Title: t('export:pdf.title', { fileNumber: record.patient.fileNumber }),
    Author: record.clinic.name,
    Subject: t('export:pdf.subject'),
  };
  let pages = 0;
  await pdfDocument('a4', info, (doc) => (pages = layOut(doc, record, null)), options);
  return pdfDocument('a4', info, (doc) => void layOut(doc, record, pages), options);
}

/** Draws the whole document; returns how many pages it took. */
function layOut(doc: PDFKit.PDFDocument, r: PatientExport, pages: number | null): number {
  const zone = r.clinic.timeZone;
  const locale = currentLocale();
  const at = (iso: string | null): string => (iso ? DateTime.fromISO(iso, { zone }).setLocale(locale).toFormat('d LLL yyyy, HH:mm') : '—');
  const day = (date: string | null): string => (date ? DateTime.fromISO(date, { zone: 'UTC' }).setLocale(locale).toFormat('d LLL yyyy') : '—');
  const money = (amount: string | null): string => (amount === null ? '—' : `${amount} ${r.clinic.currency}`);
  const orNone = (value: string | null | undefined): string => (value ? value : t('export:pdf.none'));
  const who = (person: ExportPerson | null): string => (person ? person.name : t('export:pdf.automatic'));
  const doctorName = (d: ExportDoctor): string => (d.specialty ? `${d.name} (${d.specialty})` : d.name);
  const patientName = `${r.patient.firstName} ${r.patient.lastName}`;

  // the first pass only counts the pages: its foot says "?"
  const flow = new Flow(doc, (page) => t('export:pdf.foot', { fileNumber: r.patient.fileNumber, name: patientName, page, pages: pages ?? '?' }));

  // Heading
  flow.lines(r.clinic.name, { bold: true, size: 15, align: 'center' });
  flow.lines(t('export:pdf.heading'), { bold: true, size: 12, align: 'center' });
  flow.gap(4);
  // the name and the file number on lines of their own: a Latin name would turn an Arabic line's direction
  flow.lines(patientName, { bold: true, size: 11, align: 'center' });
  flow.lines(t('export:pdf.fileNumberLine', { fileNumber: r.patient.fileNumber }), { ...BODY, align: 'center' });
  flow.lines(t('export:pdf.intro', { clinic: r.clinic.name, at: at(r.exportedAt), by: r.exportedBy.name }), { ...SMALL, align: 'center' });
  flow.gap(6);

  // The file
  flow.heading(t('export:pdf.sections.patient'));
  flow.field(t('export:pdf.fields.fileNumber'), r.patient.fileNumber);
  flow.field(t('export:pdf.fields.name'), patientName);
  flow.field(t('export:pdf.fields.dateOfBirth'), day(r.patient.dateOfBirth));
  flow.field(t('export:pdf.fields.gender'), r.patient.gender === 'male' ? t('patients:gender.male') : t('patients:gender.female'));
  flow.field(t('export:pdf.fields.phone'), orNone(r.patient.phone));
  flow.field(t('export:pdf.fields.email'), orNone(r.patient.email));
  flow.field(t('export:pdf.fields.address'), orNone(r.patient.address));
  flow.field(t('export:pdf.fields.nationalId'), orNone(r.patient.nationalId));
  flow.field(t('export:pdf.fields.registered'), at(r.patient.createdAt));
  flow.field(t('export:pdf.fields.updated'), at(r.patient.updatedAt));

  // The portal identity
  flow.heading(t('export:pdf.sections.portal'));
  const account = r.portalAccount;
  if (!account) flow.empty(t('export:pdf.noPortal'));
  else {
    flow.field(t('export:pdf.fields.username'), account.username);
    flow.field(t('export:pdf.fields.phone'), orNone(account.phone));
    flow.field(t('export:pdf.fields.name'), account.fullName);
    flow.field(t('export:pdf.fields.active'), account.isActive ? t('export:pdf.yes') : t('export:pdf.no'));
    flow.field(t('export:pdf.fields.language'), account.language && isLanguage(account.language) ? LANGUAGE_NAMES[account.language] : t('export:pdf.clinicLanguage'));
    flow.field(t('export:pdf.fields.failedSignIns'), String(account.failedSignIns));
    if (account.lockedUntil) flow.field(t('export:pdf.fields.lockedUntil'), at(account.lockedUntil));
    flow.field(t('export:pdf.fields.registered'), at(account.createdAt));
  }

  // Appointments
  flow.heading(t('export:pdf.sections.appointments', { n: r.appointments.length }));
  flow.table(
    [
      { label: t('export:pdf.columns.when'), share: 0.22 },
      { label: t('export:pdf.columns.doctor'), share: 0.28 },
      { label: t('export:pdf.columns.status'), share: 0.18 },
      { label: t('export:pdf.columns.cost'), share: 0.14 },
      { label: t('export:pdf.columns.bookedBy'), share: 0.18 },
    ],
    r.appointments.map((a) => ({
      cells: [
        at(a.startsAt),
        doctorName(a.doctor),
        a.isPriority ? `${statusLabel(a.status)} (${t('export:pdf.priority')})` : statusLabel(a.status),
        money(a.cost),
        a.bookedBy ? a.bookedBy.name : '—',
      ],
      below: [
        a.notes ? t('export:pdf.notesLine', { text: a.notes }) : null,
        a.cancelReason ? t('export:pdf.cancelledLine', { at: at(a.cancelledAt), reason: a.cancelReason }) : null,
        a.lateCancellation ? t('export:pdf.lateCancellation') : null,
      ],
    })),
  );

  // Visits
  flow.heading(t('export:pdf.sections.visits', { n: r.visits.length }));
  if (r.visits.length === 0) flow.empty(t('export:pdf.empty'));
  for (const v of r.visits) {
    flow.subheading(`${at(v.visitAt)} — ${doctorName(v.doctor)}`);
    if (v.symptoms) flow.field(t('export:pdf.fields.symptoms'), v.symptoms);
    flow.field(t('export:pdf.fields.diagnosis'), v.diagnosis);
    if (v.notes) flow.field(t('export:pdf.fields.notes'), v.notes);
    if (v.prescriptions.length) {
      flow.lines(t('export:pdf.prescription'), { ...BODY, bold: true });
      for (const rx of v.prescriptions) {
        flow.lines(`${rx.position}. ${[rx.medicationName, rx.dosage, rx.duration].filter((part) => part).join(' — ')}`, BODY, 10);
        if (rx.instructions) flow.lines(rx.instructions, SMALL, 22);
      }
    }
    if (v.requirements.length) {
      flow.lines(t('export:pdf.requirements'), { ...BODY, bold: true });
      for (const rq of v.requirements) flow.lines(`${rq.position}. ${requirementLabel(rq.kind)}: ${rq.description}`, BODY, 10);
    }
    for (const am of v.amendments) {
      flow.field(t('export:pdf.fields.amendment'), t('export:pdf.amendmentLine', { at: at(am.createdAt), by: who(am.by) }));
      flow.lines(am.text, BODY, LABEL_WIDTH);
    }
    flow.gap(6);
  }

  // Invoices and what was paid
  flow.heading(t('export:pdf.sections.invoices', { n: r.invoices.length }));
  flow.table(
    [
      { label: t('export:pdf.columns.number'), share: 0.12 },
      { label: t('export:pdf.columns.visit'), share: 0.24 },
      { label: t('export:pdf.columns.amount'), share: 0.16 },
      { label: t('export:pdf.columns.paid'), share: 0.16 },
      { label: t('export:pdf.columns.balance'), share: 0.16 },
      { label: t('export:pdf.columns.status'), share: 0.16 },
    ],
    r.invoices.map((i) => ({
      cells: [i.number, at(i.visitAt), money(i.amount), money(i.paidAmount), money(i.balance), invoiceStatusLabel(i.status)],
      below: [
        ...i.payments.map((p) =>
          t('export:pdf.paymentLine', { amount: money(p.amount), method: methodLabel(p.method), day: day(p.paidOn), reference: p.reference || '—' }),
        ),
        i.voidReason ? t('export:pdf.voidLine', { at: at(i.voidedAt), reason: i.voidReason }) : null,
      ],
    })),
  );

  // No-show penalties
  flow.heading(t('export:pdf.sections.penalties', { n: r.penalties.length }));
  flow.table(
    [
      { label: t('export:pdf.columns.appointment'), share: 0.3 },
      { label: t('export:pdf.columns.amount'), share: 0.2 },
      { label: t('export:pdf.columns.status'), share: 0.2 },
      { label: t('export:pdf.columns.settled'), share: 0.3 },
    ],
    r.penalties.map((p) => ({
      cells: [at(p.appointmentAt), money(p.amount), penaltyStatusLabel(p.status), at(p.settledAt)],
      below: [p.waiveReason ? t('export:pdf.waivedLine', { reason: p.waiveReason }) : null],
    })),
  );

  // Follow-ups
  flow.heading(t('export:pdf.sections.followUps', { n: r.followUps.length }));
  flow.table(
    [
      { label: t('export:pdf.columns.due'), share: 0.2 },
      { label: t('export:pdf.columns.doctor'), share: 0.35 },
      { label: t('export:pdf.columns.status'), share: 0.2 },
      { label: t('export:pdf.columns.requested'), share: 0.25 },
    ],
    r.followUps.map((f) => ({
      cells: [day(f.dueOn), doctorName(f.doctor), t(`export:followUpStatus.${f.status}`), at(f.createdAt)],
      below: [f.note ? t('export:pdf.notesLine', { text: f.note }) : null],
    })),
  );

  // Waitlist
  flow.heading(t('export:pdf.sections.waitlist', { n: r.waitlist.length }));
  flow.table(
    [
      { label: t('export:pdf.columns.doctor'), share: 0.32 },
      { label: t('export:pdf.columns.days'), share: 0.3 },
      { label: t('export:pdf.columns.status'), share: 0.16 },
      { label: t('export:pdf.columns.added'), share: 0.22 },
    ],
    r.waitlist.map((w) => ({
      cells: [doctorName(w.doctor), t('export:pdf.daysValue', { from: day(w.fromDate), to: day(w.toDate) }), t(`export:waitlistStatus.${w.status}`), at(w.createdAt)],
      below: [w.notes ? t('export:pdf.notesLine', { text: w.notes }) : null],
    })),
  );

  // Notices
  flow.heading(t('export:pdf.sections.notices', { n: r.notices.length }));
  if (r.notices.length === 0) flow.empty(t('export:pdf.empty'));
  for (const n of r.notices) {
    flow.subheading(`${at(n.createdAt)} — ${noticeLabel(n.kind)} — ${t(`outbox:status.${n.status}`)}`);
    flow.field(t('export:pdf.fields.recipient'), orNone(n.recipient));
    flow.field(t('export:pdf.fields.subject'), n.subject);
    flow.lines(n.body, SMALL, 10);
    flow.gap(6);
  }

  // Activity log
  flow.heading(t('export:pdf.sections.audit', { n: r.audit.length }));
  flow.table(
    [
      { label: t('export:pdf.columns.when'), share: 0.22 },
      { label: t('export:pdf.columns.action'), share: 0.3 },
      { label: t('export:pdf.columns.by'), share: 0.24 },
      { label: t('export:pdf.columns.record'), share: 0.24 },
    ],
    r.audit.map((e) => ({
      cells: [at(e.at), e.action, who(e.actor), `${e.entity} ${e.entityId}`],
      below: [Object.keys(e.details).length ? detailsLine(e.details) : null, e.ip ? t('export:pdf.ipLine', { ip: e.ip }) : null],
    })),
  );
  return flow.page;
}

/** An audit entry's details as `key: value; …` (nested values as compact JSON). */
function detailsLine(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
}

interface Column {
  readonly label: string;
  /** Part of the text width, the columns' shares adding up to 1. */
  readonly share: number;
}

interface Row {
  readonly cells: string[];
  /** Full-width lines under the row (notes, payments); nulls are skipped. */
  readonly below: (string | null)[];
}

/**
 * Places text down the pages: each line where the last one ended, a new page when it would cross
 * the foot. Right to left in Arabic: a label stands to the right of its value, a table's first
 * column is the rightmost, an indent is on the right.
 */
class Flow {
  y = MARGIN;
  page = 1;
  private readonly left = MARGIN;
  private readonly width: number;
  private readonly rtl = direction(currentLanguage()) === 'rtl';

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly foot: (page: number) => string,
  ) {
    this.width = doc.page.width - 2 * MARGIN;
    this.drawFoot();
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN - FOOT;
  }

  /** A new page unless `height` fits under the current line (never on a page that has nothing yet). */
  room(height: number): boolean {
    if (this.y + height <= this.bottom || this.y <= MARGIN) return false;
    this.doc.addPage();
    this.page += 1;
    this.y = MARGIN;
    this.drawFoot();
    return true;
  }

  gap(height: number): void {
    this.y += height;
  }

  /** Wrapped text, one line at a time so a long text breaks across pages; `indent` from the start side. */
  lines(text: string, style: TextStyle, indent = 0): void {
    const width = this.width - indent;
    const x = this.rtl ? this.left : this.left + indent;
    const height = lineHeight(this.doc, style);
    for (const line of wrapped(this.doc, text, width, style)) {
      if (line === '') {
        this.y += height / 2;
        continue;
      }
      this.room(height);
      paragraph(this.doc, line, x, this.y, width, style);
      this.y += height;
    }
  }

  /** A section heading, kept with at least two lines of what follows. */
  heading(text: string): void {
    const style: TextStyle = { bold: true, size: 12.5 };
    const height = lineHeight(this.doc, style);
    this.room(height + 8 + 3 * lineHeight(this.doc, BODY));
    this.y += 6;
    paragraph(this.doc, text, this.left, this.y, this.width, style);
    this.y += height;
    rule(this.doc, this.left, this.y, this.width);
    this.y += 5;
  }

  /** A record's own heading inside a section (a visit, a notice), kept with a line or two of it. */
  subheading(text: string): void {
    const style: TextStyle = { bold: true, size: 10 };
    this.room(lineHeight(this.doc, style) * wrapped(this.doc, text, this.width, style).length + 2 * lineHeight(this.doc, BODY));
    this.y += 2;
    this.lines(text, style);
  }

  empty(text: string): void {
    this.lines(text, SMALL);
  }

  /** "Label  value": the label on the start side, the value wrapped beside it (a long value goes on over the page). */
  field(label: string, value: string): void {
    const valueWidth = this.width - LABEL_WIDTH;
    const labelX = this.rtl ? this.left + this.width - LABEL_WIDTH + 6 : this.left;
    const valueX = this.rtl ? this.left : this.left + LABEL_WIDTH;
    const height = lineHeight(this.doc, BODY);
    const labelLines = wrapped(this.doc, label, LABEL_WIDTH - 6, SMALL);
    const valueLines = wrapped(this.doc, value, valueWidth, BODY);
    // the label and the value's first line (and the label's own lines) stay together
    this.room(Math.max(labelLines.length * lineHeight(this.doc, SMALL), height));
    paragraph(this.doc, label, labelX, this.y + 1, LABEL_WIDTH - 6, SMALL);
    const labelBottom = this.y + labelLines.length * lineHeight(this.doc, SMALL);
    valueLines.forEach((line, i) => {
      if (i > 0) this.room(height);
      paragraph(this.doc, line, valueX, this.y, valueWidth, BODY);
      this.y += height;
    });
    this.y = Math.max(this.y, labelBottom) + 2;
  }

  /** A table: the header row, then each row kept whole (the header drawn again on each new page), with its lines below. */
  table(columns: Column[], rows: Row[]): void {
    if (rows.length === 0) return this.empty(t('export:pdf.empty'));
    const widths = columns.map((c) => c.share * this.width);
    const starts = widths.map((_, i) => widths.slice(0, i).reduce((a, b) => a + b, 0));
    const xOf = (i: number) => (this.rtl ? this.left + this.width - starts[i] - widths[i] : this.left + starts[i]);
    const cellLines = (texts: string[], style: TextStyle) => texts.map((text, i) => wrapped(this.doc, text, widths[i] - CELL_PADDING, style));
    const heightOf = (lines: string[][], style: TextStyle) => Math.max(...lines.map((l) => l.length)) * lineHeight(this.doc, style) + 4;
    const drawRow = (texts: string[], style: TextStyle, height: number) => {
      texts.forEach((text, i) => paragraph(this.doc, text, xOf(i), this.y + 2, widths[i] - CELL_PADDING, style));
      this.y += height;
      rule(this.doc, this.left, this.y, this.width);
    };
    const header = columns.map((c) => c.label);
    const headerHeight = heightOf(cellLines(header, HEAD_CELL), HEAD_CELL);
    let headerPage = 0;
    for (const row of rows) {
      const height = heightOf(cellLines(row.cells, CELL), CELL);
      const newPage = this.room(headerPage === this.page ? height : headerHeight + height);
      if (newPage || headerPage !== this.page) {
        drawRow(header, HEAD_CELL, headerHeight);
        headerPage = this.page;
      }
      drawRow(row.cells, CELL, height);
      if (!row.below.some((line) => line)) continue;
      this.y += 2;
      for (const line of row.below) if (line) this.lines(line, SMALL, 12);
      this.y += 2;
    }
    this.y += 4;
  }

  private drawFoot(): void {
    const y = this.doc.page.height - MARGIN - 10;
    rule(this.doc, this.left, y - 4, this.width);
    paragraph(this.doc, this.foot(this.page), this.left, y, this.width, { size: 7, color: MUTED, align: 'center' });
  }
}

function lineHeight(doc: PDFKit.PDFDocument, style: TextStyle): number {
  doc.font(style.bold ? 'bold' : 'regular').fontSize(style.size);
  return doc.currentLineHeight(true) + 1;
}

/**
 * The lines `paragraph` would draw `text` in (the same greedy wrap, in the same font), with an empty
 * line for each blank line of the text; `paragraph` is then given one line at a time.
 */
function wrapped(doc: PDFKit.PDFDocument, text: string, width: number, style: TextStyle): string[] {
  doc.font(style.bold ? 'bold' : 'regular').fontSize(style.size);
  return wrap(doc, text, width, { blankLines: true });
}
