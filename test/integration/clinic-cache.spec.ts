import { INestApplicationContext } from '@nestjs/common';
import { type CacheStore, MemoryCacheStore, RedisCacheStore } from '../../src/common/cache/cache-store';
import { ClinicCache } from '../../src/common/cache/clinic-cache.service';
import type { Tenant } from '../../src/platform/tenant';
import { ClsService } from 'nestjs-cls';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenantTransaction } from '../../src/tenancy/tenant-transaction.service';
import { createClinic, startTestApp, type TestApp, uniqueSlug } from '../support/test-app';

// Redis is exercised for real when REDIS_URL points at one (CI and these machines: 127.0.0.1:6379).
const stores: [string, () => CacheStore][] = [['memory', () => new MemoryCacheStore()]];
if (process.env.REDIS_URL) stores.push(['redis', () => new RedisCacheStore(process.env.REDIS_URL!)]);

describe.each(stores)('clinic cache on %s', (_kind, makeStore) => {
  let t: TestApp;
  let store: CacheStore;
  let cache: ClinicCache;
  let a: Tenant;
  let b: Tenant;
  let asClinic: <T>(tenant: Tenant, work: () => Promise<T>) => Promise<T>;

  beforeAll(async () => {
    t = await startTestApp();
    store = makeStore();
    const ctx: INestApplicationContext = t.app;
    cache = new ClinicCache(store, ctx.get(TenantContext), ctx.get(ClsService));
    asClinic = (tenant, work) => ctx.get(TenantTransaction).run(tenant, work);
    a = await createClinic(t.dataSource, { slug: uniqueSlug('cache') });
    b = await createClinic(t.dataSource, { slug: uniqueSlug('cache') });
  });
  afterAll(async () => {
    await store.close();
    await t.close();
  });

  it("keys every entry by the current clinic, so another clinic cannot read or evict it", async () => {
    await asClinic(a, () => cache.set('today', '2026-11-23', { board: 'A' }, 60));
    expect(await asClinic(a, () => cache.get('today', '2026-11-23'))).toEqual({ board: 'A' });
    expect(await asClinic(b, () => cache.get('today', '2026-11-23'))).toBeUndefined();

    await asClinic(b, () => cache.delete('today', '2026-11-23'));
    expect(await asClinic(a, () => cache.get('today', '2026-11-23'))).toEqual({ board: 'A' });
    expect(await store.get(`clinic:{${a.id}}:today:2026-11-23`)).toBe(JSON.stringify({ board: 'A' }));
  });

  it('remembers a loaded value per clinic', async () => {
    let loads = 0;
    const load = async () => ({ n: ++loads });
    expect(await asClinic(a, () => cache.remember('dash', 'month', 60, load))).toEqual({ n: 1 });
    expect(await asClinic(a, () => cache.remember('dash', 'month', 60, load))).toEqual({ n: 1 });
    expect(await asClinic(b, () => cache.remember('dash', 'month', 60, load))).toEqual({ n: 2 });
  });

  it('makes a versioned view stale only once the change commits, and never keeps a view read before it', async () => {
    let version = 1;
    const load = async () => ({ version });
    expect(await asClinic(a, () => cache.rememberVersioned('board', 'day-1', 60, load))).toEqual({ version: 1 });
    version = 2; // the data changed, but nothing said so: the cached view stands
    expect(await asClinic(a, () => cache.rememberVersioned('board', 'day-1', 60, load))).toEqual({ version: 1 });

    // a change: inside its own transaction the view is read fresh (the change is not committed yet) …
    await asClinic(a, async () => {
      cache.invalidateAfterCommit('board', 'day-1', 60);
      expect(await cache.rememberVersioned('board', 'day-1', 60, load)).toEqual({ version: 2 });
      // … while another request, before the COMMIT, still sees (and may cache) the old view
      expect(await asClinic(b, () => cache.rememberVersioned('board', 'day-1', 60, async () => ({ other: true })))).toEqual({ other: true });
    });
    // after the COMMIT nobody gets the old view again, in this clinic; the other clinic's view is its own
    expect(await asClinic(a, () => cache.rememberVersioned('board', 'day-1', 60, load))).toEqual({ version: 2 });
    expect(await asClinic(b, () => cache.rememberVersioned('board', 'day-1', 60, load))).toEqual({ other: true });
  });

  it('does not move the generation on when the change rolls back', async () => {
    let version = 1;
    const load = async () => ({ version });
    expect(await asClinic(a, () => cache.rememberVersioned('board', 'day-2', 60, load))).toEqual({ version: 1 });
    version = 2;
    await expect(
      asClinic(a, async () => {
        cache.invalidateAfterCommit('board', 'day-2', 60);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await asClinic(a, () => cache.rememberVersioned('board', 'day-2', 60, load))).toEqual({ version: 1 });
  });

  it('refuses to touch the cache outside a clinic context', async () => {
    await expect(cache.get('today', 'x')).rejects.toThrow(/outside a clinic request/);
  });
});

describe('memory cache store', () => {
  it('expires entries on its clock', async () => {
    let now = 1_000;
    const store = new MemoryCacheStore(() => now);
    await store.set('k', 'v', 10);
    now += 9_999;
    expect(await store.get('k')).toBe('v');
    now += 1;
    expect(await store.get('k')).toBeNull();
  });
});
