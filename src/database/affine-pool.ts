import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import * as pg from 'pg';

/**
 * A pg-compatible pool that gives each clinic a home connection.
 *
 * Why: a Postgres backend that meets a clinic's schema for the first time builds its catalog caches
 * for that schema's tables and indexes (about 2–4 ms of database CPU for the front page's one query);
 * afterwards it costs nothing. With one shared pool, requests for a clinic land on any connection, so
 * at 1,000 clinics and 10 connections each clinic is met ten times over, and every backend ends up
 * caching every clinic's catalog. Here each connection is a lane, a clinic's work prefers the lane its
 * schema name hashes to, and each backend warms up for its own share of the clinics: as many times
 * fewer cold starts, and as much less catalog memory per backend, as there are connections.
 *
 * Affinity never costs capacity: when the home lane is busy and another lane is free, the work takes
 * that one at once (an idle open connection before a new one); when every lane is busy the work
 * queues, and a freed lane serves the oldest work that calls it home; work whose home is stuck in a
 * long transaction (STUCK_AFTER_MS) takes any free lane, so one long report cannot hold up the
 * clinics behind it.
 *
 * Work outside `preferConnectionFor` (platform queries, the CLI, tests) takes any free lane. Each lane
 * is a plain pg.Pool, so maxUses, maxLifetimeSeconds, idleTimeoutMillis and connection errors behave
 * as configured; connectionTimeoutMillis also bounds the wait in the queue. TypeORM uses `connect`,
 * `end` and the `error` event (its PostgresDriver's createPool); the metrics and the tests read the
 * counts.
 */
export class AffinePool extends EventEmitter {
  /** One connection each. */
  private readonly lanes: pg.Pool[];
  private readonly queue: Waiter[] = [];
  /** When each lane last handed out its connection (Date.now()). */
  private readonly lastAcquired: number[];
  /** As given, with `max` filled in (as pg.Pool's). */
  readonly options: pg.PoolConfig & { max: number };
  private ending = false;
  private spills = 0;

  constructor(options: pg.PoolConfig = {}) {
    super();
    const max = Math.max(1, options.max ?? 10);
    this.options = { ...options, max };
    this.lastAcquired = new Array<number>(max).fill(0);
    this.lanes = Array.from({ length: max }, (_, index) => {
      const lane = new pg.Pool({ ...options, max: 1 });
      lane.on('error', (error, client) => this.emit('error', error, client));
      // a lane frees up when a client comes back or goes away; its own bookkeeping finishes first
      lane.on('release', () => queueMicrotask(() => this.serveQueue()));
      lane.on('remove', () => this.serveQueue());
      lane.on('acquire', () => (this.lastAcquired[index] = Date.now()));
      return lane;
    });
  }

  get totalCount(): number {
    return this.sum((lane) => lane.totalCount);
  }

  get idleCount(): number {
    return this.sum((lane) => lane.idleCount);
  }

  /** Work waiting for a connection: in this pool's queue and in the lanes'. */
  get waitingCount(): number {
    return this.queue.length + this.sum((lane) => lane.waitingCount);
  }

  /** How often work for a clinic ran on another lane than its home (its home was busy). */
  get spilledCount(): number {
    return this.spills;
  }

  /** The lane (0-based) a key calls home. */
  laneOf(key: string): number {
    // FNV-1a: any fixed, well-spread hash of the schema name will do; no security rides on it
    let hash = 0x811c9dc5;
    for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    return (hash >>> 0) % this.lanes.length;
  }

