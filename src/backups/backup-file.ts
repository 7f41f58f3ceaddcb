import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { BackupException } from './backup.exception';

/**
 * A clinic backup file: gzip of plain text, readable with `zcat`.
 *
 *     -- clinic-platform backup, format 1
 *     -- manifest {"clinic":{…},"domains":[…],"migrations":[…],…}
 *     <pg_dump --data-only of the clinic's schema, exactly as pg_dump wrote it>
 *     -- end of backup {"sha256":"…","rows":{"patients":12,…}}
 *
 * The schema's structure is not in the file: it is the platform's tenant migrations, listed in the
 * manifest. The trailer's checksum covers every line of the dump, so a truncated or altered file is
 * refused before anything is created.
 */
export const BACKUP_FORMAT = 1;
const TITLE = `-- clinic-platform backup, format ${BACKUP_FORMAT}`;
const MANIFEST_PREFIX = '-- manifest ';
const TRAILER_PREFIX = '-- end of backup ';

export interface BackupManifest {
  readonly createdAt: string;
  readonly clinic: {
    readonly slug: string;
    readonly displayName: string;
    readonly status: 'active' | 'suspended';
    readonly language: string;
    readonly timeZone: string;
    readonly currency: string;
    readonly phoneRegion: string;
    /** The schema the dump's COPY and setval lines name. */
    readonly schemaName: string;
    readonly createdAt: string;
  };
  readonly domains: { readonly host: string; readonly isPrimary: boolean }[];
  /** Tenant migrations applied in the schema when it was dumped: restore builds exactly these, loads, then migrates on. */
  readonly migrations: string[];
  readonly server: string;
  readonly pgDump: string;
}

export interface BackupTrailer {
  readonly sha256: string;
  /** Rows per table, as counted in the dump. */
  readonly rows: Record<string, number>;
}

/** One thing the dump asks for, once parsed: rows for a table, or a sequence's position. */
export type DumpItem =
  | { readonly kind: 'copy'; readonly table: string; readonly columns: string[]; readonly line: number }
  | { readonly kind: 'row'; readonly text: string }
  | { readonly kind: 'end-copy'; readonly table: string; readonly rows: number }
  | { readonly kind: 'setval'; readonly sequence: string; readonly value: string; readonly isCalled: boolean };

