import Redis from 'ioredis';
import type { Tenant } from '../../src/platform/tenant';
import { ClinicClient } from '../support/clinic-client';
import { send } from '../support/http';
import { createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

const json = { accept: 'application/json', 'content-type': 'application/json' };
const stores: [string, NodeJS.ProcessEnv][] = [['memory', {}]];
if (process.env.REDIS_URL) stores.push(['redis', { REDIS_URL: process.env.REDIS_URL }]);

describe.each(stores)('sessions with the %s store', (store, env) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  /** The same username (and, for the patient, the same phone) in both clinics: two different people. */
  const inA = {} as Record<'doctor' | 'patient', TestUser>;
  const inB = {} as Record<'doctor' | 'patient', TestUser>;
  const username = `same-${store}`;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...env, SIGN_IN_RATE_LIMIT: '10000' } });
    a = await createClinic(t.dataSource, { slug: uniqueSlug('sess-a') });
    b = await createClinic(t.dataSource, { slug: uniqueSlug('sess-b') });
    inA.doctor = await createUser(t.dataSource, a, { role: 'doctor', username, fullName: 'Doctor of A' });
    inB.doctor = await createUser(t.dataSource, b, { role: 'doctor', username, fullName: 'Doctor of B' });
    inA.patient = await createUser(t.dataSource, a, { role: 'patient', username: `${username}-p`, phone: '+201055566677', fullName: 'Patient of A' });
    inB.patient = await createUser(t.dataSource, b, { role: 'patient', username: `${username}-p`, phone: '+201055566677', fullName: 'Patient of B' });
  });

  afterAll(() => t.close());

  const hostOf = (clinic: Tenant) => `${clinic.slug}.localhost`;
  const login = (clinic: Tenant, user: TestUser) =>
    send(t.url, { method: 'POST', path: '/api/v1/auth/login', host: hostOf(clinic), headers: json, body: JSON.stringify({ username: user.username, password: user.password }) });
  const token = async (clinic: Tenant, user: TestUser) => (await login(clinic, user)).json<{ accessToken: string }>().accessToken;
  const me = (clinic: Tenant, bearer: string) => send(t.url, { path: '/api/v1/me', host: hostOf(clinic), headers: { ...json, authorization: `Bearer ${bearer}` } });

  async function browser(clinic: Tenant, user: TestUser): Promise<ClinicClient> {
    const c = new ClinicClient(t.url, hostOf(clinic));
    await c.primeCsrf();
    expect((await c.post('/login', { username: user.username, password: user.password! })).status).toBe(303);
    return c;
  }

  it('keeps the same username and phone in two clinics as two different people', async () => {
    expect((await login(a, inB.doctor)).status).toBe(401); // B's password means nothing in A
    const fromA = await me(a, await token(a, inA.doctor));
    const fromB = await me(b, await token(b, inB.doctor));
    expect(fromA.json()).toMatchObject({ fullName: 'Doctor of A', clinic: { slug: a.slug } });
    expect(fromB.json()).toMatchObject({ fullName: 'Doctor of B', clinic: { slug: b.slug } });

    const patientLogin = (clinic: Tenant) =>
      send(t.url, { method: 'POST', path: '/api/v1/auth/patient-login', host: hostOf(clinic), headers: json, body: JSON.stringify({ phone: '01055566677', username: `${username}-p` }) });
    const pa = (await patientLogin(a)).json<{ accessToken: string }>().accessToken;
    const pb = (await patientLogin(b)).json<{ accessToken: string }>().accessToken;
    expect((await me(a, pa)).json()).toMatchObject({ fullName: 'Patient of A' });
    expect((await me(b, pb)).json()).toMatchObject({ fullName: 'Patient of B' });
  });

  it("refuses clinic A's token on clinic B's host, even for the same user id", async () => {
    expect(inA.doctor.id).toBe(inB.doctor.id); // ids are per clinic: the same number in both
    const fromA = await token(a, inA.doctor);
    const res = await me(b, fromA);
    expect(res.status).toBe(401);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('wrong_clinic');

    const c = await browser(a, inA.doctor);
    const onB = new ClinicClient(t.url, hostOf(b));
    onB.setCookie('session', c.cookie('session')!);
    const page = await onB.get('/doctor');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fdoctor');
    expect((await c.get('/doctor')).status).toBe(200); // still fine at home
  });

  it('ends a browser session at sign-out: the old cookie is refused at once', async () => {
    const c = await browser(a, inA.doctor);
    const cookie = c.cookie('session')!;
    await c.get('/doctor');
    const out = await c.post('/logout');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login');
    expect(c.cookie('session')).toBeUndefined();
    const replay = new ClinicClient(t.url, hostOf(a));
    replay.setCookie('session', cookie);
    expect((await replay.get('/doctor')).status).toBe(303);
  });

  it('ends an API session at logout: the token is refused at once, other sessions of the user live on', async () => {
    const first = await token(a, inA.doctor);
    const second = await token(a, inA.doctor);
    const out = await send(t.url, { method: 'POST', path: '/api/v1/auth/logout', host: hostOf(a), headers: { ...json, authorization: `Bearer ${first}` } });
    expect(out.status).toBe(204);
    const refused = await me(a, first);
    expect(refused.status).toBe(401);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('session_ended');
    expect((await me(a, second)).status).toBe(200);
  });

  if (store === 'redis') {
    it('keeps sessions under the clinic-scoped keys with the idle expiry', async () => {
      const bearer = await token(a, inA.doctor);
      const { jti } = JSON.parse(Buffer.from(bearer.split('.')[1], 'base64url').toString()) as { jti: string };
      const redis = new Redis(process.env.REDIS_URL!);
      try {
        const ttl = await redis.ttl(`clinic:{${a.id}}:session:${jti}`);
        expect(ttl).toBeGreaterThan(t.config.staffSessionIdleSeconds - 5);
        expect(ttl).toBeLessThanOrEqual(t.config.staffSessionIdleSeconds);
        expect(await redis.sismember(`clinic:{${a.id}}:user-sessions:${inA.doctor.id}`, jti)).toBe(1);
        expect(await redis.exists(`clinic:{${b.id}}:session:${jti}`)).toBe(0);
      } finally {
        redis.disconnect();
      }
    });
  }
});

