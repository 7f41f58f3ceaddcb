import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { runCli } from '../../scripts/tenant';
import { PROJECT_ROOT } from '../../src/config/app-config';
import { openDataSource } from '../../src/database/data-source';
import { MigrationSet } from '../../src/database/migrations';
import { ident } from '../../src/database/sql';
import { createDemoClinic } from '../../src/platform/demo-clinic';
import { PlatformRepository } from '../../src/platform/platform.repository';
import { ProvisioningService } from '../../src/platform/provisioning.service';
import { SchemaMigrator } from '../../src/platform/schema-migrator';
import { roleNameFor, schemaNameFor, type Tenant } from '../../src/platform/tenant';
import { asClinic, BASE_DOMAIN, provisioning, uniqueSlug } from '../support/test-app';

const env = { DATABASE_URL: process.env.DATABASE_URL, NODE_ENV: 'test', BASE_DOMAIN, PORT: '3000' };

async function cli(argv: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false }, { ...env, ...extraEnv });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('clinic backup, restore and drop with a backup (npm run tenant)', () => {
  let db: DataSource;
  let platformId: string;
  let dir: string;
  const platform = new PlatformRepository();

  beforeAll(async () => {
    db = await openDataSource({ dbPoolMax: 6 }, process.env.DATABASE_URL!);
    platformId = await platform.platformId(db);
    dir = mkdtempSync(join(tmpdir(), 'clinic-backups-'));
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const tenantOf = async (slug: string): Promise<Tenant> => (await platform.findBySlug(db, slug))!;

  /** Every row of every table of the clinic, in id order, as JSON text; the migrations table aside. */
  async function contents(slug: string): Promise<Record<string, unknown[]>> {
    const tenant = await tenantOf(slug);
    const tables: { name: string }[] = await db.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname <> 'schema_migrations' ORDER BY 1`,
      [tenant.schemaName],
    );
    const result: Record<string, unknown[]> = {};
    for (const { name } of tables) {
      const rows: { row: string }[] = await db.query(`SELECT to_jsonb(t)::text AS row FROM ${ident(tenant.schemaName)}.${ident(name)} t ORDER BY 1`);
      result[name] = rows.map((r) => r.row);
    }
    return result;
  }

  /** What any verb could leave behind: registry rows, domains, schemas and roles. */
  async function everything() {
    return {
      tenants: await db.query('SELECT slug, status, display_name, language, schema_version FROM platform.tenants ORDER BY slug'),
      domains: await db.query('SELECT host, tenant_id, is_primary FROM platform.domains ORDER BY host'),
      schemas: await db.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%' ORDER BY 1`),
      roles: await db.query('SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) ORDER BY 1', [roleNameFor(platformId, 'x').slice(0, -1)]),
    };
  }

  /** A clinic full of the demo's data, plus values that are hard to carry: tabs, newlines, backslashes, Arabic, NULLs. */
  async function richClinic(prefix: string): Promise<string> {
    const slug = uniqueSlug(prefix);
    await createDemoClinic(provisioning(db), db, slug);
    const tenant = await tenantOf(slug);
    await asClinic(db, tenant, `INSERT INTO patients (first_name, last_name, date_of_birth, gender, phone, address, national_id)
      VALUES ('سارة', E'O\\'Neil\\t"quoted"', '1990-02-03', 'female', '+201001112233', E'line one\\nline two \\\\ end', NULL)`);
    await asClinic(db, tenant, `INSERT INTO audit_log (actor_id, action, entity, entity_id, details, ip)
      VALUES (NULL, 'test.note', 'patient', '1', '{"emoji":"🩺","nested":{"a":[1,2,null]}}', '10.0.0.1')`);
    return slug;
  }

  async function backup(slug: string, name = `${slug}.clinic-backup.gz`): Promise<string> {
    const file = join(dir, name);
    const result = await cli(['backup', slug, '--out', file]);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(new RegExp(`^Backed up "${slug}" to .+ \\(\\d+ rows in \\d+ tables, \\d+ KB\\)`));
    return file;
  }

  async function expectRefused(argv: string[], message: RegExp, extraEnv: NodeJS.ProcessEnv = {}) {
    const before = await everything();
    const result = await cli(argv, extraEnv);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: /);
    expect(result.err).toMatch(message);
    expect(result.err).not.toMatch(/\n\s+at /); // one line, no stack
    expect(await everything()).toEqual(before);
  }

  it('backup, drop and restore give back the same rows, settings, domains and sequences', async () => {
    const slug = await richClinic('round');
    const domain = `${slug}.example.org`;
    expect((await cli(['add-domain', slug, domain])).code).toBe(0);
    expect((await cli(['set-language', slug, 'ar'])).code).toBe(0);
    expect((await cli(['suspend', slug])).code).toBe(0);
    const before = await contents(slug);
    const tenantBefore = await tenantOf(slug);
    expect(before.appointments.length).toBeGreaterThan(5);
    expect(before.payments.length).toBeGreaterThan(0);

    const file = await backup(slug);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);

    expect((await cli(['drop', slug, '--yes', '--no-backup'])).code).toBe(0);
    expect(await tenantOf(slug)).toBeNull();

    const restored = await cli(['restore', file]);
    expect(restored).toMatchObject({ code: 0, err: '' });
    expect(restored.out).toContain(`Restored "${slug}"`);
    expect(restored.out).toContain(`domains: ${domain}`);

    expect(await contents(slug)).toEqual(before);
    const tenantAfter = await tenantOf(slug);
    const settings = (t: Tenant) => [t.displayName, t.status, t.language, t.timeZone, t.currency, t.phoneRegion, t.schemaName, t.schemaVersion];
    expect(settings(tenantAfter)).toEqual(settings(tenantBefore));
    expect(settings(tenantAfter)).toContain('suspended');
    expect(await platform.findByDomain(db, domain)).toMatchObject({ slug });

    // the identity sequences go on from where they were: a new row never reuses an id
    await cli(['resume', slug]);
    const maxId = Math.max(...before.patients.map((r) => (JSON.parse(r as string) as { id: number }).id));
    const [inserted] = await asClinic<{ id: string }[]>(db, tenantAfter, `INSERT INTO patients (first_name, last_name, date_of_birth, gender) VALUES ('New', 'One', '1980-01-01', 'male') RETURNING id`);
    expect(Number(inserted.id)).toBe(maxId + 1);
  });

  it('restores a copy under another slug: same rows, no domains, and the copy cannot reach the original', async () => {
    const slug = await richClinic('orig');
    const domain = `${slug}.example.org`;
    await cli(['add-domain', slug, domain]);
    const file = await backup(slug);
    const copy = uniqueSlug('copy');

    const restored = await cli(['restore', file, '--as', copy]);
    expect(restored.code).toBe(0);
    expect(restored.out).toContain(`not restored (they stay with the original slug): domains ${domain}`);
    expect(await contents(copy)).toEqual(await contents(slug));
    const [original, duplicate] = [await tenantOf(slug), await tenantOf(copy)];
    expect(duplicate.schemaName).toBe(schemaNameFor(copy));
    expect(duplicate.id).not.toBe(original.id);
    expect(await platform.findByDomain(db, domain)).toMatchObject({ slug });

    // two clinics from now on: a change in the copy stays in the copy, and its role cannot read the original's schema
    await asClinic(db, duplicate, `UPDATE patients SET first_name = 'Changed' WHERE id = 1`);
    expect(JSON.stringify((await contents(slug)).patients)).not.toContain('Changed');
    await expect(asClinic(db, duplicate, `SELECT count(*) FROM ${ident(original.schemaName)}.patients`)).rejects.toThrow(/permission denied/);
  });

  it('refuses to restore over an existing clinic, and to overwrite an existing file', async () => {
    const slug = await richClinic('exists');
    const file = await backup(slug);
    await expectRefused(['restore', file], new RegExp(`A clinic with slug "${slug}" already exists: restore never overwrites one`));
    const copy = uniqueSlug('taken');
    await cli(['create', copy, '--name', 'Someone else']);
    await expectRefused(['restore', file, '--as', copy], /already exists/);

    const bytes = readFileSync(file);
    await expectRefused(['backup', slug, '--out', file], /already exists: a backup never overwrites a file/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    await expectRefused(['backup', 'no-such-clinic', '--out', join(dir, 'none.gz')], /No clinic with slug "no-such-clinic"/);
    expect(existsSync(join(dir, 'none.gz'))).toBe(false);
  });

  describe('a damaged or forged file is refused with a clear reason, and creates nothing', () => {
    let good: string;
    let text: string;
    beforeAll(async () => {
      good = await backup(await richClinic('source'), 'source-for-damage.gz');
      text = gunzipSync(readFileSync(good)).toString('utf8');
    });

    const variant = (name: string, content: Buffer | string) => {
      const file = join(dir, name);
      writeFileSync(file, content);
      return file;
    };
    /** The text changed, with a checksum recomputed to match, as a forger would. */
    const forged = (name: string, change: (dump: string[]) => string[]) => {
      const lines = text.trimEnd().split('\n');
      const dump = change(lines.slice(2, -1));
      const sha256 = createHash('sha256').update(dump.map((l) => `${l}\n`).join('')).digest('hex');
      const trailer = JSON.parse(lines.at(-1)!.replace('-- end of backup ', '')) as { rows: Record<string, number> };
      const body = [...lines.slice(0, 2), ...dump, `-- end of backup ${JSON.stringify({ sha256, rows: trailer.rows })}`];
      return variant(name, gzipSync(`${body.join('\n')}\n`));
    };

    it('a file cut short', async () => {
      const bytes = readFileSync(good);
      await expectRefused(['restore', variant('cut.gz', bytes.subarray(0, Math.floor(bytes.length / 2))), '--as', uniqueSlug('cut')], /is not a usable clinic backup: it is cut short/);
    });

    it('a file that is not a backup at all', async () => {
      await expectRefused(['restore', variant('notes.txt', 'just some notes\n'), '--as', uniqueSlug('txt')], /is not a usable clinic backup: it is not a gzip file, or it is damaged/);
      await expectRefused(['restore', variant('other.gz', gzipSync('hello\n')), '--as', uniqueSlug('gz')], /its first line is not a clinic backup title/);
      await expectRefused(['restore', join(dir, 'missing.gz')], /No backup file at/);
    });

    it('a file whose content was changed', async () => {
      const changed = text.replace('سارة', 'Sara');
      expect(changed).not.toBe(text);
      await expectRefused(['restore', variant('changed.gz', gzipSync(changed)), '--as', uniqueSlug('chg')], /its checksum does not match its content/);
      const bytes = Buffer.from(readFileSync(good));
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      await expectRefused(['restore', variant('flipped.gz', bytes), '--as', uniqueSlug('flip')], /is not a usable clinic backup|The backup is not usable/);
    });

    it('a forged file with a valid checksum that holds SQL, or rows for another schema', async () => {
      const drop = forged('sql.gz', (dump) => [...dump.slice(0, 5), 'DROP TABLE platform.tenants;', ...dump.slice(5)]);
      await expectRefused(['restore', drop, '--as', uniqueSlug('sql')], /holds a line a clinic backup never holds: "DROP TABLE platform.tenants;"/);
      const elsewhere = forged('platform.gz', (dump) => [...dump, 'COPY platform.domains (host, tenant_id, is_primary) FROM stdin;', 'evil.example.com\t00000000-0000-0000-0000-000000000000\tt', '\\.']);
      await expectRefused(['restore', elsewhere, '--as', uniqueSlug('plat')], /holds data for schema "platform", not this clinic's/);
      const extraRow = forged('bad-row.gz', (dump) => {
        const at = dump.findIndex((l) => l.startsWith('COPY ') && l.includes('.patients '));
        return [...dump.slice(0, at + 1), 'not\tenough columns', ...dump.slice(at + 1)];
      });
      await expectRefused(['restore', extraRow, '--as', uniqueSlug('row')], /its row counts do not match its content/);
    });

    it('a backup from a newer platform', async () => {
      const newer = forged('newer.gz', (dump) => dump);
      const content = gunzipSync(readFileSync(newer)).toString('utf8').replace('"migrations":[', '"migrations":["29991231000000",');
      await expectRefused(['restore', variant('newer2.gz', gzipSync(content)), '--as', uniqueSlug('new')], /made by a newer version of the platform \(migrations 29991231000000\): upgrade this one first/);
    });
  });

  it('restores a backup made at an older schema version, then migrates it forward', async () => {
    const all = MigrationSet.load('tenant');
    const older = mkdtempSync(join(tmpdir(), 'older-migrations-'));
    const oldFiles = readdirSync(join(PROJECT_ROOT, 'migrations', 'tenant')).sort().slice(0, -2);
    for (const f of oldFiles) copyFileSync(join(PROJECT_ROOT, 'migrations', 'tenant', f), join(older, f));
    const oldMigrator = new SchemaMigrator(db, MigrationSet.load('tenant', older));
    const slug = uniqueSlug('older');
    await new ProvisioningService(db, oldMigrator, BASE_DOMAIN).create({ slug, displayName: 'Old clinic' });
    const tenant = await tenantOf(slug);
    expect(tenant.schemaVersion).toBe(oldMigrator.tenantMigrations.latest);
    await asClinic(db, tenant, `INSERT INTO patients (first_name, last_name, date_of_birth, gender) VALUES ('Old', 'Timer', '1950-05-05', 'male')`);
    const file = await backup(slug);
    rmSync(older, { recursive: true });

    const copy = uniqueSlug('newer');
    const restored = await cli(['restore', file, '--as', copy]);
    expect(restored.code).toBe(0);
    const later = all.migrations.slice(-2).map((m) => m.version);
    expect(restored.out).toContain(`migrated after loading: ${later.join(', ')}`);
    expect((await tenantOf(copy)).schemaVersion).toBe(all.latest);
    // the same rows as the original once it too is migrated
    expect((await cli(['migrate', slug])).code).toBe(0);
    expect(await contents(copy)).toEqual(await contents(slug));
  });

  describe('drop', () => {
    it('keeps a backup first, and the backup restores the clinic as it was', async () => {
      const slug = await richClinic('dropped');
      const before = await contents(slug);
      const backups = join(dir, 'auto');
      const result = await cli(['drop', slug, '--yes', '--backup-dir', backups]);
      expect(result.code).toBe(0);
      const [file] = readdirSync(backups);
      expect(file).toMatch(new RegExp(`^${slug}-\\d{8}T\\d{6}Z\\.clinic-backup\\.gz$`));
      expect(result.out).toContain(`Backed up "${slug}" to ${join(backups, file)}`);
      expect(result.out).toContain(`restore it with: npm run tenant -- restore ${join(backups, file)}`);
      expect(await tenantOf(slug)).toBeNull();

      expect((await cli(['restore', join(backups, file)])).code).toBe(0);
      expect(await contents(slug)).toEqual(before);
    });

    it('loses no write made while it runs: a transaction in flight is in the backup', async () => {
      const slug = await richClinic('busy');
      const tenant = await tenantOf(slug);
      const writer = db.createQueryRunner();
      await writer.connect();
      await writer.startTransaction();
      await writer.query(`INSERT INTO ${ident(tenant.schemaName)}.patients (first_name, last_name, date_of_birth, gender) VALUES ('Late', 'Writer', '1999-09-09', 'female')`);
      const backups = join(dir, 'busy');
      const dropping = cli(['drop', slug, '--yes', '--backup-dir', backups]);
      await new Promise((r) => setTimeout(r, 300));
      await writer.commitTransaction();
      await writer.release();
      expect((await dropping).code).toBe(0);
      const [file] = readdirSync(backups);
      const copy = uniqueSlug('busy-copy');
      expect((await cli(['restore', join(backups, file), '--as', copy])).code).toBe(0);
      expect(JSON.stringify((await contents(copy)).patients)).toContain('Late');
    });

    it('refuses to drop when no backup can be taken, and keeps the clinic', async () => {
      const slug = await richClinic('nodump');
      const backups = join(dir, 'never');
      await expectRefused(['drop', slug, '--yes', '--backup-dir', backups], /PG_DUMP=\/nonexistent\/pg_dump is not a working pg_dump; install the PostgreSQL \d+ client tools/, {
        PG_DUMP: '/nonexistent/pg_dump',
      });
      expect(existsSync(backups)).toBe(false);
      const fake = join(dir, 'old-pg_dump');
      writeFileSync(fake, '#!/bin/sh\necho "pg_dump (PostgreSQL) 9.6.24"\n');
      chmodSync(fake, 0o755);
      await expectRefused(['backup', slug, '--out', join(dir, 'old.gz')], /pg_dump 9\.6\.24 \(.+\) cannot dump this PostgreSQL \d+ server: install the PostgreSQL \d+ client tools/, { PG_DUMP: fake });
      expect((await contents(slug)).patients.length).toBeGreaterThan(0);
    });
  });

  it('the backup is readable with zcat: a title, a manifest, pg_dump data and an end line', async () => {
    const slug = await richClinic('zcat');
    const file = await backup(slug);
    const lines = execFileSync('zcat', [file]).toString('utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('-- clinic-platform backup, format 1');
    const manifest = JSON.parse(lines[1].replace('-- manifest ', '')) as { clinic: { slug: string }; migrations: string[] };
    expect(manifest.clinic.slug).toBe(slug);
    expect(manifest.migrations).toEqual(MigrationSet.load('tenant').migrations.map((m) => m.version));
    expect(lines.some((l) => l.startsWith(`COPY ${schemaNameFor(slug)}.patients `))).toBe(true);
    expect(lines.at(-1)).toMatch(/^-- end of backup \{"sha256":"[0-9a-f]{64}","rows":\{/);
  });
});
