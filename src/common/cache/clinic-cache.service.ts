import { Inject, Injectable, Optional } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { MetricsService } from '../../metrics/metrics.service';
import { TenantContext } from '../../tenancy/tenant-context';
import { CACHE_STORE, type CacheStore } from './cache-store';

const CHANGED_SCOPES = 'clinicCache.changedScopes';

/**
 * The cache as clinic code sees it: every key is prefixed with the current clinic's id
 * (`clinic:{<tenantId>}:<kind>:<…>`) from the request's tenant context, so one clinic can never
 * name, read or evict another clinic's entry.
 */
@Injectable()
export class ClinicCache {
  constructor(
    @Inject(CACHE_STORE) private readonly store: CacheStore,
    private readonly context: TenantContext,
    private readonly cls: ClsService,
    // hits and misses per kind of view (optional: a cache built by hand, outside the app, counts nothing)
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async get<T>(kind: string, id: string): Promise<T | undefined> {
    const raw = await this.store.get(this.context.key(kind, id));
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async set<T>(kind: string, id: string, value: T, ttlSeconds: number): Promise<void> {
    await this.store.set(this.context.key(kind, id), JSON.stringify(value), ttlSeconds);
  }

  async delete(kind: string, id: string): Promise<void> {
    await this.store.del(this.context.key(kind, id));
  }

  /**
   * A cached view that changes invalidate: the value is stored under the scope's current generation
   * (`clinic:{<tenantId>}:<kind>:<scope>:g<n>`), and `invalidate` moves the generation on after the
   * change commits. A reader that computed the old data while the change was committing can only
   * store it under the old generation, which nobody reads again — so a view is never stale after
   * a change, without locks. `variant` names one of several views of the same scope (the dashboard's
   * filters): they are cached apart and go stale together.
   */
  async rememberVersioned<T>(kind: string, scope: string, ttlSeconds: number, load: () => Promise<T>, variant?: string): Promise<T> {
    // this request changed the scope: its own view must show the change, which is not committed yet
    if (this.changedHere().has(this.generationKey(kind, scope))) return load();
    const suffix = variant ? `:${variant}` : '';
    const { generation, value } = await this.store.getVersioned(this.generationKey(kind, scope), this.context.key(kind, `${scope}:g`), suffix);
    this.metrics?.cacheLookup(kind, value !== null);
    if (value !== null) return JSON.parse(value) as T;
    const loaded = await load();
    await this.set(kind, `${scope}:g${generation}${suffix}`, loaded, ttlSeconds);
    return loaded;
  }

  /** Marks the scope's cached views stale once the current transaction commits. */
  invalidateAfterCommit(kind: string, scope: string, ttlSeconds: number): void {
    const key = this.generationKey(kind, scope);
    const changed = this.changedHere();
    if (changed.has(key)) return;
    changed.add(key);
    this.cls.set(CHANGED_SCOPES, changed);
    // the counter must outlive every value stored under it
    this.context.afterCommit(async () => void (await this.store.incr(key, ttlSeconds * 2)));
  }

  /** Generation keys this request's transaction has changed (and will move on after COMMIT). */
  private changedHere(): Set<string> {
    return (this.cls.isActive() ? this.cls.get<Set<string> | undefined>(CHANGED_SCOPES) : undefined) ?? new Set<string>();
  }

  private generationKey(kind: string, scope: string): string {
    return this.context.key(`${kind}-generation`, scope);
  }

  /** The cached value, or `load()`'s result cached for `ttlSeconds`. */
  async remember<T>(kind: string, id: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    const cached = await this.get<T>(kind, id);
    this.metrics?.cacheLookup(kind, cached !== undefined);
    if (cached !== undefined) return cached;
    const value = await load();
    await this.set(kind, id, value, ttlSeconds);
    return value;
  }
}
