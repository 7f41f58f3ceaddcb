import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/app-config';

export type MigrationScope = 'platform' | 'tenant';

export interface Migration {
  /** 14-digit UTC timestamp; versions sort as text. */
  readonly version: string;
  readonly name: string;
  readonly up: string;
  readonly down: string;
}

const FILE_NAME = /^(\d{14})_([a-z0-9_]+)\.sql$/;
const UP_MARKER = /^--\s*migrate:up\s*$/m;
const DOWN_MARKER = /^--\s*migrate:down\s*$/m;

/** An ordered, validated list of SQL migrations read from one folder. */
export class MigrationSet {
  private constructor(
    readonly scope: MigrationScope,
    readonly migrations: readonly Migration[],
  ) {}

  static load(scope: MigrationScope, dir = join(PROJECT_ROOT, 'migrations', scope)): MigrationSet {
    const migrations = readdirSync(dir)
      .filter((file) => file.endsWith('.sql'))
      .sort()
      .map((file) => parseMigration(file, readFileSync(join(dir, file), 'utf8')));
    const seen = new Set<string>();
    for (const m of migrations) {
      if (seen.has(m.version)) throw new Error(`Two ${scope} migrations share version ${m.version}`);
      seen.add(m.version);
    }
    return new MigrationSet(scope, migrations);
  }

  /** The newest version, or '' when the set is empty. */
  get latest(): string {
    return this.migrations.at(-1)?.version ?? '';
  }

  pending(applied: Iterable<string>): Migration[] {
    const done = new Set(applied);
    return this.migrations.filter((m) => !done.has(m.version));
  }
}

export function parseMigration(file: string, text: string): Migration {
  const match = FILE_NAME.exec(file);
  if (!match) throw new Error(`Migration file "${file}" must be named <14-digit timestamp>_<snake_name>.sql`);
  const upAt = text.search(UP_MARKER);
  const downAt = text.search(DOWN_MARKER);
  if (upAt < 0 || downAt < 0 || downAt < upAt) {
    throw new Error(`Migration "${file}" needs a "-- migrate:up" section followed by a "-- migrate:down" section`);
  }
  const up = text.slice(upAt, downAt).replace(UP_MARKER, '').trim();
  const down = text.slice(downAt).replace(DOWN_MARKER, '').trim();
  if (!up) throw new Error(`Migration "${file}" has an empty up section`);
  return { version: match[1], name: match[2], up, down };
}