  connect(): Promise<pg.PoolClient>;
  connect(callback: ConnectCallback): void;
  connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    if (callback) {
      this.acquire(callback);
      return;
    }
    return new Promise((resolve, reject) => this.acquire((error, client) => (error ? reject(error) : resolve(client!))));
  }

  end(): Promise<void>;
  end(callback: (error?: Error) => void): void;
  end(callback?: (error?: Error) => void): Promise<void> | void {
    this.ending = true;
    for (const waiter of this.queue.splice(0)) waiter.callback(new Error('Cannot use a pool after calling end on the pool'));
    const ended = Promise.all(this.lanes.map((lane) => lane.end())).then(() => undefined);
    if (!callback) return ended;
    ended.then(() => callback(), callback);
  }

  private acquire(callback: ConnectCallback): void {
    if (this.ending) {
      callback(new Error('Cannot use a pool after calling end on the pool'));
      return;
    }
    const key = AFFINITY.getStore();
    const waiter: Waiter = { home: key === undefined ? undefined : this.laneOf(key), callback };
    this.queue.push(waiter);
    this.serveQueue();
    const timeoutMs = this.options.connectionTimeoutMillis ?? 0;
    if (timeoutMs > 0 && this.queue.includes(waiter)) {
      // it has to wait: no longer than a new connection may take
      const timer = setTimeout(() => {
        const at = this.queue.indexOf(waiter);
        if (at < 0) return;
        this.queue.splice(at, 1);
        callback(new Error('timeout exceeded when trying to connect'));
      }, timeoutMs);
      timer.unref();
      waiter.callback = (error, client, release) => {
        clearTimeout(timer);
        callback(error, client, release);
      };
    }
  }

  private serveQueue(): void {
    while (this.queue.length > 0 && !this.ending) {
      const next = this.nextToServe();
      if (!next) return;
      const [waiter] = this.queue.splice(next.index, 1);
      this.hand(next.lane, waiter.home, waiter.callback);
    }
  }

  /**
   * What to serve next, and where. First the oldest work that has no home, or whose home lane is free
   * (its connection idle, or not open yet: it is opened). Else, if any lane is free, the oldest work
   * whose home is stuck in a long transaction, or else the oldest of all, goes to an idle connection
   * elsewhere, or else opens another lane's: capacity is never left idle while work waits.
   */
  private nextToServe(): { index: number; lane: number } | undefined {
    const elsewhere = (from: number) => this.firstLane(from, (l) => this.idle(l)) ?? this.firstLane(from, (l) => this.openable(l));
    const anyLane = elsewhere(0);
    if (anyLane === undefined) return undefined;
    const first = this.queue.findIndex((waiter) => waiter.home === undefined || this.free(waiter.home));
    if (first >= 0) return { index: first, lane: this.queue[first].home ?? anyLane };
    const stuck = this.queue.findIndex((waiter) => this.stuck(waiter.home!));
    const index = Math.max(stuck, 0);
    return { index, lane: elsewhere(this.queue[index].home!)! };
  }

  /** Busy with one transaction for more than STUCK_AFTER_MS. */
  private stuck(lane: number): boolean {
    return !this.free(lane) && Date.now() - this.lastAcquired[lane] > STUCK_AFTER_MS;
  }

  private hand(lane: number, home: number | undefined, callback: ConnectCallback): void {
    if (home !== undefined && lane !== home) this.spills += 1;
    this.lanes[lane].connect((error, client, release) => {
      callback(error, client, release);
      // a connection that could not be opened frees its place without a release or remove event
      if (error) this.serveQueue();
    });
  }

  /** Its connection is open and nobody has it or is about to take it. */
  private idle(lane: number): boolean {
    const pool = this.lanes[lane];
    return pool.idleCount > pool.waitingCount;
  }

  private free(lane: number): boolean {
    return this.idle(lane) || this.openable(lane);
  }

  /** Its connection is not open (and not being opened). */
  private openable(lane: number): boolean {
    return this.lanes[lane].totalCount === 0;
  }

  /** The first lane from `start` on (round the ring) that passes `test`: spilled work spreads out instead of piling onto lane 0. */
  private firstLane(start: number, test: (lane: number) => boolean): number | undefined {
    for (let step = 1; step <= this.lanes.length; step += 1) {
      const lane = (start + step) % this.lanes.length;
      if (test(lane)) return lane;
    }
    return undefined;
  }

  private sum(count: (lane: pg.Pool) => number): number {
    return this.lanes.reduce((total, lane) => total + count(lane), 0);
  }
}

type ConnectCallback = (error: Error | undefined, client?: pg.PoolClient, release?: (error?: Error | boolean) => void) => void;

interface Waiter {
  readonly home: number | undefined;
  callback: ConnectCallback;
}

/**
 * A lane whose connection was taken longer ago than this is stuck in long work (a big report, an
 * export): the clinics that call it home take the next free lane instead of waiting for it. Far
 * longer than a page's transaction, even with the app saturated (tens of milliseconds).
 */
export const STUCK_AFTER_MS = 250;

const AFFINITY = new AsyncLocalStorage<string>();

/** Runs `work` so that the connections it takes prefer `key`'s home lane (see AffinePool). */
export function preferConnectionFor<T>(key: string, work: () => T): T {
  return AFFINITY.run(key, work);
}

/** The `pg` module as TypeORM loads it (DataSourceOptions.driver), with AffinePool as its Pool. */
export const affinePg = { ...pg, Pool: AffinePool };
