import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { PROJECT_ROOT } from '../../src/config/app-config';
import { openDataSource } from '../../src/database/data-source';
import { MigrationSet } from '../../src/database/migrations';
import { enterTenant, inTransaction } from '../../src/database/sql';
import { SchemaMigrator } from '../../src/platform/schema-migrator';
import type { Tenant } from '../../src/platform/tenant';
import { asClinic, createClinic, provisioning, uniqueSlug } from '../support/test-app';

/** The real tenant migrations plus one more, as a release would ship it. */
function withExtraMigration(name: string, up: string, down: string): { set: MigrationSet; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'clinic-migrations-'));
  const source = join(PROJECT_ROOT, 'migrations', 'tenant');
  for (const file of readdirSync(source)) copyFileSync(join(source, file), join(dir, file));
  writeFileSync(join(dir, `29991231235959_${name}.sql`), `-- migrate:up\n${up}\n-- migrate:down\n${down}\n`);
  return { set: MigrationSet.load('tenant', dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('schema migrations', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openDataSource({ dbPoolMax: 6 }, process.env.DATABASE_URL!);
  });
  afterAll(() => db.destroy());

  it('migrates every outdated clinic in its own transaction; a failing one is reported and the rest are kept', async () => {
    const clinics: Tenant[] = [];
    for (let i = 0; i < 4; i += 1) clinics.push(await createClinic(db, { slug: uniqueSlug('rel') }));
    const [broken] = clinics;
    // a table already in the way makes the new migration fail in that one clinic
    await asClinic(db, broken, 'CREATE TABLE notes (id int)');
    const release = withExtraMigration('add_notes', 'CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);', 'DROP TABLE notes;');
    try {
      const progress: string[] = [];
      const summary = await new SchemaMigrator(db, release.set).migrateAll({ concurrency: 3, onProgress: (_d, _t, r) => progress.push(r.slug) });

      expect(summary.failed.map((f) => f.slug)).toEqual([broken.slug]);
      expect(summary.failed[0].error).toMatch(/"notes" already exists/);
      for (const clinic of clinics.slice(1)) {
        expect(summary.migrated).toContainEqual({ slug: clinic.slug, applied: [release.set.latest] });
        const versions = await asClinic<{ version: string }[]>(db, clinic, 'SELECT version FROM schema_migrations ORDER BY version');
        expect(versions.at(-1)!.version).toBe(release.set.latest);
        expect((await provisioning(db).get(clinic.slug))!.schemaVersion).toBe(release.set.latest);
      }
      expect(progress).toHaveLength(summary.migrated.length + summary.failed.length);
      // the failed clinic is untouched: still at the old version, its own table intact
      expect((await provisioning(db).get(broken.slug))!.schemaVersion).toBe(MigrationSet.load('tenant').latest);
      const cols = await asClinic<{ column_name: string }[]>(db, broken, `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'notes'`);
      expect(cols).toEqual([{ column_name: 'id' }]);

      // a second run has nothing left but the broken clinic
      const again = await new SchemaMigrator(db, release.set).migrateAll();
      expect(again.migrated).toEqual([]);
      expect(again.failed.map((f) => f.slug)).toEqual([broken.slug]);
    } finally {
      release.cleanup();
      for (const clinic of clinics) await provisioning(db).drop(clinic.slug);
    }
  });

  it('finds nothing to do with one query when every clinic is current', async () => {
    const summary = await new SchemaMigrator(db).migrateAll();
    expect(summary.migrated).toEqual([]);
    expect(summary.failed).toEqual([]);
    expect(summary.upToDate).toBe(summary.total);
  });

  it('fills the columns billing and automation add when a clinic with data moves through them', async () => {
    // a clinic made at the migrations before billing, given data, then migrated forward: the upgrade an older clinic took
    const before = MigrationSet.load('tenant').migrations.filter((m) => m.version < '20261124010000').map((m) => m.version);
    const slug = uniqueSlug('upg');
    const settings = { status: 'active', language: 'en', timeZone: 'UTC', currency: 'USD', phoneRegion: 'US' } as const;
    const clinic = await provisioning(db).restore({ slug, displayName: 'Upgraded', ...settings, domains: [], migrations: before }, async (runner, tenant) => {
      await enterTenant(runner, tenant);
      await runner.query(`
        INSERT INTO users (username, full_name, role, password_hash) VALUES ('doc', 'Doctor', 'doctor', 'x');
        INSERT INTO doctors (user_id, consultation_fee) SELECT id, 100 FROM users;
        INSERT INTO patients (first_name, last_name, date_of_birth, gender) VALUES ('Pat', 'One', '1990-01-01', 'female');
        INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, updated_at)
          SELECT p.id, d.id, TIMESTAMPTZ '2026-11-02 09:00Z' + n * INTERVAL '1 hour', TIMESTAMPTZ '2026-11-02 09:30Z' + n * INTERVAL '1 hour',
                 (ARRAY['completed', 'no_show'])[n + 1], TIMESTAMPTZ '2026-11-03 12:00Z'
          FROM patients p, doctors d, generate_series(0, 1) n;
        INSERT INTO invoices (number, appointment_id, amount, status, payment_method, paid_at)
          SELECT 1, id, 150, 'paid', 'cash', now() FROM appointments WHERE status = 'completed';`);
    });
    try {
      const [row] = await asClinic<Record<string, unknown>[]>(
        db,
        clinic,
        `SELECT (SELECT json_agg(json_build_object('status', status, 'late', late_cancellation, 'noShowAt', no_show_at) ORDER BY starts_at) FROM appointments) AS appointments,
                (SELECT json_agg(json_build_object('paid', paid_amount, 'amount', amount)) FROM invoices) AS invoices,
                (SELECT json_build_object('grace', no_show_grace_minutes, 'penalty', no_show_penalty, 'reminders', reminders_enabled) FROM clinic_settings) AS settings`,
      );
      expect(row).toEqual({
        appointments: [
          { status: 'completed', late: false, noShowAt: null },
          { status: 'no_show', late: false, noShowAt: '2026-11-03T12:00:00+00:00' },
        ],
        invoices: [{ paid: 150, amount: 150 }],
        settings: { grace: 30, penalty: 0, reminders: true },
      });
      // the same columns as a clinic made at the newest migrations: NOT NULL, and the defaults for new rows
      const columns = `SELECT table_name, column_name, is_nullable, column_default FROM information_schema.columns
        WHERE table_schema = current_schema() AND (table_name, column_name) IN (('invoices', 'paid_amount'), ('appointments', 'late_cancellation'),
          ('clinic_settings', 'no_show_grace_minutes'), ('clinic_settings', 'no_show_penalty'), ('clinic_settings', 'reminders_enabled'))
        ORDER BY 1, 2`;
      const fresh = await createClinic(db, { slug: uniqueSlug('new') });
      const upgraded = await asClinic<Record<string, string>[]>(db, clinic, columns);
      expect(upgraded).toHaveLength(5);
      expect(upgraded.every((c) => c.is_nullable === 'NO')).toBe(true);
      expect(upgraded).toEqual(await asClinic(db, fresh, columns));
      await provisioning(db).drop(fresh.slug);
    } finally {
      await provisioning(db).drop(slug);
    }
  });

  it('has a working down for every tenant migration (down then up again leaves the same tables)', async () => {
    const clinic = await createClinic(db, { slug: uniqueSlug('down') });
    const set = MigrationSet.load('tenant');
    const tables = () => asClinic<{ table_name: string }[]>(db, clinic, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`);
    const before = await tables();
    await inTransaction(db, async (runner) => {
      await enterTenant(runner, clinic);
      for (const m of [...set.migrations].reverse()) await runner.query(m.down);
      const left: { n: number }[] = await runner.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'`);
      expect(left[0].n).toBe(0);
      for (const m of set.migrations) await runner.query(m.up);
    });
    expect(await tables()).toEqual(before);
  });

  it('migrates the platform once even when several instances start together', async () => {
    const results = await Promise.all([1, 2, 3].map(() => new SchemaMigrator(db).migratePlatform()));
    expect(results).toEqual([[], [], []]); // global setup already migrated it; none re-applies
    const rows: { n: number }[] = await db.query('SELECT count(*)::int AS n FROM platform.instance');
    expect(rows[0].n).toBe(1);
  });
});
