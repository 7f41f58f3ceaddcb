import { request } from 'node:http';

/** A GET answered with bytes (the shared client decodes bodies as text). */
export function bytes(baseUrl: string, host: string, path: string, session: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, baseUrl), { headers: { host, cookie: `session=${session}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`status ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A run of text as drawn: where it starts (PDF points from the bottom left) and what it says. */
export interface PdfRun {
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

/**
 * The runs of text a PDF draws, read the way a viewer copies them: each embedded font's ToUnicode map
 * applied to the glyph codes of the content streams (needs uncompressed streams, as the app writes
 * them under test). An Arabic run is drawn in visual order, so it reads back reversed.
 */
export function pdfRuns(pdf: Buffer): PdfRun[] {
  const raw = pdf.toString('latin1');
  const objects = new Map<string, string>();
  for (const m of raw.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)) objects.set(m[1], m[2]);
  const utf16 = (hex: string) => String.fromCharCode(...(hex.replace(/\s/g, '').match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  const cmaps = new Map<string, Map<number, string>>();
  for (const [id, body] of objects) {
    const ref = /\/Subtype \/Type0[\s\S]*?\/ToUnicode (\d+) 0 R/.exec(body);
    if (!ref) continue;
    const map = new Map<number, string>();
    const cmap = objects.get(ref[1]) ?? '';
    for (const [, from, , list] of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
      // a ligature maps to several code units: <0644 0623>
      [...list.matchAll(/<([0-9a-f\s]+)>/gi)].forEach((d, i) => map.set(parseInt(from, 16) + i, utf16(d[1])));
    }
    cmaps.set(id, map);
  }
  const fontByName = new Map<string, string>();
  for (const m of raw.matchAll(/\/(F\d+) (\d+) 0 R/g)) fontByName.set(m[1], m[2]);
  const out: PdfRun[] = [];
  let font = new Map<number, string>();
  let at = { x: 0, y: 0 };
  for (const m of raw.matchAll(/([\d.-]+) ([\d.-]+) Tm|\/(F\d+) [\d.]+ Tf|\[((?:<[0-9a-f]*>|[\s\d.-])*)\] TJ/gi)) {
    if (m[1]) at = { x: Number(m[1]), y: Number(m[2]) };
    else if (m[3]) font = cmaps.get(fontByName.get(m[3]) ?? '') ?? new Map();
    else out.push({ ...at, text: [...m[4].matchAll(/<([0-9a-f]*)>/gi)].map((h) => (h[1].match(/.{4}/g) ?? []).map((g) => font.get(parseInt(g, 16)) ?? '?').join('')).join('') });
  }
  return out;
}

/** The text a PDF draws, one line per run (see pdfRuns). */
export function pdfText(pdf: Buffer): string {
  return pdfRuns(pdf).map((run) => run.text).join('\n');
}
