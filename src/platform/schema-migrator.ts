import type { DataSource, QueryRunner } from 'typeorm';
import { MigrationSet, type Migration } from '../database/migrations';
import { enterTenant, ident, inTransaction, leaveTenant } from '../database/sql';
import { PlatformRepository } from './platform.repository';
import { PlatformException, type Tenant } from './tenant';

export interface MigrateAllOptions {
  /** How many schemas migrate at once, each in its own transaction (default 4). */
  readonly concurrency?: number;
  /** Called once per finished clinic, in completion order. */
  readonly onProgress?: (done: number, total: number, result: SchemaMigrationResult) => void;
}

export interface SchemaMigrationResult {
  readonly slug: string;
  readonly applied: string[];
  readonly error?: string;
}

export interface MigrateAllSummary {
  readonly total: number;
  readonly upToDate: number;
  readonly migrated: SchemaMigrationResult[];
  readonly failed: SchemaMigrationResult[];
  readonly seconds: number;
}

/** An arbitrary, fixed key: only one process migrates the platform schema at a time. */
const PLATFORM_MIGRATION_LOCK = 7_310_001;

/**
 * Applies SQL migrations: the platform's own, and each clinic's, recorded in a `schema_migrations`
 * table inside the schema they changed. A clinic's schema moves forward in one transaction or not at all.
 */
export class SchemaMigrator {
  constructor(
    private readonly dataSource: DataSource,
    readonly tenantMigrations: MigrationSet = MigrationSet.load('tenant'),
    readonly platformMigrations: MigrationSet = MigrationSet.load('platform'),
    private readonly platform = new PlatformRepository(),
  ) {}

  /** Brings the `platform` schema up to date; safe when several instances start at once. Returns versions applied. */
  async migratePlatform(): Promise<string[]> {
    return inTransaction(this.dataSource, async (runner) => {
      await runner.query('SELECT pg_advisory_xact_lock($1)', [PLATFORM_MIGRATION_LOCK]);
      await runner.query(`CREATE SCHEMA IF NOT EXISTS platform;
        CREATE TABLE IF NOT EXISTS platform.schema_migrations (
          version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done: { version: string }[] = await runner.query('SELECT version FROM platform.schema_migrations');
      const pending = this.platformMigrations.pending(done.map((r) => r.version));
      for (const migration of pending) {
        await runner.query(`SET LOCAL search_path = platform, public; ${migration.up}`);
        await runner.query('INSERT INTO platform.schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      }
      return pending.map((m) => m.version);
    });
  }

  /**
   * Creates the migrations table and applies every pending tenant migration inside an open
   * transaction, as the clinic's own role (so the clinic's role owns every object it creates).
   * The caller holds the tenant row's lock. `only` limits the run to those versions (a restore builds
   * the schema its backup was made at). Returns the versions applied.
   */
  async migrateSchemaInTransaction(
    runner: QueryRunner,
    tenant: Pick<Tenant, 'id' | 'schemaName' | 'roleName'>,
    options: { only?: ReadonlySet<string> } = {},
  ): Promise<string[]> {
    await enterTenant(runner, tenant);
    await runner.query(`CREATE TABLE IF NOT EXISTS ${ident(tenant.schemaName)}.schema_migrations (
      version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done: { version: string }[] = await runner.query('SELECT version FROM schema_migrations');
    const applied = done.map((r) => r.version);
    const pending = this.tenantMigrations.pending(applied).filter((m) => !options.only || options.only.has(m.version));
    for (const migration of pending) await this.applyTenantMigration(runner, migration);
    await leaveTenant(runner);
    const newest = [...applied, ...pending.map((m) => m.version)].sort().at(-1) ?? '';
    await this.platform.setSchemaVersion(runner, tenant.id, newest);
    return pending.map((m) => m.version);
  }

  private async applyTenantMigration(runner: QueryRunner, migration: Migration): Promise<void> {
    await runner.query(migration.up);
    await runner.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
  }

  /** One clinic, in its own transaction. */
  async migrateTenant(slug: string): Promise<SchemaMigrationResult> {
    return inTransaction(this.dataSource, async (runner) => {
      const tenant = await this.platform.findBySlug(runner, slug, { lock: true });
      if (!tenant) throw new PlatformException('clinic_not_found', `No clinic with slug "${slug}"`);
      return { slug, applied: await this.migrateSchemaInTransaction(runner, tenant) };
    });
  }

  /**
   * Every clinic behind the newest migration, with bounded concurrency and one transaction per
   * schema. A failed schema is reported and rolled back alone; the others are kept.
   */
  async migrateAll(options: MigrateAllOptions = {}): Promise<MigrateAllSummary> {
    const started = process.hrtime.bigint();
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const [total, outdated] = await Promise.all([
      this.platform.count(this.dataSource),
      this.platform.outdated(this.dataSource, this.tenantMigrations.latest),
    ]);
    const migrated: SchemaMigrationResult[] = [];
    const failed: SchemaMigrationResult[] = [];
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < outdated.length) {
        const tenant = outdated[next++];
        let result: SchemaMigrationResult;
        try {
          result = await this.migrateTenant(tenant.slug);
          migrated.push(result);
        } catch (error) {
          result = { slug: tenant.slug, applied: [], error: error instanceof Error ? error.message : String(error) };
          failed.push(result);
        }
        done += 1;
        options.onProgress?.(done, outdated.length, result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, outdated.length) }, worker));
    return {
      total,
      upToDate: total - outdated.length,
      migrated,
      failed,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
  }
}

