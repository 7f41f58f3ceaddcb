import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { PROJECT_ROOT } from '../../src/config/app-config';
import { openDataSource } from '../../src/database/data-source';
import type { Tenant } from '../../src/platform/tenant';
import { ClinicClient } from '../support/clinic-client';
import { freePort } from '../support/free-port';
import { send } from '../support/http';
import { createDoctor, createPatient } from '../support/front-desk';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, eventually, provisioning, type TestUser, uniqueSlug } from '../support/test-app';

/*
 * Two instances of the app as production runs them: two processes (`node dist/src/main.js`) on two
 * ports, sharing nothing but Postgres and, when there is one, Redis. A person's session, the sign-in
 * limit, the cached today board and the registry must behave as if there were one instance. Needs
 * `npm run build` (npm test builds first).
 */

interface Instance {
  readonly url: string;
  readonly process: ChildProcess;
  readonly dataDir: string;
}

async function startInstance(env: NodeJS.ProcessEnv): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'clinic-instance-'));
  let output = '';
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist/src/main.js')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', JOBS: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the instance exited (${child.exitCode}): ${output}`);
    const ready = await send(url, { host: 'localhost', path: '/readyz' }).catch(() => undefined);
    if (ready?.status === 200) return { url, process: child, dataDir };
    if (Date.now() - started > 30_000) throw new Error(`the instance did not get ready: ${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopInstance(instance: Instance | undefined): Promise<void> {
  if (!instance) return;
  if (instance.process.exitCode === null) {
    const exited = new Promise((r) => instance.process.once('exit', r));
    instance.process.kill('SIGTERM');
    await exited;
  }
  rmSync(instance.dataDir, { recursive: true, force: true });
}

describe('two instances of the app', () => {
  let dataSource: DataSource;
  let clinic: Tenant;
  let host: string;
  let reception: TestUser;
  let a: Instance;
  let b: Instance;
  const redis = process.env.REDIS_URL;
  const SIGN_IN_LIMIT = 6;

  beforeAll(async () => {
    dataSource = await openDataSource({ dbPoolMax: 2 }, process.env.DATABASE_URL!, 'multi-instance-test');
    // a clinic exists before the instances start, so neither invents the demo clinic
    clinic = await createClinic(dataSource, { slug: uniqueSlug('twin') });
    host = `${clinic.slug}.localhost`;
    reception = await createUser(dataSource, clinic, { role: 'reception', fullName: 'Sarah Mahmoud' });
    const env = {
      NODE_ENV: 'test',
      JWT_SECRET: randomBytes(32).toString('hex'),
      SIGN_IN_RATE_LIMIT: String(SIGN_IN_LIMIT),
      ...(redis ? { REDIS_URL: redis } : {}),
    };
    a = await startInstance(env);
    b = await startInstance(env);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([stopInstance(a), stopInstance(b)]);
    await dataSource?.destroy();
  });

  it('sees a suspension made by the operator at once, on both instances (registry NOTIFY, no Redis needed)', async () => {
    const other = await createClinic(dataSource, { slug: uniqueSlug('twin-s') });
    const otherHost = `${other.slug}.localhost`;
    for (const i of [a, b]) expect((await send(i.url, { host: otherHost, path: '/login' })).status).toBe(200);
    await provisioning(dataSource).setStatus(other.slug, 'suspended');
    await eventually(async () => {
      for (const i of [a, b]) expect((await send(i.url, { host: otherHost, path: '/login' })).status).toBe(503);
    });
    await provisioning(dataSource).setStatus(other.slug, 'active');
    await eventually(async () => {
      for (const i of [a, b]) expect((await send(i.url, { host: otherHost, path: '/login' })).status).toBe(200);
    });
  });

  // What needs shared state beyond the database: with Redis (CI and these machines), or not at all
  // (one instance per clinic host is the only safe layout without Redis; docs/architecture.md §9).
  if (!redis) return;

  it('keeps a session made on one instance on the other, and ends it on both at sign-out', async () => {
    const onA = await signedInBrowser(a.url, host, reception);
    const onB = new ClinicClient(b.url, host);
    onB.setCookie('session', onA.cookie('session')!);
    expect((await onB.get('/reception')).status).toBe(200);

    await onB.primeCsrf('/reception');
    expect((await onB.post('/logout')).status).toBe(303);
    const after = await onA.get('/reception');
    expect({ status: after.status, location: after.headers.location }).toEqual({ status: 303, location: '/login?next=%2Freception' });
  });

  it('counts failed sign-ins against one limit across both instances', async () => {
    // a clinic of its own: the limit counts every sign-in to a clinic from one address
    const quiet = `${(await createClinic(dataSource, { slug: uniqueSlug('twin-t') })).slug}.localhost`;
    const wrong = async (instance: Instance) => {
      const c = new ClinicClient(instance.url, quiet);
      await c.primeCsrf();
      return (await c.post('/login', { username: 'nobody-here', password: 'not-a-password' })).status;
    };
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMIT; i += 1) statuses.push(await wrong(i % 2 === 0 ? a : b));
    // each instance saw only half the attempts: a per-process count would let both through
    expect(statuses).toEqual(Array(SIGN_IN_LIMIT).fill(401));
    expect(await wrong(a)).toBe(429);
    expect(await wrong(b)).toBe(429);
  });

  it("shows on one instance a change made on the other, though the today board is cached", async () => {
    // a clinic of its own, whose board no instance has cached yet: the appointment is put in with SQL,
    // which (unlike the app) does not tell the cache
    const busy = await createClinic(dataSource, { slug: uniqueSlug('twin-b') });
    const host = `${busy.slug}.localhost`;
    const reception = await createUser(dataSource, busy, { role: 'reception' });
    const doctor = await createDoctor(dataSource, busy, { fullName: 'Dr. Twin Hassan' });
    const patient = await createPatient(dataSource, busy, { firstName: 'Layla', lastName: 'Nabil' });
    const [{ id }] = await asClinic<{ id: string }[]>(
      dataSource,
      busy,
      `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at) VALUES ($1, $2, now(), now() + interval '15 minutes') RETURNING id::text AS id`,
      [patient.id, doctor.doctorId],
    );
    const onB = await signedInBrowser(b.url, host, reception);
    const row = (html: string) => /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*Layla Nabil[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(row((await onB.get('/reception')).body)).toContain('Scheduled'); // B has the board cached now
    expect(row((await onB.get('/reception')).body)).toContain('Scheduled');

    const token = await apiToken(a.url, host, reception);
    expect((await apiCall(a.url, host, token, 'POST', `/api/v1/appointments/${id}/status`, { status: 'checked_in' })).status).toBe(200);
    // A's commit bumped the board's version in Redis: B's very next look is fresh
    expect(row((await onB.get('/reception')).body)).toContain('Checked in');
  });
});
