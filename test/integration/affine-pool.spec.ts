import type { PoolClient } from 'pg';
import { AffinePool, preferConnectionFor, STUCK_AFTER_MS } from '../../src/database/affine-pool';
import type { Tenant } from '../../src/platform/tenant';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenantTransaction } from '../../src/tenancy/tenant-transaction.service';
import { createClinic, startTestApp, type TestApp, uniqueSlug } from '../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first key of the form `clinic-<n>` whose home is `lane`. */
function keyFor(pool: AffinePool, lane: number): string {
  for (let n = 0; ; n += 1) {
    const key = `clinic-${n}`;
    if (pool.laneOf(key) === lane) return key;
  }
}

const connectAs = (key: string, pool: AffinePool) => preferConnectionFor(key, () => pool.connect());

async function backendPid(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return rows[0].pid;
}

/** Whether a promise settles within 20 ms (a connection handed out is handed out at once). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await sleep(20);
  return done;
}

describe('the connection pool gives each clinic a home connection', () => {
  const pools: AffinePool[] = [];
  const open = (max: number, extra: { connectionTimeoutMillis?: number } = {}) => {
    const pool = new AffinePool({ connectionString: process.env.DATABASE_URL, max, ...extra });
    pools.push(pool);
    return pool;
  };
  afterAll(() => Promise.all(pools.map((pool) => pool.end().catch(() => undefined))));

  it("runs a clinic's work on the same backend every time its home is free, and other clinics elsewhere", async () => {
    const pool = open(4);
    const a = keyFor(pool, 0);
    const b = keyFor(pool, 2);
    const pids = new Map<string, Set<number>>([
      [a, new Set()],
      [b, new Set()],
    ]);
    for (let i = 0; i < 12; i += 1) {
      for (const key of [a, b]) {
        const client = await connectAs(key, pool);
        pids.get(key)!.add(await backendPid(client));
        client.release();
      }
    }
    expect(pids.get(a)!.size).toBe(1);
    expect(pids.get(b)!.size).toBe(1);
    expect([...pids.get(a)!][0]).not.toBe([...pids.get(b)!][0]);
    expect(pool.spilledCount).toBe(0);
    expect(pool.options.max).toBe(4);
  });

  it('spreads clinics over every connection', () => {
    const pool = open(10);
    const lanes = new Set(Array.from({ length: 200 }, (_, n) => pool.laneOf(`c${n.toString(16).padStart(12, '0')}_clinic`)));
    expect(lanes.size).toBe(10);
  });

  it("takes another free connection at once when the clinic's home is busy", async () => {
    const pool = open(3);
    const a = keyFor(pool, 1);
    const home = await connectAs(a, pool);
    const homePid = await backendPid(home);
    const other = await connectAs(a, pool);
    expect(await backendPid(other)).not.toBe(homePid);
    expect(pool.spilledCount).toBe(1);
    other.release();
    home.release();
  });

  it('when every connection is busy, a freed one serves the work that calls it home before older work from elsewhere', async () => {
    const pool = open(2);
    const a = keyFor(pool, 0);
    const b = keyFor(pool, 1);
    const heldA = await connectAs(a, pool);
    const heldB = await connectAs(b, pool);
    const pidA = await backendPid(heldA);
    const pidB = await backendPid(heldB);
    const forB = connectAs(b, pool); // queued first
    const forA = connectAs(a, pool);
    expect(pool.waitingCount).toBe(2);

    heldA.release();
    const gotA = await forA;
    expect(await backendPid(gotA)).toBe(pidA);
    expect(await settled(forB)).toBe(false);

    heldB.release();
    const gotB = await forB;
    expect(await backendPid(gotB)).toBe(pidB);
    expect(pool.spilledCount).toBe(0);
    gotA.release();
    gotB.release();
  });

  it('lets a freed connection go to queued work whose home is stuck in a long transaction, before older work', async () => {
    const pool = open(3);
    const [a, b, c] = [keyFor(pool, 0), keyFor(pool, 1), keyFor(pool, 2)];
    const longB = await connectAs(b, pool); // a long report on b's home
    const heldA = await connectAs(a, pool);
    await sleep(STUCK_AFTER_MS + 50);
    const heldC = await connectAs(c, pool); // c's home is busy, but only just
    const forC = connectAs(c, pool); // queued first
    const forB = connectAs(b, pool);
    const pidA = await backendPid(heldA);

    heldA.release();
    const gotB = await forB;
    expect(await backendPid(gotB)).toBe(pidA);
    expect(await settled(forC)).toBe(false);
    expect(pool.spilledCount).toBe(1);

    heldC.release();
    (await forC).release();
    gotB.release();
    longB.release();
  });

  it('serves queued work with no clinic in its turn, on whichever connection frees', async () => {
    const pool = open(2);
    const b = keyFor(pool, 1);
    const held = [await connectAs(keyFor(pool, 0), pool), await connectAs(b, pool)];
    const anyone = pool.connect(); // queued first: platform work, no clinic
    const forB = connectAs(b, pool);
    const pid = await backendPid(held[1]);
    held[1].release();
    const got = await anyone;
    expect(await backendPid(got)).toBe(pid);
    expect(await settled(forB)).toBe(false);
    got.release();
    const gotB = await forB;
    expect(await backendPid(gotB)).toBe(pid);
    gotB.release();
    held[0].release();
  });

  it('gives up on a connection after connectionTimeoutMillis, and keeps working', async () => {
    const pool = open(1, { connectionTimeoutMillis: 150 });
    const held = await pool.connect();
    await expect(pool.connect()).rejects.toThrow('timeout exceeded when trying to connect');
    expect(pool.waitingCount).toBe(0);
    held.release();
    const again = await pool.connect();
    expect(await backendPid(again)).toBeGreaterThan(0);
    again.release();
    expect(pool.totalCount).toBe(1);
  });

  it('refuses queued and new work once ending, and ends when the last connection comes back', async () => {
    const pool = open(1);
    const held = await pool.connect();
    const queued = pool.connect();
    const ending = pool.end();
    await expect(queued).rejects.toThrow('Cannot use a pool after calling end on the pool');
    await expect(pool.connect()).rejects.toThrow('Cannot use a pool after calling end on the pool');
    held.release();
    await ending;
    expect(pool.totalCount).toBe(0);
  });
});

describe("a clinic's requests and its home connection", () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it("runs each clinic's transactions on its home backend, and a clinic sharing that backend still sees only its own schema and role", async () => {
    t = await startTestApp({ env: { DB_POOL_MAX: '4' } });
    const clinics: Tenant[] = [];
    while (clinics.length < 3) clinics.push(await createClinic(t.dataSource, { slug: uniqueSlug('home') }));
    // a fourth clinic whose home is the first one's
    let neighbour: Tenant;
    do neighbour = await createClinic(t.dataSource, { slug: uniqueSlug('home') });
    while (t.pool.laneOf(neighbour.schemaName) !== t.pool.laneOf(clinics[0].schemaName));

    const transaction = t.app.get(TenantTransaction);
    const context = t.app.get(TenantContext);
    const ask = (clinic: Tenant) =>
      transaction.run(clinic, async () => {
        const [row] = (await context.manager.query('SELECT pg_backend_pid() AS pid, current_schema() AS schema, current_user AS role')) as {
          pid: number;
          schema: string;
          role: string;
        }[];
        return row;
      });
    const seen = new Map<string, Set<number>>();
    for (let round = 0; round < 5; round += 1) {
      for (const clinic of [...clinics, neighbour]) {
        const row = await ask(clinic);
        expect(row).toEqual({ pid: expect.any(Number), schema: clinic.schemaName, role: clinic.roleName });
        seen.set(clinic.slug, (seen.get(clinic.slug) ?? new Set()).add(row.pid));
      }
    }
    for (const clinic of [...clinics, neighbour]) expect(seen.get(clinic.slug)!.size).toBe(1);
    const pidOf = (clinic: Tenant) => [...seen.get(clinic.slug)!][0];
    expect(pidOf(neighbour)).toBe(pidOf(clinics[0]));
    const homes = new Set(clinics.map((clinic) => t.pool.laneOf(clinic.schemaName)));
    expect(new Set(clinics.map(pidOf)).size).toBe(homes.size);
  });
});
