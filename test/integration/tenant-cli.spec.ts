import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { runCli } from '../../scripts/tenant';
import { PROJECT_ROOT } from '../../src/config/app-config';
import { openDataSource } from '../../src/database/data-source';
import { PlatformRepository } from '../../src/platform/platform.repository';
import type { ProvisioningStep } from '../../src/platform/provisioning.service';
import { roleNameFor, schemaNameFor } from '../../src/platform/tenant';
import { asClinic, provisioning, uniqueSlug } from '../support/test-app';

const env = { DATABASE_URL: process.env.DATABASE_URL, NODE_ENV: 'test', BASE_DOMAIN: 'localhost', PORT: '3000' };

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false }, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('operator CLI (npm run tenant)', () => {
  let db: DataSource;
  let platformId: string;

  /** Everything a verb could change: registry rows, clinic schemas and clinic roles. */
  async function snapshot() {
    const tenants = await db.query('SELECT slug, status, display_name, schema_version FROM platform.tenants ORDER BY slug');
    const domains = await db.query('SELECT host, tenant_id, is_primary FROM platform.domains ORDER BY host');
    const schemas = await db.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%' ORDER BY 1`);
    const roles = await db.query('SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) ORDER BY 1', [roleNameFor(platformId, 'x').slice(0, -1)]);
    return { tenants, domains, schemas, roles };
  }

  async function expectRefused(argv: string[], message: RegExp) {
    const before = await snapshot();
    const result = await cli(...argv);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
    expect(result.err.split('\n')[0]).toMatch(/^error: /);
    expect(await snapshot()).toEqual(before);
  }

  async function clinicExistsAnywhere(slug: string) {
    const s = await snapshot();
    return {
      registry: s.tenants.some((t: { slug: string }) => t.slug === slug),
      schema: s.schemas.some((n: { nspname: string }) => n.nspname === schemaNameFor(slug)),
      role: s.roles.some((r: { rolname: string }) => r.rolname === roleNameFor(platformId, slug)),
      domain: s.domains.some((d: { host: string }) => d.host.startsWith(`${slug}.`)),
    };
  }

  beforeAll(async () => {
    db = await openDataSource({ dbPoolMax: 4 }, process.env.DATABASE_URL!);
    platformId = await new PlatformRepository().platformId(db);
  });
  afterAll(() => db.destroy());

  describe('create', () => {
    it('creates a clinic with its schema, role, domain and an argon2id-hashed admin', async () => {
      const slug = uniqueSlug('new');
      const result = await cli('create', slug, '--name', "Dr. Ahmed's Clinic", '--domain', `${slug}.Example.com`, '--admin-username', 'kareem', '--admin-password', 'correct-horse-1');
      expect(result).toMatchObject({ code: 0, err: '' });
      expect(result.out).toContain(`Created clinic "${slug}" (Dr. Ahmed's Clinic) at http://${slug}.localhost:3000/`);
      expect(await clinicExistsAnywhere(slug)).toEqual({ registry: true, schema: true, role: true, domain: true });

      const tenant = (await provisioning(db).get(slug))!;
      const users = await asClinic<{ username: string; role: string; password_hash: string }[]>(db, tenant, 'SELECT username, role, password_hash FROM users');
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ username: 'kareem', role: 'admin' });
      expect(users[0].password_hash).toMatch(/^\$argon2id\$/);
      const owner = await db.query('SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1', [tenant.schemaName]);
      expect(owner[0].owner).toBe(tenant.roleName);
    });

    it('prints JSON for scripts', async () => {
      const slug = uniqueSlug('json');
      const result = await cli('create', slug, '--name', 'Json Clinic', '--json');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.out)).toMatchObject({ slug, name: 'Json Clinic', status: 'active', schema: schemaNameFor(slug), url: `http://${slug}.localhost:3000` });
    });

    it('refuses bad, reserved and existing slugs, taken domains and bad admin details, changing nothing', async () => {
      const taken = uniqueSlug('taken');
      expect((await cli('create', taken, '--name', 'Taken', '--domain', `${taken}.example.org`)).code).toBe(0);

      await expectRefused(['create', 'Bad_Slug', '--name', 'x'], /not a valid clinic slug/);
      await expectRefused(['create', 'a', '--name', 'x'], /not a valid clinic slug/);
      await expectRefused(['create', 'api', '--name', 'x'], /"api" is reserved/);
      await expectRefused(['create', taken, '--name', 'Again'], new RegExp(`clinic with slug "${taken}" already exists`));
      await expectRefused(['create', uniqueSlug('dom'), '--name', 'x', '--domain', `${taken}.example.org`], /already points to clinic/);
      await expectRefused(['create', uniqueSlug('dom'), '--name', 'x', '--domain', 'https://x.example.org/path'], /not a valid host name/);
      await expectRefused(['create', uniqueSlug('dom'), '--name', 'x', '--domain', 'other.localhost'], /belong to clinic slugs/);
      await expectRefused(['create', uniqueSlug('adm'), '--name', 'x', '--admin-username', 'kareem'], /go together/);
      await expectRefused(['create', uniqueSlug('adm'), '--name', 'x', '--admin-username', 'kareem', '--admin-password', 'short'], /at least 10 characters/);
      await expectRefused(['create', uniqueSlug('adm'), '--name', 'x'.repeat(201)], /1-200 characters/);
      await expectRefused(['create', uniqueSlug('adm')], /required option '--name/);
    });

    it('leaves nothing behind when create fails at any step inside its transaction', async () => {
      const steps: ProvisioningStep[] = ['registered', 'schema', 'migrated', 'admin'];
      for (const step of steps) {
        const slug = uniqueSlug('fail');
        const ops = provisioning(db, {
          afterStep: async (reached) => {
            if (reached === step) throw new Error(`injected failure at ${step}`);
          },
        });
        await expect(ops.create({ slug, displayName: 'Doomed', domain: `${slug}.example.net`, admin: { username: 'owner', password: 'long-enough-pw' } })).rejects.toThrow(step);
        expect(await clinicExistsAnywhere(slug)).toEqual({ registry: false, schema: false, role: false, domain: false });
      }
    });

    it('leaves nothing behind when the process is killed half-way through create', async () => {
      const slug = uniqueSlug('killed');
      const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist/scripts/tenant.js'), 'create', slug, '--name', 'Killed', '--domain', `${slug}.example.net`, '--admin-username', 'owner', '--admin-password', 'long-enough-pw'], {
        env: { ...process.env, ...env, CLINIC_TEST_PAUSE_CREATE_AT: 'admin' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => c.toString().includes('paused at admin') && resolve());
        child.on('exit', (code) => reject(new Error(`CLI exited (${code}) before pausing: ${stderr}`)));
      });
      // every step ran, uncommitted; now the process dies without a word
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));
      // Postgres aborts the dead session's transaction once it notices the closed socket
      const deadline = Date.now() + 5000;
      while ((await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'clinic-cli'`))[0].n > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await clinicExistsAnywhere(slug)).toEqual({ registry: false, schema: false, role: false, domain: false });
      // and the slug is free again
      expect((await cli('create', slug, '--name', 'Second try')).code).toBe(0);
    });
  });

  it('lists clinics for people and as JSON', async () => {
    const slug = uniqueSlug('listed');
    await cli('create', slug, '--name', 'Listed Clinic', '--domain', `${slug}.example.com`);
    const human = await cli('list');
    expect(human.code).toBe(0);
    expect(human.out).toMatch(new RegExp(`${slug}\\s+Listed Clinic\\s+active\\s+\\d{14}\\s+${slug}.example.com\\*`));
    const json = JSON.parse((await cli('list', '--json')).out) as { slug: string; domains: unknown[] }[];
    expect(json.find((c) => c.slug === slug)).toMatchObject({ slug, domains: [{ host: `${slug}.example.com`, isPrimary: true }] });
  });

  it('suspends and resumes, says when nothing changed, refuses unknown clinics', async () => {
    const slug = uniqueSlug('pause');
    await cli('create', slug, '--name', 'Pause');
    expect(await cli('suspend', slug)).toMatchObject({ code: 0, out: `Suspended "${slug}"` });
    expect(await cli('suspend', slug)).toMatchObject({ code: 0, out: `"${slug}" was already suspended` });
    expect((await provisioning(db).get(slug))!.status).toBe('suspended');
    expect(await cli('resume', slug)).toMatchObject({ code: 0, out: `Resumed "${slug}"` });
    expect((await provisioning(db).get(slug))!.status).toBe('active');
    await expectRefused(['suspend', 'nobody-home'], /No clinic with slug "nobody-home"/);
    await expectRefused(['resume', 'nobody-home'], /No clinic with slug/);
  });

  it('adds and removes custom domains, promoting the next one to primary', async () => {
    const slug = uniqueSlug('dom');
    const other = uniqueSlug('dom');
    await cli('create', slug, '--name', 'Domains');
    await cli('create', other, '--name', 'Other');
    expect(await cli('add-domain', slug, `A.${slug}.example.com.`)).toMatchObject({ code: 0, out: `a.${slug}.example.com now reaches "${slug}" (primary domain)` });
    expect(await cli('add-domain', slug, `b.${slug}.example.com`)).toMatchObject({ code: 0, out: `b.${slug}.example.com now reaches "${slug}"` });
    await expectRefused(['add-domain', other, `b.${slug}.example.com`], new RegExp(`already points to clinic "${slug}"`));
    await expectRefused(['add-domain', 'nobody-home', 'x.example.com'], /No clinic with slug/);
    await expectRefused(['add-domain', slug, 'not a host'], /not a valid host name/);

    expect(await cli('remove-domain', `a.${slug}.example.com`)).toMatchObject({ code: 0 });
    const listed = JSON.parse((await cli('list', '--json')).out) as { slug: string; domains: unknown[] }[];
    expect(listed.find((c) => c.slug === slug)!.domains).toEqual([{ host: `b.${slug}.example.com`, isPrimary: true }]);
    await expectRefused(['remove-domain', `a.${slug}.example.com`], /No clinic uses the domain/);
  });

  it('drops a clinic only with --yes, removing schema, role and registry rows', async () => {
    const slug = uniqueSlug('drop');
    await cli('create', slug, '--name', 'Drop me', '--domain', `${slug}.example.com`, '--admin-username', 'owner', '--admin-password', 'long-enough-pw');
    await expectRefused(['drop', slug], /without --yes/);
    expect(await cli('drop', slug, '--yes', '--no-backup')).toMatchObject({ code: 0, out: `Dropped "${slug}" and all its data (no backup taken)` });
    expect(await clinicExistsAnywhere(slug)).toEqual({ registry: false, schema: false, role: false, domain: false });
    await expectRefused(['drop', slug, '--yes', '--no-backup'], /No clinic with slug/);
    await expectRefused(['drop', slug, '--yes'], /No clinic with slug/);
  });

  it('migrates one clinic or all, and refuses ambiguous requests', async () => {
    const slug = uniqueSlug('mig');
    await cli('create', slug, '--name', 'Migrate');
    expect(await cli('migrate', slug)).toMatchObject({ code: 0, out: `"${slug}" is already up to date` });
    const all = await cli('migrate', '--all', '--concurrency', '2');
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/^Migrated 0 clinic\(s\), 0 failed, \d+ already up to date \(\d+ in all\) in \d+\.\d\d s$/);
    await expectRefused(['migrate'], /name one clinic, or use --all/);
    await expectRefused(['migrate', slug, '--all'], /name one clinic, or use --all/);
    await expectRefused(['migrate', 'nobody-home'], /No clinic with slug/);
    await expectRefused(['migrate', '--all', '--concurrency', '0'], /from 1 to 64/);
  });

  it.each(['create', 'list', 'migrate', 'suspend', 'resume', 'add-domain', 'remove-domain', 'drop'])('explains %s with --help', async (verb) => {
    const result = await cli(verb, '--help');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`Usage: tenant ${verb}`);
  });

  it('refuses an unknown verb', async () => {
    const result = await cli('explode');
    expect(result.code).toBe(1);
    expect(result.err).toContain("unknown command 'explode'");
  });
});
