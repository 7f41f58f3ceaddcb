import type { Cluster, Redis } from 'ioredis';
import type { Clock } from '../common/clock';
import type { UserRole } from '../users/user.entity';

/** What the server remembers of a signed-in session; the token only names it. */
export interface SessionRecord {
  readonly userId: string;
  readonly role: UserRole;
  readonly fullName: string;
  readonly username: string;
}

/**
 * The registry of live sessions, keyed `clinic:{<tenantId>}:session:<sessionId>`, with an index of
 * each user's sessions `clinic:{<tenantId>}:user-sessions:<userId>` so that all of them end at once.
 * A session lives while it is used: every read pushes its idle expiry out again.
 */
export interface SessionStore {
  readonly kind: 'redis' | 'memory';
  start(tenantId: string, sessionId: string, record: SessionRecord, idleSeconds: number, maxSeconds: number): Promise<void>;
  /** The live session, its idle expiry renewed; null when it ended or idled out. */
  touch(tenantId: string, sessionId: string, idleSeconds: number): Promise<SessionRecord | null>;
  end(tenantId: string, sessionId: string, userId: string): Promise<void>;
  /** Ends every session of the user; returns how many there were. */
  endAllOf(tenantId: string, userId: string): Promise<number>;
}

export const SESSION_STORE = Symbol('SESSION_STORE');

// `{<tenantId>}` is a Redis Cluster hash tag: a session and its user's index hash to one slot, so
// one MULTI (and one script) may touch both
const sessionKey = (tenantId: string, sessionId: string) => `clinic:{${tenantId}}:session:${sessionId}`;
const userIndexKey = (tenantId: string, userId: string) => `clinic:{${tenantId}}:user-sessions:${userId}`;

/** Shared by every instance behind the load balancer. */
export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis';

  constructor(private readonly redis: Redis | Cluster) {
    // one atomic step, so that a session started meanwhile cannot slip out of the index and survive.
    // The sessions' keys are built from ARGV, not declared in KEYS: Redis Cluster allows that only
    // within the declared key's slot, which the clinic's hash tag guarantees.
    if (!('endSessionsOf' in redis)) {
      redis.defineCommand('endSessionsOf', {
        numberOfKeys: 1,
        lua: `local ids = redis.call('SMEMBERS', KEYS[1])
              for _, id in ipairs(ids) do redis.call('DEL', ARGV[1] .. id) end
              redis.call('DEL', KEYS[1])
              return #ids`,
      });
    }
  }

  async start(tenantId: string, sessionId: string, record: SessionRecord, idleSeconds: number, maxSeconds: number): Promise<void> {
    const index = userIndexKey(tenantId, record.userId);
    await this.redis
      .multi()
      .set(sessionKey(tenantId, sessionId), JSON.stringify(record), 'EX', idleSeconds)
      .sadd(index, sessionId)
      .expire(index, maxSeconds)
      .exec();
  }

  async touch(tenantId: string, sessionId: string, idleSeconds: number): Promise<SessionRecord | null> {
    const raw = await this.redis.getex(sessionKey(tenantId, sessionId), 'EX', idleSeconds);
    return raw ? (JSON.parse(raw) as SessionRecord) : null;
  }

  async end(tenantId: string, sessionId: string, userId: string): Promise<void> {
    await this.redis.multi().del(sessionKey(tenantId, sessionId)).srem(userIndexKey(tenantId, userId), sessionId).exec();
  }

  async endAllOf(tenantId: string, userId: string): Promise<number> {
    const command = (this.redis as unknown as { endSessionsOf(key: string, prefix: string): Promise<number> }).endSessionsOf;
    return command.call(this.redis, userIndexKey(tenantId, userId), sessionKey(tenantId, ''));
  }
}

/** One instance only (no Redis configured); time comes from the injected clock. */
export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory';
  private readonly sessions = new Map<string, { record: SessionRecord; expiresAt: number }>();
  private readonly byUser = new Map<string, Set<string>>();
  private starts = 0;

  constructor(private readonly clock: Clock) {}

  /** `maxSeconds` needs no bookkeeping here: the token's own expiry enforces it. */
  async start(tenantId: string, sessionId: string, record: SessionRecord, idleSeconds: number, _maxSeconds?: number): Promise<void> {
    if (++this.starts % 1000 === 0) this.sweep();
    this.sessions.set(sessionKey(tenantId, sessionId), { record, expiresAt: this.now() + idleSeconds * 1000 });
    const index = userIndexKey(tenantId, record.userId);
    const ids = this.byUser.get(index) ?? new Set<string>();
    ids.add(sessionId);
    this.byUser.set(index, ids);
  }

  async touch(tenantId: string, sessionId: string, idleSeconds: number): Promise<SessionRecord | null> {
    const key = sessionKey(tenantId, sessionId);
    const entry = this.sessions.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.sessions.delete(key);
      return null;
    }
    entry.expiresAt = this.now() + idleSeconds * 1000;
    return entry.record;
  }

  async end(tenantId: string, sessionId: string, userId: string): Promise<void> {
    this.sessions.delete(sessionKey(tenantId, sessionId));
    this.byUser.get(userIndexKey(tenantId, userId))?.delete(sessionId);
  }

  async endAllOf(tenantId: string, userId: string): Promise<number> {
    const index = userIndexKey(tenantId, userId);
    const ids = this.byUser.get(index) ?? new Set<string>();
    for (const id of ids) this.sessions.delete(sessionKey(tenantId, id));
    this.byUser.delete(index);
    return ids.size;
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  /** Drops idled-out sessions and their index entries so memory tracks live sessions only. */
  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.sessions) if (entry.expiresAt <= now) this.sessions.delete(key);
    for (const [index, ids] of this.byUser) {
      const tenantPrefix = index.slice(0, index.indexOf(':user-sessions:'));
      for (const id of ids) if (!this.sessions.has(`${tenantPrefix}:session:${id}`)) ids.delete(id);
      if (ids.size === 0) this.byUser.delete(index);
    }
  }
}
