import { stringify } from 'csv-stringify/sync';

/** The first characters a spreadsheet reads as a formula (or as the start of one, after a tab or return). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell safe to open in a spreadsheet: text that would start a formula (`=HYPERLINK(…)`, `+1`,
 * `-2`, `@SUM`) gets a leading apostrophe, which spreadsheets show as text and do not evaluate
 * (OWASP's advice for CSV injection). Numbers stay numbers.
 */
export function safeCell(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** CSV lines (RFC 4180 quoting by csv-stringify) of rows already made safe. */
export function csvLines(rows: readonly (readonly unknown[])[]): string {
  return stringify(rows.map((row) => row.map(safeCell)), { record_delimiter: '\r\n' });
}

/** Spreadsheets read a UTF-8 file with Arabic names correctly only with the byte order mark first. */
export const UTF8_BOM = '\ufeff';
