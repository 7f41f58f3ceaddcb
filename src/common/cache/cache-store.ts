import Redis, { Cluster } from 'ioredis';
import type { AppConfig, RedisClusterConfig, RedisSentinelConfig } from '../../config/app-config';

/** The shared key-value store: Redis when REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES is set, this process's memory otherwise. */
export interface CacheStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Adds one to the counter at `key` (0 when absent) and returns the new value; the counter lives `ttlSeconds`. */
  incr(key: string, ttlSeconds: number): Promise<number>;
  /**
   * In one round trip: the counter at `generationKey` ('0' when absent) and the value stored at
   * `valuePrefix + generation + valueSuffix` (a versioned view: see ClinicCache.rememberVersioned).
   */
  getVersioned(generationKey: string, valuePrefix: string, valueSuffix: string): Promise<{ generation: string; value: string | null }>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const CACHE_STORE = Symbol('CACHE_STORE');

export class MemoryCacheStore implements CacheStore {
  readonly kind = 'memory';
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async del(...keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  async incr(key: string, ttlSeconds: number): Promise<number> {
    const next = Number((await this.get(key)) ?? '0') + 1;
    await this.set(key, String(next), ttlSeconds);
    return next;
  }

  async getVersioned(generationKey: string, valuePrefix: string, valueSuffix: string): Promise<{ generation: string; value: string | null }> {
    const generation = (await this.get(generationKey)) ?? '0';
    return { generation, value: await this.get(`${valuePrefix}${generation}${valueSuffix}`) };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }
}

// The value's key is built from ARGV, not declared in KEYS: Redis Cluster runs such a script only
// when that key lives in the declared key's slot. Both come from TenantContext.key, whose clinic
// hash tag (`clinic:{<tenantId>}:…`) puts them in one slot.
const GET_VERSIONED = `local g = redis.call('GET', KEYS[1]) or '0'
return {g, redis.call('GET', ARGV[1] .. g .. ARGV[2])}`;

// fail fast instead of queueing commands forever while Redis is down
const FAIL_FAST = { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2000 };

export class RedisCacheStore implements CacheStore {
  readonly kind = 'redis';
  /** The one client, shared with the session registry and the sign-in throttler. */
  readonly redis: Redis | Cluster;

  constructor(target: RedisTarget) {
    this.redis = connect(target);
    this.redis.on('error', () => undefined); // surfaced by the failing command and by /readyz
    // sent once, then called by its SHA (EVALSHA)
    this.redis.defineCommand('getVersioned', { numberOfKeys: 1, lua: GET_VERSIONED });
  }

  get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }

  async incr(key: string, ttlSeconds: number): Promise<number> {
    const [[, value]] = (await this.redis.multi().incr(key).expire(key, Math.max(1, Math.ceil(ttlSeconds))).exec()) as [[Error | null, number]];
    return value;
  }

  async getVersioned(generationKey: string, valuePrefix: string, valueSuffix: string): Promise<{ generation: string; value: string | null }> {
    // the value's key depends on the generation: read both inside Redis instead of two round trips
    const command = (this.redis as unknown as { getVersioned(key: string, prefix: string, suffix: string): Promise<[string, string | null]> }).getVersioned;
    const [generation, value] = await command.call(this.redis, generationKey, valuePrefix, valueSuffix);
    return { generation, value };
  }

  async ping(): Promise<void> {
    if (this.redis instanceof Cluster) await pingCluster(this.redis);
    else await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
    // also ends the connections a Sentinel setup keeps to the sentinels (QUIT alone leaves them reconnecting)
    this.redis.disconnect();
  }
}

/** One Redis at a URL, the master a group of sentinels names, or a Redis Cluster. */
export type RedisTarget = string | RedisSentinelConfig | RedisClusterConfig;

function connect(target: RedisTarget): Redis | Cluster {
  if (typeof target === 'string') return new Redis(target, FAIL_FAST);
  if ('nodes' in target) {
    return new Cluster(target.nodes, {
      // The cluster's own queue has no retry limit: while no node answers it would hold commands
      // until one does. Without it they fail at once, and the client still reconnects by itself.
      // A command to a lost node is retried (`maxRedirections` times, `retryDelayOnFailover` apart:
      // a second or so) in case the slot moves to a promoted replica, then fails.
      enableOfflineQueue: false,
      // a node's connection is never retried (the client finds the slot's owner again through MOVED
      // and a slot refresh), so maxRetriesPerRequest would count nothing here
      redisOptions: { password: target.password, connectTimeout: FAIL_FAST.connectTimeout },
    });
  }
  return new Redis({
    ...FAIL_FAST,
    sentinels: target.sentinels,
    name: target.master,
    password: target.password,
    // follow a failover at once (the sentinels announce +switch-master), and leave a
    // demoted master that answers READONLY for the one the sentinels now name
    failoverDetector: true,
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  });
}

/**
 * A cluster serves the app when it serves every slot: a clinic's keys live in one slot, on one
 * master. PING would reach a single node, picked at random, and say nothing of the others.
 */
async function pingCluster(cluster: Cluster): Promise<void> {
  const info = await cluster.cluster('INFO');
  const state = /cluster_state:(\w+)/.exec(info)?.[1];
  if (state !== 'ok') throw new Error(`Redis Cluster is not serving every slot (cluster_state:${state ?? 'unknown'})`);
}

export function createCacheStore(config: Pick<AppConfig, 'redisUrl' | 'redisSentinel' | 'redisCluster'>): CacheStore {
  const target = config.redisUrl ?? config.redisSentinel ?? config.redisCluster;
  return target ? new RedisCacheStore(target) : new MemoryCacheStore();
}