const IDENT = String.raw`(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+")`;
const COPY_LINE = new RegExp(String.raw`^COPY (${IDENT})\.(${IDENT}) \((.+)\) FROM stdin;$`);
const SETVAL_LINE = new RegExp(String.raw`^SELECT pg_catalog\.setval\('(${IDENT})\.(${IDENT})', (-?\d{1,19}), (true|false)\);$`);
/** What a data-only pg_dump writes besides data, and restore does not need: its session settings and guards. */
const HARMLESS_LINES = [
  /^$/,
  /^--( .*)?$/,
  /^\\(un)?restrict [A-Za-z0-9]+$/,
  /^SET [a-z_]+ = [A-Za-z0-9_' ,.-]*;$/,
  /^SELECT pg_catalog\.set_config\('search_path', '', false\);$/,
];

const unquote = (name: string): string => (name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name);

function splitColumns(list: string): string[] {
  const columns = list.match(new RegExp(`${IDENT}(?=, |$)`, 'g')) ?? [];
  if (columns.join(', ') !== list) return [];
  return columns.map(unquote);
}

/**
 * Reads pg_dump's plain data-only output line by line and accepts only what such a dump holds:
 * COPY blocks into tables of `schema`, setval calls on its sequences, and pg_dump's own settings.
 * Anything else — another schema, a statement of any other kind — is refused, so a crafted file can
 * only ever put rows into the restored clinic's own tables.
 */
export class DumpParser {
  private copying: { table: string; rows: number } | undefined;
  private lineNumber = 0;
  readonly rows: Record<string, number> = {};

  constructor(private readonly schema: string) {}

  /** The item this line is, or undefined for a line restore skips. Throws on anything a dump of this clinic cannot hold. */
  accept(line: string): DumpItem | undefined {
    this.lineNumber += 1;
    if (this.copying) {
      if (line !== '\\.') {
        this.copying.rows += 1;
        return { kind: 'row', text: line };
      }
      const { table, rows } = this.copying;
      this.copying = undefined;
      this.rows[table] = rows;
      return { kind: 'end-copy', table, rows };
    }
    const copy = COPY_LINE.exec(line);
    if (copy) {
      const table = unquote(copy[2]);
      const columns = splitColumns(copy[3]);
      this.assertOwnSchema(copy[1]);
      if (columns.length === 0) throw this.refuse('a COPY line whose column list cannot be read');
      if (table in this.rows) throw this.refuse(`a second COPY into ${table}`);
      this.copying = { table, rows: 0 };
      return { kind: 'copy', table, columns, line: this.lineNumber };
    }
    const setval = SETVAL_LINE.exec(line);
    if (setval) {
      this.assertOwnSchema(setval[1]);
      return { kind: 'setval', sequence: unquote(setval[2]), value: setval[3], isCalled: setval[4] === 'true' };
    }
    if (HARMLESS_LINES.some((pattern) => pattern.test(line))) return undefined;
    throw this.refuse(`a line a clinic backup never holds: "${line.slice(0, 80)}"`);
  }

  /** Call at the end of the dump. */
  finish(): void {
    if (this.copying) throw this.refuse(`the rows of ${this.copying.table} stop before their end`);
  }

  private assertOwnSchema(raw: string): void {
    if (unquote(raw) !== this.schema) throw this.refuse(`data for schema "${unquote(raw)}", not this clinic's "${this.schema}"`);
  }

  private refuse(what: string): BackupException {
    return new BackupException('backup_invalid', `The backup is not usable: line ${this.lineNumber} of its dump holds ${what}`);
  }
}

/** Writes the file's text around the dump: title and manifest first, the trailer last; hashes the dump lines. */
export class BackupTextWriter {
  private readonly hash: Hash = createHash('sha256');
  readonly parser: DumpParser;

  constructor(readonly manifest: BackupManifest) {
    this.parser = new DumpParser(manifest.clinic.schemaName);
  }

  head(): string {
    return `${TITLE}\n${MANIFEST_PREFIX}${JSON.stringify(this.manifest)}\n`;
  }

  /** One line of pg_dump's output, checked by the same parser restore uses (a backup that would not restore fails now). */
  line(line: string): string {
    this.parser.accept(line);
    const text = `${line}\n`;
    this.hash.update(text);
    return text;
  }

  tail(): { text: string; trailer: BackupTrailer } {
    this.parser.finish();
    const trailer: BackupTrailer = { sha256: this.hash.digest('hex'), rows: { ...this.parser.rows } };
    return { text: `${TRAILER_PREFIX}${JSON.stringify(trailer)}\n`, trailer };
  }
}

/** The file's lines, decompressed; a file that is not gzip, or is cut short, is refused with a plain reason. */
async function* backupLines(path: string): AsyncGenerator<string> {
  const source = createReadStream(path);
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  const lines = createInterface({ input: source.pipe(gunzip), crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } catch (error) {
    throw unreadable(path, error as Error);
  } finally {
    lines.close();
    source.destroy();
    gunzip.destroy();
  }
}

function unreadable(path: string, error: Error & { code?: string }): BackupException {
  if (error.code === 'ENOENT') return new BackupException('backup_not_found', `No backup file at ${path}`);
  if (error.code === 'EACCES') return new BackupException('backup_not_found', `Cannot read ${path}: permission denied`);
  const reason = error.code === 'Z_BUF_ERROR' ? 'it is cut short' : 'it is not a gzip file, or it is damaged';
  return new BackupException('backup_invalid', `${path} is not a usable clinic backup: ${reason}`);
}

const notABackup = (path: string, why: string) => new BackupException('backup_invalid', `${path} is not a usable clinic backup: ${why}`);

function parseJson<T>(path: string, text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw notABackup(path, `its ${what} is not readable`);
  }
}

export interface CheckedBackup {
  readonly manifest: BackupManifest;
  readonly trailer: BackupTrailer;
}

/**
 * Reads the whole file once and checks it: title, manifest, every dump line through the parser, the
 * trailer's checksum and row counts. Nothing is created by a restore until this has passed.
 */
export async function checkBackup(path: string): Promise<CheckedBackup> {
  let manifest: BackupManifest | undefined;
  let trailer: BackupTrailer | undefined;
  let parser: DumpParser | undefined;
  const hash = createHash('sha256');
  let index = 0;
  for await (const line of backupLines(path)) {
    index += 1;
    if (index === 1) {
      if (line !== TITLE) throw notABackup(path, line.startsWith('-- clinic-platform backup') ? 'it was made in a newer backup format' : 'its first line is not a clinic backup title');
      continue;
    }
    if (index === 2) {
      if (!line.startsWith(MANIFEST_PREFIX)) throw notABackup(path, 'its manifest is missing');
      manifest = parseJson<BackupManifest>(path, line.slice(MANIFEST_PREFIX.length), 'manifest');
      assertManifest(path, manifest);
      parser = new DumpParser(manifest.clinic.schemaName);
      continue;
    }
    if (trailer) throw notABackup(path, 'it has lines after its end');
    if (line.startsWith(TRAILER_PREFIX)) {
      trailer = parseJson<BackupTrailer>(path, line.slice(TRAILER_PREFIX.length), 'end line');
      continue;
    }
    parser!.accept(line);
    hash.update(`${line}\n`);
  }
  if (!manifest || !parser) throw notABackup(path, 'it is empty or cut short');
  if (!trailer) throw notABackup(path, 'it is cut short (its end line is missing)');
  parser.finish();
  if (hash.digest('hex') !== trailer.sha256) throw notABackup(path, 'its checksum does not match its content (the file was changed or damaged)');
  if (JSON.stringify(sorted(parser.rows)) !== JSON.stringify(sorted(trailer.rows ?? {}))) throw notABackup(path, 'its row counts do not match its content');
  return { manifest, trailer };
}

/** The dump's items in order, for a file `checkBackup` has accepted. */
export async function* dumpItems(path: string, schema: string): AsyncGenerator<DumpItem> {
  const parser = new DumpParser(schema);
  let index = 0;
  for await (const line of backupLines(path)) {
    index += 1;
    if (index <= 2 || line.startsWith(TRAILER_PREFIX)) continue;
    const item = parser.accept(line);
    if (item) yield item;
  }
}

function assertManifest(path: string, m: BackupManifest): void {
  const ok =
    typeof m === 'object' &&
    m !== null &&
    typeof m.clinic?.slug === 'string' &&
    typeof m.clinic.displayName === 'string' &&
    typeof m.clinic.schemaName === 'string' &&
    Array.isArray(m.migrations) &&
    m.migrations.every((v) => typeof v === 'string') &&
    Array.isArray(m.domains);
  if (!ok) throw notABackup(path, 'its manifest lacks the clinic, its migrations or its domains');
}

const sorted = (rows: Record<string, number>) => Object.fromEntries(Object.entries(rows).sort(([a], [b]) => a.localeCompare(b)));