describe.each(stores)('sign-in throttling with the %s store', (_store, env) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...env, SIGN_IN_RATE_LIMIT: '3', SIGN_IN_RATE_WINDOW_SECONDS: '60' } });
  });

  afterAll(() => t.close());

  it('limits attempts per address per clinic over all sign-in endpoints, with a clear 429', async () => {
    const a = await createClinic(t.dataSource, { slug: uniqueSlug('thr-a') });
    const b = await createClinic(t.dataSource, { slug: uniqueSlug('thr-b') });
    const attempt = (clinic: Tenant, path: string, body: object) =>
      send(t.url, { method: 'POST', path, host: `${clinic.slug}.localhost`, headers: json, body: JSON.stringify(body) });
    expect((await attempt(a, '/api/v1/auth/login', { username: 'x-user', password: 'wrong-password' })).status).toBe(401);
    expect((await attempt(a, '/api/v1/auth/patient-login', { username: 'x-user', phone: '01012345678' })).status).toBe(401);
    expect((await attempt(a, '/api/v1/auth/login', { username: 'x-user', password: 'wrong-password' })).status).toBe(401);
    const limited = await attempt(a, '/api/v1/auth/login', { username: 'x-user', password: 'wrong-password' });
    expect(limited.status).toBe(429);
    expect(limited.json<{ error: { code: string; message: string } }>().error).toEqual({ code: 'too_many_attempts', message: expect.stringContaining('Please wait') });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    const form = new ClinicClient(t.url, `${a.slug}.localhost`);
    await form.primeCsrf();
    const page = await form.post('/login', { username: 'x-user', password: 'wrong-password' });
    expect(page.status).toBe(429);
    expect(page.body).toContain('Too many sign-in attempts');
    expect(page.body).toMatch(/<form[^>]*action="\/login"/);

    // another clinic's allowance is its own
    expect((await attempt(b, '/api/v1/auth/login', { username: 'x-user', password: 'wrong-password' })).status).toBe(401);
  });
});
