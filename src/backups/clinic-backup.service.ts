import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { link, mkdir, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { finished, pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, QueryRunner } from 'typeorm';
import { enterTenant, ident, inTransaction, leaveTenant } from '../database/sql';
import { PlatformRepository } from '../platform/platform.repository';
import type { ProvisioningService } from '../platform/provisioning.service';
import type { SchemaMigrator } from '../platform/schema-migrator';
import { PlatformException, type Tenant } from '../platform/tenant';
import { BackupException } from './backup.exception';
import { type BackupManifest, BackupTextWriter, checkBackup, dumpItems } from './backup-file';
import { findPgDump, type PgDumpTool, startPgDump } from './pg-dump';

export interface BackupResult {
  readonly slug: string;
  readonly file: string;
  readonly bytes: number;
  /** Rows per table. */
  readonly rows: Record<string, number>;
  readonly seconds: number;
}

export interface RestoreResult {
  readonly tenant: Tenant;
  readonly file: string;
  readonly rows: Record<string, number>;
  readonly domains: string[];
  /** The original's custom domains, left out because the copy has another slug. */
  readonly domainsLeftOut: string[];
  /** Migrations newer than the backup, applied after the data went in. */
  readonly migratedAfterLoad: string[];
  readonly seconds: number;
}

const SOME_ROWS = 1 << 16;

const write = async (stream: Writable, text: string): Promise<void> => {
  if (!stream.write(text)) await once(stream, 'drain');
};

const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

/**
 * One clinic into a file and back (docs/operator-guide.md, "Backups"). The data is pg_dump's, taken
 * on a snapshot this service exports so the clinic's platform rows and its tables are read at the
 * same instant; the structure is the platform's own tenant migrations, so a backup restores under
 * any slug, on any database of the platform, and is checked line by line before anything is created.
 */
export class ClinicBackupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly databaseUrl: string,
    private readonly provisioning: ProvisioningService,
    private readonly migrator: SchemaMigrator,
    /** `PG_DUMP`: the pg_dump to use, when not the newest one installed. */
    private readonly pgDumpPath?: string,
    private readonly platform = new PlatformRepository(),
  ) {}

  /** A consistent backup of one clinic into `out`, which must not exist yet. The clinic keeps working meanwhile. */
  async backup(slug: string, out: string): Promise<BackupResult> {
    const file = resolve(out);
    if (existsSync(file)) throw backupExists(file);
    const tool = await this.pgDump();
    return inTransaction(this.dataSource, async (runner) => {
      await runner.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      // read in the transaction's snapshot, the one pg_dump will share
      const tenant = await this.platform.findBySlug(runner, slug);
      if (!tenant) throw new PlatformException('clinic_not_found', `No clinic with slug "${slug}"`);
      return this.dumpInTransaction(runner, tenant, file, tool);
    });
  }

  /** `drop`'s safety net: the backup is written from the dropping transaction itself, so it holds exactly what is dropped. */
  async dropWithBackup(slug: string, directory: string): Promise<BackupResult> {
    const tool = await this.pgDump();
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const file = resolve(directory, `${slug}-${stamp}.clinic-backup.gz`);
    if (existsSync(file)) throw backupExists(file);
    let result: BackupResult | undefined;
    await this.provisioning.drop(slug, async (runner, tenant) => {
      result = await this.dumpInTransaction(runner, tenant, file, tool);
    });
    return result!;
  }

  /**
   * A new clinic from a backup file: `as` its slug (the original's when absent). Refused with nothing
   * created when the file is damaged, holds anything but this clinic's rows, was made by a newer
   * platform, or the slug or a custom domain is taken.
   */
  async restore(path: string, options: { as?: string } = {}): Promise<RestoreResult> {
    const started = process.hrtime.bigint();
    const file = resolve(path);
    const { manifest, trailer } = await checkBackup(file);
    const known = new Set(this.migrator.tenantMigrations.migrations.map((m) => m.version));
    const unknown = manifest.migrations.filter((v) => !known.has(v));
    if (unknown.length) {
      throw new BackupException('backup_too_new', `The backup was made by a newer version of the platform (migrations ${unknown.join(', ')}): upgrade this one first`);
    }
    const slug = options.as ?? manifest.clinic.slug;
    const sameSlug = slug === manifest.clinic.slug;
    const tenant = await this.provisioning.restore(
      { ...manifest.clinic, slug, domains: sameSlug ? manifest.domains : [], migrations: manifest.migrations },
      (runner, created) => this.load(runner, created, file, manifest, trailer.rows),
    );
    return {
      tenant,
      file,
      rows: trailer.rows,
      domains: sameSlug ? manifest.domains.map((d) => d.host) : [],
      domainsLeftOut: sameSlug ? [] : manifest.domains.map((d) => d.host),
      migratedAfterLoad: this.migrator.tenantMigrations.pending(manifest.migrations).map((m) => m.version),
      seconds: since(started),
    };
  }

  private async pgDump(): Promise<PgDumpTool> {
    const [{ major }]: { major: number }[] = await this.dataSource.query(`SELECT current_setting('server_version_num')::int / 10000 AS major`);
    return findPgDump(major, this.pgDumpPath);
  }

  /**
   * Exports the open transaction's snapshot, reads the clinic's platform rows in it, and has pg_dump
   * dump the clinic's schema in the same snapshot into a new file (written beside, then linked into
   * place: a failed backup leaves no file, and no existing file is ever replaced).
   */
  private async dumpInTransaction(runner: QueryRunner, tenant: Tenant, file: string, tool: PgDumpTool): Promise<BackupResult> {
    const started = process.hrtime.bigint();
    const [{ snapshot }]: { snapshot: string }[] = await runner.query('SELECT pg_export_snapshot() AS snapshot');
    const manifest = await this.manifestOf(runner, tenant, tool);
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const partial = `${file}.${process.pid}.partial`;
    const writer = new BackupTextWriter(manifest);
    const gzip = createGzip();
    const written = pipeline(gzip, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
    const dump = startPgDump(tool, this.databaseUrl, [
      '--data-only',
      `--schema=${tenant.schemaName}`,
      `--exclude-table=${tenant.schemaName}.schema_migrations`,
      '--no-owner',
      '--no-privileges',
      `--snapshot=${snapshot}`,
      '--encoding=UTF8',
    ]);
    let stderr = '';
    dump.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const exited = new Promise<number | null>((done, fail) => {
      dump.on('error', fail);
      dump.on('close', done);
    });
    try {
      await write(gzip, writer.head());
      let pending = '';
      for await (const line of createInterface({ input: dump.stdout, crlfDelay: Infinity })) {
        pending += writer.line(line);
        if (pending.length >= SOME_ROWS) {
          await write(gzip, pending);
          pending = '';
        }
      }
      const code = await exited;
      if (code !== 0) {
        const reason = stderr.split('\n').find((l) => /error|fatal/i.test(l)) ?? stderr.trim().split('\n')[0] ?? `exit code ${code}`;
        throw new BackupException('pg_dump_failed', `pg_dump could not dump "${tenant.slug}": ${reason.replace(/^pg_dump: (error: )?/, '')}`);
      }
      const { text, trailer } = writer.tail();
      await write(gzip, pending + text);
      gzip.end();
      await written;
      await link(partial, file).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'EEXIST' ? backupExists(file) : error;
      });
      await unlink(partial);
      return { slug: tenant.slug, file, bytes: (await stat(file)).size, rows: trailer.rows, seconds: since(started) };
    } catch (error) {
      dump.kill();
      gzip.destroy();
      await written.catch(() => undefined);
      await unlink(partial).catch(() => undefined);
      throw error;
    }
  }

  private async manifestOf(runner: QueryRunner, tenant: Tenant, tool: PgDumpTool): Promise<BackupManifest> {
    const domains: { host: string; is_primary: boolean }[] = await runner.query(
      'SELECT host, is_primary FROM platform.domains WHERE tenant_id = $1 ORDER BY host',
      [tenant.id],
    );
    const migrations: { version: string }[] = await runner.query(`SELECT version FROM ${ident(tenant.schemaName)}.schema_migrations ORDER BY version`);
    const [{ server }]: { server: string }[] = await runner.query(`SELECT current_setting('server_version') AS server`);
    return {
      createdAt: new Date().toISOString(),
      clinic: {
        slug: tenant.slug,
        displayName: tenant.displayName,
        status: tenant.status,
        language: tenant.language,
        timeZone: tenant.timeZone,
        currency: tenant.currency,
        phoneRegion: tenant.phoneRegion,
        schemaName: tenant.schemaName,
        createdAt: tenant.createdAt.toISOString(),
      },
      domains: domains.map((d) => ({ host: d.host, isPrimary: d.is_primary })),
      migrations: migrations.map((m) => m.version),
      server: `PostgreSQL ${server}`,
      pgDump: tool.version,
    };
  }

  /**
   * The dump's rows into the new clinic's tables, as the clinic's own role (it can write nowhere
   * else), with the tables' own triggers off as pg_dump's restores do; then every table's row count
   * is checked against the backup's.
   */
  private async load(runner: QueryRunner, tenant: Tenant, file: string, manifest: BackupManifest, rows: Record<string, number>): Promise<void> {
    const client = (await runner.connect()) as PoolClient;
    await enterTenant(runner, tenant);
    await runner.query(`SELECT set_config('datestyle', 'ISO, YMD', true), set_config('intervalstyle', 'postgres', true)`);
    const table = (name: string) => `${ident(tenant.schemaName)}.${ident(name)}`;
    let copying: { table: string; ingest: Writable } | undefined;
    let pending = '';
    try {
      for await (const item of dumpItems(file, manifest.clinic.schemaName)) {
        if (item.kind === 'copy') {
          // the backup's rows replace whatever the migrations seeded (the settings row, the invoice counter)
          await runner.query(`ALTER TABLE ${table(item.table)} DISABLE TRIGGER USER; DELETE FROM ${table(item.table)}`);
          const ingest = client.query(copyFrom(`COPY ${table(item.table)} (${item.columns.map(ident).join(', ')}) FROM STDIN`));
          copying = { table: item.table, ingest };
        } else if (item.kind === 'row') {
          pending += `${item.text}\n`;
          if (pending.length >= SOME_ROWS) {
            await write(copying!.ingest, pending);
            pending = '';
          }
        } else if (item.kind === 'end-copy') {
          const { ingest } = copying!;
          ingest.end(pending);
          pending = '';
          await finished(ingest);
          copying = undefined;
          await runner.query(`ALTER TABLE ${table(item.table)} ENABLE TRIGGER USER`);
        } else {
          await runner.query('SELECT pg_catalog.setval($1::regclass, $2, $3)', [table(item.sequence), item.value, item.isCalled]);
        }
      }
    } catch (error) {
      if (error instanceof BackupException) throw error;
      const where = copying ? `the rows of ${copying.table}` : 'the backup';
      throw new BackupException('backup_invalid', `${where} do not fit this platform's tables: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const [name, expected] of Object.entries(rows)) {
      const [{ n }]: { n: number }[] = await runner.query(`SELECT count(*)::int AS n FROM ${table(name)}`);
      if (n !== expected) throw new BackupException('backup_invalid', `Restored ${n} rows of ${name}, but the backup holds ${expected}`);
    }
    await leaveTenant(runner);
  }
}

const backupExists = (file: string) => new BackupException('backup_exists', `${file} already exists: a backup never overwrites a file; choose another --out`);
