import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { ClinicCache } from '../../src/common/cache/clinic-cache.service';
import { loadConfig } from '../../src/config/app-config';
import type { Tenant } from '../../src/platform/tenant';
import { TenantTransaction } from '../../src/tenancy/tenant-transaction.service';
import { freePort } from '../support/free-port';
import { send } from '../support/http';
import { apiCall, apiToken } from '../support/signed-in';
import { createClinic, createUser, eventually, startTestApp, type TestApp, uniqueSlug } from '../support/test-app';

/** The session id a Bearer token names. */
const jtiOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { jti: string }).jti;

/**
 * The app on a Redis Cluster: three masters, each a real redis-server process of this machine (run
 * where the machine has Redis, i.e. REDIS_URL is set, like the other Redis tests), joined with
 * `redis-cli --cluster create`. Every key of a clinic must land in the slot of its hash tag, the
 * clinic's id, for the session store's MULTI and the Lua scripts to run there.
 */
describe('Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  const machineHasRedis = Boolean(process.env.REDIS_URL);
  const processes: ChildProcess[] = [];
  /** One plain (not cluster-aware) connection per node: it sees that node's keys only. */
  const clients = new Map<number, Redis>();
  const json = { accept: 'application/json', 'content-type': 'application/json' };
  let dir: string;
  let ports: number[];
  let app: TestApp | undefined;

  /** A cluster node; started again on the same port, it rejoins with its slots (kept in its nodes-<port>.conf). */
  const startNode = (port: number) => {
    const node = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    const cluster = ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', '2000'];
    const child = spawn('redis-server', [...node, ...cluster], { stdio: 'ignore' });
    processes.push(child);
    return child;
  };
  const exited = (p: ChildProcess) => p.exitCode !== null || p.signalCode !== null;
  const kill = (p: ChildProcess) => new Promise((done) => (exited(p) ? done(null) : (p.once('exit', done), p.kill('SIGKILL'))));
  const client = (port: number) => {
    if (!clients.has(port)) clients.set(port, new Redis({ host: '127.0.0.1', port, lazyConnect: false, maxRetriesPerRequest: 3 }));
    return clients.get(port)!;
  };
  /** The slot of `key`, and the port of the master that serves it, as the cluster itself says. */
  const placement = async (key: string) => {
    const seed = client(ports[0]);
    const slot = await seed.cluster('KEYSLOT', key);
    const [, , [, port]] = (await seed.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to)!;
    return { slot, port };
  };
  /** The clinic's keys matching `pattern`, read on the master that serves the clinic's hash tag. */
  const keysOf = async (tenant: Tenant, pattern: string) => {
    const { port } = await placement(`{${tenant.id}}`);
    return client(port).keys(`clinic:{${tenant.id}}:${pattern}`);
  };

  beforeAll(async () => {
    if (!machineHasRedis) return;
    dir = mkdtempSync(join(tmpdir(), 'clinic-cluster-'));
    ports = [await freePort(), await freePort(), await freePort()];
    for (const port of ports) startNode(port);
    for (const port of ports) {
      const c = client(port);
      await eventually(async () => expect(await c.ping()).toBe('PONG'), 10_000);
    }
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) {
      const c = client(port);
      await eventually(async () => expect(await c.cluster('INFO')).toContain('cluster_state:ok'), 15_000);
    }
    app = await startTestApp({ env: { REDIS_CLUSTER_NODES: addresses.join(','), SIGN_IN_RATE_LIMIT: '5' } });
  }, 40_000);

  afterAll(async () => {
    await app?.close();
    for (const c of clients.values()) c.disconnect();
    await Promise.all(processes.map(kill));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses REDIS_CLUSTER_NODES together with REDIS_URL or REDIS_SENTINELS, and a malformed node list', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toThrow(/set REDIS_URL or REDIS_CLUSTER_NODES, not both/);
    expect(() => loadConfig({ REDIS_SENTINELS: '127.0.0.1:26379', REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toThrow(/set REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both/);
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_SENTINELS: '127.0.0.1:26379', REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toThrow(
      /set REDIS_URL or REDIS_SENTINELS or REDIS_CLUSTER_NODES, not all three/,
    );
    for (const bad of ['node-without-port', '127.0.0.1:7000,', '127.0.0.1:7000;127.0.0.1:7001', 'redis://127.0.0.1:7000']) {
      expect(() => loadConfig({ REDIS_CLUSTER_NODES: bad })).toThrow(/REDIS_CLUSTER_NODES must list host:port pairs/);
    }
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.7:6379,r2.example.com:6380', REDIS_PASSWORD: 'secret' }).redisCluster).toEqual({
      nodes: [
        { host: '10.0.0.7', port: 6379 },
        { host: 'r2.example.com', port: 6380 },
      ],
      password: 'secret',
    });
  });

  it("keeps each clinic's sessions in the cluster, in the slot of the clinic's own hash tag", async () => {
    if (!machineHasRedis) return;
    const [a, b] = [await createClinic(app!.dataSource, { slug: uniqueSlug('cluster-a') }), await createClinic(app!.dataSource, { slug: uniqueSlug('cluster-b') })];
    for (const tenant of [a, b]) {
      const host = `${tenant.slug}.localhost`;
      const user = await createUser(app!.dataSource, tenant, { role: 'doctor' });
      const token = await apiToken(app!.url, host, user);
      expect((await apiCall(app!.url, host, token, 'GET', '/api/v1/me')).status).toBe(200);

      const session = `clinic:{${tenant.id}}:session:${jtiOf(token)}`;
      const index = `clinic:{${tenant.id}}:user-sessions:${user.id}`;
      const clinicSlot = await placement(`{${tenant.id}}`);
      expect(await placement(session)).toEqual(clinicSlot);
      expect(await placement(index)).toEqual(clinicSlot);
      expect(await client(clinicSlot.port).exists(session, index)).toBe(2);
      expect((await keysOf(tenant, '*')).sort()).toEqual([session, index].sort());
    }
    // the app writes to the cluster, not to the machine's own Redis
    const own = new Redis(process.env.REDIS_URL!);
    try {
      expect(await own.keys(`clinic:{${a.id}}:*`)).toEqual([]);
    } finally {
      own.disconnect();
    }
    const ready = await send(app!.url, { method: 'GET', path: '/readyz', host: 'localhost' });
    expect(ready.status).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', cache: { store: 'redis', status: 'ok' } });
  });

  it("ends all of a user's sessions at once when the owner deactivates them (one script over the clinic's slot)", async () => {
    if (!machineHasRedis) return;
    const clinic = await createClinic(app!.dataSource, { slug: uniqueSlug('cluster-end') });
    const host = `${clinic.slug}.localhost`;
    const owner = await createUser(app!.dataSource, clinic, { role: 'admin' });
    const doctor = await createUser(app!.dataSource, clinic, { role: 'doctor' });
    const ownerToken = await apiToken(app!.url, host, owner);
    const tokens = [await apiToken(app!.url, host, doctor), await apiToken(app!.url, host, doctor)];
    expect(await keysOf(clinic, `session:*`)).toHaveLength(3);

    const off = await apiCall(app!.url, host, ownerToken, 'POST', `/api/v1/staff/${doctor.id}/deactivate`);
    expect(off.status).toBe(200);
    for (const token of tokens) {
      const refused = await apiCall(app!.url, host, token, 'GET', '/api/v1/me');
      expect(refused.status).toBe(401);
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('session_ended');
    }
    // only the owner's session is left, and the doctor's index is gone with the sessions it named
    expect(await keysOf(clinic, 'session:*')).toEqual([`clinic:{${clinic.id}}:session:${jtiOf(ownerToken)}`]);
    expect(await keysOf(clinic, 'user-sessions:*')).toEqual([`clinic:{${clinic.id}}:user-sessions:${owner.id}`]);
    expect((await apiCall(app!.url, host, ownerToken, 'GET', '/api/v1/me')).status).toBe(200);
  });

  it('serves a cached view from the cluster and refreshes it once a change commits', async () => {
    if (!machineHasRedis) return;
    const clinic = await createClinic(app!.dataSource, { slug: uniqueSlug('cluster-cache') });
    const cache = app!.app.get(ClinicCache);
    const asClinic = <T>(work: () => Promise<T>) => app!.app.get(TenantTransaction).run(clinic, work);
    let version = 1;
    const load = async () => ({ version });

    expect(await asClinic(() => cache.rememberVersioned('board', 'day-1', 60, load))).toEqual({ version: 1 });
    version = 2; // nothing said the data changed: the cached view stands
    expect(await asClinic(() => cache.rememberVersioned('board', 'day-1', 60, load))).toEqual({ version: 1 });
    await asClinic(async () => cache.invalidateAfterCommit('board', 'day-1', 60));
    expect(await asClinic(() => cache.rememberVersioned('board', 'day-1', 60, load))).toEqual({ version: 2 });

    // the generation and both generations' values, all in the clinic's slot
    expect((await keysOf(clinic, '*')).sort()).toEqual(
      [`clinic:{${clinic.id}}:board-generation:day-1`, `clinic:{${clinic.id}}:board:day-1:g0`, `clinic:{${clinic.id}}:board:day-1:g1`].sort(),
    );
  });

  it('stops sign-in attempts past the limit, counted in the cluster, per clinic', async () => {
    if (!machineHasRedis) return;
    const [a, b] = [await createClinic(app!.dataSource, { slug: uniqueSlug('cluster-thr') }), await createClinic(app!.dataSource, { slug: uniqueSlug('cluster-thr') })];
    const attempt = (tenant: Tenant) =>
      send(app!.url, { method: 'POST', path: '/api/v1/auth/login', host: `${tenant.slug}.localhost`, headers: json, body: JSON.stringify({ username: 'x-user', password: 'wrong-password' }) });
    for (let i = 0; i < 5; i += 1) expect((await attempt(a)).status).toBe(401);
    const limited = await attempt(a);
    expect(limited.status).toBe(429);
    expect(limited.json<{ error: { code: string } }>().error.code).toBe('too_many_attempts');
    expect((await attempt(b)).status).toBe(401);

    // the storage wraps the tracker in its own braces: both of its keys share the tag `clinic:{<id>`
    const hits = `{clinic:{${a.id}}:throttle:sign-in:127.0.0.1:default}:hits`;
    const tag = await placement(`clinic:{${a.id}`);
    expect(await placement(hits)).toEqual(tag);
    expect(await placement(`{clinic:{${a.id}}:throttle:sign-in:127.0.0.1:default}:blocked`)).toEqual(tag);
    expect(await client(tag.port).get(hits)).toBe('6');
  });

  it('reports a lost master on /readyz, fails requests fast while no node answers, and recovers when the nodes are back', async () => {
    if (!machineHasRedis) return;
    const clinic = await createClinic(app!.dataSource, { slug: uniqueSlug('cluster-down') });
    const host = `${clinic.slug}.localhost`;
    const doctor = await createUser(app!.dataSource, clinic, { role: 'doctor' });
    const token = await apiToken(app!.url, host, doctor);
    const { port } = await placement(`{${clinic.id}}`);
    await kill(processes[ports.indexOf(port)]);

    // the other masters still answer PING: only the cluster's own view says a slot is unserved
    await eventually(async () => {
      const ready = await send(app!.url, { method: 'GET', path: '/readyz', host: 'localhost' });
      expect(ready.status).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'unavailable', database: 'ok', cache: { store: 'redis', status: expect.stringContaining('cluster_state:fail') } });
    }, 10_000);

    // with no node left, a request fails at once instead of waiting in the client's queue
    await Promise.all(processes.map(kill));
    const started = Date.now();
    expect((await apiCall(app!.url, host, token, 'GET', '/api/v1/me')).status).toBeGreaterThanOrEqual(500);
    expect(Date.now() - started).toBeLessThan(5_000);

    // back on their ports with their slots (and without data: nothing is saved), the cluster serves again
    for (const p of ports) startNode(p);
    await eventually(async () => expect((await send(app!.url, { method: 'GET', path: '/readyz', host: 'localhost' })).status).toBe(200), 20_000);
    let fresh = '';
    await eventually(async () => void (fresh = await apiToken(app!.url, host, doctor)), 5_000);
    expect((await apiCall(app!.url, host, fresh, 'GET', '/api/v1/me')).status).toBe(200);
  });
});
