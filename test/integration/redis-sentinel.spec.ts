import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadConfig } from '../../src/config/app-config';
import { freePort } from '../support/free-port';
import { send } from '../support/http';
import { apiCall, apiToken } from '../support/signed-in';
import { createClinic, createUser, eventually, startTestApp, type TestApp, uniqueSlug } from '../support/test-app';

/**
 * The app behind Redis Sentinel: a master, its replica and one sentinel, each a real redis-server
 * process of this machine (run where the machine has Redis, i.e. REDIS_URL is set, like the other
 * Redis tests). The app finds the master through the sentinel and follows it through a failover.
 */
describe('Redis through Sentinel (REDIS_SENTINELS)', () => {
  const machineHasRedis = Boolean(process.env.REDIS_URL);
  const processes: ChildProcess[] = [];
  const clients: Redis[] = [];
  let dir: string;
  let ports: { master: number; replica: number; sentinel: number };
  let app: TestApp | undefined;

  const redisServer = (args: string[]) => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    processes.push(child);
    return child;
  };
  const client = (port: number) => {
    const c = new Redis({ host: '127.0.0.1', port, lazyConnect: false, maxRetriesPerRequest: 3 });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    if (!machineHasRedis) return;
    dir = mkdtempSync(join(tmpdir(), 'clinic-sentinel-'));
    ports = { master: await freePort(), replica: await freePort(), sentinel: await freePort() };
    const common = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    redisServer(['--port', String(ports.master), ...common]);
    redisServer(['--port', String(ports.replica), ...common, '--replicaof', '127.0.0.1', String(ports.master)]);
    const replica = client(ports.replica);
    await eventually(async () => expect(await replica.info('replication')).toContain('master_link_status:up'), 10_000);
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${ports.sentinel}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor clinicmaster 127.0.0.1 ${ports.master} 1`,
        'sentinel down-after-milliseconds clinicmaster 1000',
        'sentinel failover-timeout clinicmaster 5000',
        '',
      ].join('\n'),
    );
    redisServer([conf, '--sentinel']);
    const sentinel = client(ports.sentinel);
    await eventually(async () => expect(await sentinel.call('SENTINEL', 'replicas', 'clinicmaster')).toHaveLength(1), 15_000);
  }, 40_000);

  afterAll(async () => {
    await app?.close();
    for (const c of clients) c.disconnect();
    await Promise.all(processes.map((p) => new Promise((done) => (p.exitCode !== null ? done(null) : (p.once('exit', done), p.kill('SIGKILL'))))));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses REDIS_URL and REDIS_SENTINELS together, and a malformed sentinel list', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_SENTINELS: '127.0.0.1:26379' })).toThrow(/set REDIS_URL or REDIS_SENTINELS, not both/);
    expect(() => loadConfig({ REDIS_SENTINELS: 'sentinel-without-port' })).toThrow(/REDIS_SENTINELS must list host:port pairs/);
    expect(loadConfig({ REDIS_SENTINELS: '10.0.0.5:26379,s2.example.com:26380' }).redisSentinel).toEqual({
      sentinels: [
        { host: '10.0.0.5', port: 26379 },
        { host: 's2.example.com', port: 26380 },
      ],
      master: 'mymaster',
      password: undefined,
    });
  });

  it('keeps sessions in the master the sentinel names, and follows it through a failover', async () => {
    if (!machineHasRedis) return;
    app = await startTestApp({ env: { REDIS_SENTINELS: `127.0.0.1:${ports.sentinel}`, REDIS_SENTINEL_MASTER: 'clinicmaster' } });
    const slug = uniqueSlug('sentinel');
    const tenant = await createClinic(app.dataSource, { slug });
    const host = `${slug}.localhost`;
    const user = await createUser(app.dataSource, tenant, { role: 'admin' });
    const token = await apiToken(app.url, host, user);
    expect((await apiCall(app.url, host, token, 'GET', '/api/v1/me')).status).toBe(200);
    const ready = await send(app.url, { method: 'GET', path: '/readyz', host: 'localhost' });
    expect(ready.json()).toMatchObject({ status: 'ok', cache: { store: 'redis', status: 'ok' } });

    // the session is on the master the sentinel named, not on the machine's own Redis
    const master = client(ports.master);
    const sessionKeys = await master.keys(`clinic:{${tenant.id}}:session:*`);
    expect(sessionKeys).toHaveLength(1);
    await master.call('WAIT', '1', '2000');

    const sentinel = client(ports.sentinel);
    await sentinel.call('SENTINEL', 'failover', 'clinicmaster');
    await eventually(async () => expect(await sentinel.call('SENTINEL', 'get-master-addr-by-name', 'clinicmaster')).toEqual(['127.0.0.1', String(ports.replica)]), 20_000);
    const promoted = client(ports.replica);
    await eventually(async () => expect(await promoted.info('replication')).toContain('role:master'), 10_000);

    // the session survived on the new master, and new writes (a sign-in) go there, not to the demoted one
    await eventually(async () => expect((await apiCall(app!.url, host, token, 'GET', '/api/v1/me')).status).toBe(200), 15_000);
    await eventually(async () => {
      await apiToken(app!.url, host, user);
      expect(await promoted.keys(`clinic:{${tenant.id}}:session:*`)).toHaveLength(2);
    }, 15_000);
    const afterFailover = await send(app.url, { method: 'GET', path: '/readyz', host: 'localhost' });
    expect(afterFailover.status).toBe(200);
  }, 90_000);
});
