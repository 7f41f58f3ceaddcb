import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { BackupException } from './backup.exception';

export interface PgDumpTool {
  readonly path: string;
  /** e.g. "15.20" */
  readonly version: string;
  readonly major: number;
}

const run = promisify(execFile);

/** Debian and Ubuntu keep each PostgreSQL major's client tools here, side by side. */
const DEBIAN_CLIENTS = '/usr/lib/postgresql';

async function probe(path: string): Promise<PgDumpTool | undefined> {
  try {
    const { stdout } = await run(path, ['--version'], { timeout: 10_000 });
    const match = /\(PostgreSQL\) ((\d+)[.\d]*)/.exec(stdout);
    return match ? { path, version: match[1], major: Number(match[2]) } : undefined;
  } catch {
    return undefined;
  }
}

function debianCandidates(): string[] {
  try {
    return readdirSync(DEBIAN_CLIENTS).map((major) => join(DEBIAN_CLIENTS, major, 'bin', 'pg_dump'));
  } catch {
    return [];
  }
}

/**
 * The pg_dump to use for a server of major version `serverMajor`: `PG_DUMP` when set, else the newest
 * of the one on PATH and Debian's per-version ones. pg_dump reads servers up to its own major
 * version, so an older one is refused here with what to install, before anything starts.
 */
export async function findPgDump(serverMajor: number, configured?: string): Promise<PgDumpTool> {
  const candidates = configured ? [configured] : ['pg_dump', ...debianCandidates()];
  const found = (await Promise.all(candidates.map(probe))).filter((tool): tool is PgDumpTool => tool !== undefined);
  const newest = found.sort((a, b) => b.major - a.major)[0];
  const install = `install the PostgreSQL ${serverMajor} client tools (Debian/Ubuntu: apt-get install postgresql-client-${serverMajor}) or set PG_DUMP to a pg_dump of version ${serverMajor} or newer`;
  if (!newest) {
    throw new BackupException(
      'pg_dump_unavailable',
      configured ? `PG_DUMP=${configured} is not a working pg_dump; ${install}` : `pg_dump is not installed, and backups need it: ${install}`,
    );
  }
  if (newest.major < serverMajor) {
    throw new BackupException('pg_dump_unavailable', `pg_dump ${newest.version} (${newest.path}) cannot dump this PostgreSQL ${serverMajor} server: ${install}`);
  }
  return newest;
}

/**
 * Starts pg_dump on `databaseUrl`. The password travels in the child's environment (PGPASSWORD),
 * never on its command line where `ps` would show it.
 */
export function startPgDump(tool: PgDumpTool, databaseUrl: string, args: string[]): ChildProcessByStdio<null, Readable, Readable> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: 'clinic-backup' };
  if (password) env.PGPASSWORD = password;
  return spawn(tool.path, [`--dbname=${url.toString()}`, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}
