import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preferConnectionFor } from '../../src/database/affine-pool';
import { JobsRunner } from '../../src/jobs/jobs-runner.service';
import type { Tenant } from '../../src/platform/tenant';
import { createPatient, type TestPatient } from '../support/front-desk';
import { type HttpResponse, send } from '../support/http';
import { apiCall, apiToken } from '../support/signed-in';
import { asClinic, createClinic, createUser, provisioning, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

const TOKEN = 'metrics-token-for-tests-0123456789';
/** Anything that would show a metric was read. */
const METRIC_TEXT = /# (HELP|TYPE)|http_request_duration_seconds|process_cpu|nodejs_|db_pool_|cache_hits|jobs_runs|outbox_/;

/** The samples of one metric whose labels include `labels`, summed (0 when there is none). */
function sample(body: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  let found = false;
  for (const line of body.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const own = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => own[k] === v)) {
      total += Number(match[3]);
      found = true;
    }
  }
  return found ? total : Number.NaN;
}

/** Every value the label takes in the scrape. */
const labelValues = (body: string, label: string): Set<string> => new Set([...body.matchAll(new RegExp(`[{,]${label}="([^"]*)"`, 'g'))].map((m) => m[1]));

describe('Prometheus metrics at /metrics', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clinic-metrics-'));
  let t: TestApp;
  /** The same app without METRICS_TOKEN, in the same process. */
  let plain: TestApp;
  let a: Tenant;
  let b: Tenant;
  let adminA: TestUser;
  let adminB: TestUser;
  let patientA: TestPatient;
  let patientB: TestPatient;
  const hostOf = (clinic: Tenant) => `${clinic.slug}.localhost`;

  const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, host = 'localhost', app: TestApp = t): Promise<HttpResponse> =>
    send(app.url, { path: '/metrics', host, headers });
  const metrics = async (): Promise<string> => {
    const res = await scrape();
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    // started first: passport keeps one 'jwt' strategy per process, and the app started last owns it
    // (its own session store), so the app whose sign-ins the tests use must start after this one
    plain = await startTestApp();
    t = await startTestApp({ env: { METRICS_TOKEN: TOKEN, DATA_DIR: dataDir } });
    a = await createClinic(t.dataSource, { slug: uniqueSlug('metrics-a') });
    b = await createClinic(t.dataSource, { slug: uniqueSlug('metrics-b') });
    adminA = await createUser(t.dataSource, a, { role: 'admin' });
    adminB = await createUser(t.dataSource, b, { role: 'admin' });
    patientA = await createPatient(t.dataSource, a);
    patientB = await createPatient(t.dataSource, b);
  });

  afterAll(async () => {
    await plain.close();
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('protection', () => {
    it('refuses a scrape without the token, with a wrong one, or with another scheme: 401, and not one metric in the answer', async () => {
      const attempts: Record<string, string>[] = [
        {},
        { authorization: 'Bearer' },
        { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
        { authorization: `Bearer ${TOKEN}x` },
        { authorization: `Bearer ${TOKEN.slice(0, 10)}` },
        { authorization: `Basic ${Buffer.from(`metrics:${TOKEN}`).toString('base64')}` },
        { authorization: TOKEN },
        { authorization: `Bearer ${TOKEN} ${TOKEN}` },
      ];
      for (const headers of attempts) {
        for (const accept of ['text/html', 'application/json', 'text/plain;version=0.0.4;q=0.4,*/*;q=0.1']) {
          const res = await scrape({ ...headers, accept });
          expect({ headers, accept, status: res.status }).toEqual({ headers, accept, status: 401 });
          expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
          expect(res.body).not.toMatch(METRIC_TEXT);
        }
      }
      const json = await scrape({ accept: 'application/json' });
      expect(json.json<{ error: { code: string } }>().error.code).toBe('metrics_token_required');
    });

    it("refuses a clinic's own sign-in token: being an owner of a clinic gives no view of the platform's metrics", async () => {
      const token = await apiToken(t.url, hostOf(a), adminA);
      for (const host of ['localhost', hostOf(a)]) {
        const res = await scrape({ authorization: `Bearer ${token}`, accept: 'application/json' }, host);
        expect(res.status).toBe(401);
        expect(res.body).not.toMatch(METRIC_TEXT);
      }
    });

    it('answers with the token, in the text format, not to be cached; the scheme is case-insensitive', async () => {
      for (const scheme of ['Bearer', 'bearer']) {
        const res = await scrape({ authorization: `${scheme} ${TOKEN}` });
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/plain;/);
        expect(String(res.headers['content-type']).split(/; */).sort()).toEqual(['charset=utf-8', 'text/plain', 'version=0.0.4']);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toMatch(/^# HELP http_request_duration_seconds /m);
      }
    });

    it("answers on any host, outside tenant resolution: the root host, a clinic's, an unknown one, a suspended clinic's", async () => {
      const suspended = await createClinic(t.dataSource, { slug: uniqueSlug('metrics-off') });
      await provisioning(t.dataSource).setStatus(suspended.slug, 'suspended');
      expect((await send(t.url, { path: '/', host: hostOf(suspended) })).status).toBe(503);
      for (const host of ['localhost', hostOf(a), 'no-such-clinic.localhost', 'elsewhere.example.com', hostOf(suspended)]) {
        const res = await scrape(undefined, host);
        expect({ host, status: res.status }).toEqual({ host, status: 200 });
        expect(res.body).toMatch(/^http_request_duration_seconds_count/m);
      }
      // and a clinic path next to it still needs its clinic
      expect((await send(t.url, { path: '/metrics-and-more', host: 'no-such-clinic.localhost' })).status).toBe(404);
    });

    it('does not exist without METRICS_TOKEN (404, like any unknown page), in a second app of the same process', async () => {
      for (const host of ['localhost', hostOf(a)]) {
        for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }, { authorization: 'Bearer ' }] as Record<string, string>[]) {
          const res = await scrape({ ...headers, accept: 'application/json' }, host, plain);
          expect(res.status).toBe(404);
          expect(res.json<{ error: { code: string } }>().error.code).toBe('metrics_disabled');
          expect(res.body).not.toMatch(METRIC_TEXT);
        }
      }
      // the other app's metrics are its own and still served (one registry per app: nothing clashed)
      expect(await metrics()).toMatch(/^db_pool_connections /m);
    });
  });

  describe('request rate and latency', () => {
    it('labels requests with the route pattern and status, never the URL, the id, the clinic or its host', async () => {
      const tokenA = await apiToken(t.url, hostOf(a), adminA);
      const tokenB = await apiToken(t.url, hostOf(b), adminB);
      const stranger = randomUUID();
      const before = await metrics();
      const route = { method: 'GET', route: '/api/v1/patients/:id' };
      const countOf = (body: string, labels: Record<string, string>) => sample(body, 'http_request_duration_seconds_count', labels) || 0;

      expect((await apiCall(t.url, hostOf(a), tokenA, 'GET', `/api/v1/patients/${patientA.id}`)).status).toBe(200);
      expect((await apiCall(t.url, hostOf(b), tokenB, 'GET', `/api/v1/patients/${patientB.id}`)).status).toBe(200);
      // another clinic's patient: refused like an unknown one, under the same pattern
      const crossing = await apiCall(t.url, hostOf(a), tokenA, 'GET', `/api/v1/patients/${stranger}`);
      expect(crossing.status).toBeGreaterThanOrEqual(400);
      // no route at all, and no clinic at all
      expect((await apiCall(t.url, hostOf(a), tokenA, 'GET', `/api/v1/nothing-here/${stranger}`)).status).toBe(404);
      expect((await send(t.url, { path: `/patients/${stranger}`, host: `nobody-${stranger.slice(0, 8)}.localhost` })).status).toBe(404);

      const after = await metrics();
      expect(countOf(after, { ...route, status: '200' }) - countOf(before, { ...route, status: '200' })).toBe(2);
      expect(countOf(after, { ...route, status: String(crossing.status) }) - countOf(before, { ...route, status: String(crossing.status) })).toBe(1);
      expect(countOf(after, { route: 'unmatched', status: '404' }) - countOf(before, { route: 'unmatched', status: '404' })).toBe(2);
      expect(sample(after, 'http_request_duration_seconds_bucket', { ...route, status: '200', le: '+Inf' })).toBeGreaterThanOrEqual(2);
      expect(sample(after, 'http_request_duration_seconds_sum', { ...route, status: '200' })).toBeGreaterThan(0);
      // the refused scrapes above are counted too, under their own pattern
      expect(countOf(after, { route: '/metrics', status: '401' })).toBeGreaterThan(0);

      // no id, slug or host anywhere in the answer
      const secrets = [stranger, stranger.slice(0, 8), a.slug, b.slug, a.id, b.id, hostOf(a), `/api/v1/patients/${patientA.id}`, `/api/v1/patients/${patientB.id}`, 'localhost'];
      for (const secret of secrets) expect({ secret, found: after.includes(secret) }).toEqual({ secret, found: false });
      // every route label is a pattern: no segment of digits or a uuid, and no label names a host or clinic
      for (const value of labelValues(after, 'route')) {
        expect(value === 'unmatched' || /^\/[A-Za-z0-9/:_.{}*-]*$/.test(value)).toBe(true);
        expect(value.split('/').some((segment) => /^\d+$|^[0-9a-f-]{36}$/.test(segment))).toBe(false);
      }
      expect(after).not.toMatch(/[{,](host|clinic|tenant|slug)="/);
      expect([...labelValues(after, 'status')].every((s) => /^[1-5]\d\d$/.test(s))).toBe(true);
    });
  });

  describe('pool, cache, jobs, outbox', () => {
    it('shows the database pool: open, idle, waiting and its limit', async () => {
      const body = await metrics();
      expect(sample(body, 'db_pool_max_connections')).toBe(10);
      expect(sample(body, 'db_pool_connections')).toBe(t.pool.totalCount);
      expect(sample(body, 'db_pool_connections')).toBeGreaterThan(0);
      expect(sample(body, 'db_pool_idle_connections')).toBeGreaterThanOrEqual(0);
      expect(sample(body, 'db_pool_waiting_requests')).toBe(0);
      // the gauges are read at scrape time: a held connection shows at once
      const held = await t.pool.connect();
      try {
        const during = await metrics();
        expect(sample(during, 'db_pool_connections') - sample(during, 'db_pool_idle_connections')).toBeGreaterThanOrEqual(1);
      } finally {
        held.release();
      }
    });

    it("counts a clinic's work that ran away from its home connection (it was busy)", async () => {
      const token = await apiToken(t.url, hostOf(a), adminA);
      const awayFromHome = async () => sample(await metrics(), 'db_pool_away_from_home_total');
      const before = await awayFromHome();
      const home = await preferConnectionFor(a.schemaName, () => t.pool.connect());
      try {
        expect((await apiCall(t.url, hostOf(a), token, 'GET', '/api/v1/patients')).status).toBe(200);
      } finally {
        home.release();
      }
      expect(await awayFromHome()).toBe(before + 1);
      expect((await apiCall(t.url, hostOf(a), token, 'GET', '/api/v1/patients')).status).toBe(200);
      expect(await awayFromHome()).toBe(before + 1);
    });

    it('counts cache misses and hits by kind of view (the dashboard numbers loaded twice)', async () => {
      const token = await apiToken(t.url, hostOf(a), adminA);
      const before = await metrics();
      const hits = (body: string) => sample(body, 'cache_hits_total', { cache: 'dashboard' }) || 0;
      const misses = (body: string) => sample(body, 'cache_misses_total', { cache: 'dashboard' }) || 0;
      const first = await apiCall(t.url, hostOf(a), token, 'GET', '/api/v1/reports/summary');
      expect(first.status).toBe(200);
      const middle = await metrics();
      expect(misses(middle) - misses(before)).toBe(1);
      expect(hits(middle) - hits(before)).toBe(0);
      const second = await apiCall(t.url, hostOf(a), token, 'GET', '/api/v1/reports/summary');
      expect(second.body).toBe(first.body);
      const after = await metrics();
      expect(hits(after) - hits(middle)).toBe(1);
      expect(misses(after) - misses(middle)).toBe(0);
      // the other clinic's first look is its own miss: one clinic's cache never serves another
      await apiCall(t.url, hostOf(b), await apiToken(t.url, hostOf(b), adminB), 'GET', '/api/v1/reports/summary');
      const last = await metrics();
      expect(misses(last) - misses(after)).toBe(1);
      expect(hits(last) - hits(after)).toBe(0);
    });

    it('counts job runs and failures by job, and the outbox: notices delivered and the backlog still pending', async () => {
      const now = Date.now();
      const notice = (key: string, dueInMinutes: number) =>
        asClinic(
          t.dataSource,
          a,
          `INSERT INTO outbox (kind, dedupe_key, recipient, subject, body, status, next_attempt_at) VALUES ('reminder', $1, 'amir@example.com', 'Reminder', 'See you soon', 'pending', $2)`,
          [key, new Date(now + dueInMinutes * 60_000)],
        );
      await notice(`metrics-due-${now}`, -1);
      await notice(`metrics-later-1-${now}`, 60);
      await notice(`metrics-later-2-${now}`, 120);
      const before = await metrics();
      const runs = (body: string, job: string) => sample(body, 'jobs_runs_total', { job }) || 0;
      const failures = (body: string, job: string) => sample(body, 'jobs_failures_total', { job }) || 0;
      const sent = (body: string) => sample(body, 'outbox_deliveries_total', { outcome: 'sent' }) || 0;

      const summary = await t.app.get(JobsRunner).runAll({ clinic: a.slug });
      expect(summary.failed).toBe(0);
      expect(summary.clinics[0].delivery?.sent).toBe(1);
      const after = await metrics();
      expect(runs(after, 'no-show-sweep') - runs(before, 'no-show-sweep')).toBe(1);
      expect(failures(after, 'no-show-sweep') - failures(before, 'no-show-sweep')).toBe(0);
      expect(sent(after) - sent(before)).toBe(1);
      // only clinic A's outbox has been visited by this app: its two notices not yet due
      expect(sample(after, 'outbox_pending_notices')).toBe(2);

      // a run that cannot start (no such clinic) is a failed run
      await expect(t.app.get(JobsRunner).runAll({ clinic: 'no-such-clinic' })).rejects.toThrow(/no active clinic/);
      const failed = await metrics();
      expect(runs(failed, 'no-show-sweep') - runs(after, 'no-show-sweep')).toBe(1);
      expect(failures(failed, 'no-show-sweep') - failures(after, 'no-show-sweep')).toBe(1);
      expect(sample(failed, 'jobs_clinic_failures_total', { job: 'no-show-sweep' }) || 0).toBe(sample(after, 'jobs_clinic_failures_total', { job: 'no-show-sweep' }) || 0);

      // the backlog follows the next pass: one more sent, one left
      await asClinic(t.dataSource, a, `UPDATE outbox SET next_attempt_at = now() - interval '1 minute' WHERE dedupe_key = $1`, [`metrics-later-1-${now}`]);
      await t.app.get(JobsRunner).runAll({ clinic: a.slug });
      const later = await metrics();
      expect(sample(later, 'outbox_pending_notices')).toBe(1);
      expect(sent(later) - sent(after)).toBe(1);
    });

    it("includes the process's own metrics once, beside the app's", async () => {
      const body = await metrics();
      for (const name of ['process_cpu_user_seconds_total', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds', 'http_request_duration_seconds', 'db_pool_connections']) {
        expect({ name, declared: body.split('\n').filter((l) => l.startsWith(`# TYPE ${name} `)).length }).toEqual({ name, declared: 1 });
      }
    });
  });
});
