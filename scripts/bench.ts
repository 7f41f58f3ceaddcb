/**
 * `npm run bench [-- --tenants N] [--duration S] [--connections C]`
 *
 * Measures the targets of ARCHITECTURE §5 in one run, on a throwaway database: the time to provision
 * a clinic, requests/s and p99 of the bare route and of a clinic page spread over every clinic (served
 * by the built app in a child process, as in production), the front desk's today board with 1,000
 * appointments served from cache and uncached (a second app process with BOARD_CACHE_SECONDS=0), and
 * `migrate --all` with nothing to do and with one real pending migration. Prints a table and writes
 * bench/results.json (bench/README.md explains both). Exits 0 even when a target is missed — it is a measurement, not a test — and 1 when anything
 * errored.
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { PROJECT_ROOT } from '../src/config/app-config';
import { openDataSource } from '../src/database/data-source';
import { runningServer, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { MigrationSet } from '../src/database/migrations';
import { enterTenant, ident, inTransaction } from '../src/database/sql';
import { ProvisioningService } from '../src/platform/provisioning.service';
import { type MigrateAllSummary, SchemaMigrator } from '../src/platform/schema-migrator';
import { roleNameFor, type Tenant } from '../src/platform/tenant';
import { hashPassword } from '../src/users/passwords';

// ---------------------------------------------------------------------------------------------
// Settings

interface BenchOptions {
  readonly tenants: number;
  /** `--scale`: the scale run (1,000 clinics unless --tenants says otherwise), written to results-scale.json. */
  readonly scale: boolean;
  readonly durationSeconds: number;
  readonly connections: number;
}

const DEFAULT_OPTIONS: BenchOptions = { tenants: 50, scale: false, durationSeconds: 10, connections: 50 };
/** Each load run is preceded by a discarded one: JIT, pool connections and caches warm up there. */
const WARMUP_SECONDS = 2;
/** The clinic count §5's provisioning and migration targets are stated for. */
const TARGET_SCALE = 1000;
const DOCTORS_PER_CLINIC = 3;
const MIGRATE_CONCURRENCY = 4;
const BASE_DOMAIN = 'localhost';
/** Its own port and folder, so a bench never touches the development database under .data/pg. */
const EMBEDDED_DIR = join(PROJECT_ROOT, '.data', 'bench-pg');
const EMBEDDED_PORT = 54339;
const BENCH_DATABASE_PREFIX = 'clinic_bench_';
const APP_ENTRY = join(PROJECT_ROOT, 'dist', 'src', 'main.js');
const APP_START_TIMEOUT_MS = 60_000;
const APP_STOP_TIMEOUT_MS = 20_000;
/** Dropping a database of 1,000 clinics (some 30 tables each) takes Postgres well over 30 s on two cores; 10,000 take minutes. */
const CLEANUP_STEP_TIMEOUT_MS = 900_000;
/** The longest wait, after a warm-up, for the app to finish what the warm-up left in flight. */
const SETTLE_TIMEOUT_MS = 30_000;
/** How long the Postgres server may take to finish its own work after provisioning (serverSettled). */
const SERVER_SETTLE_TIMEOUT_MS = 10 * 60_000;
/** USER_HZ, the unit of /proc/<pid>/stat's CPU times: 100 on every mainstream Linux. */
const CLOCK_TICKS_PER_SECOND = 100;
const resultsFile = (options: BenchOptions) => join(PROJECT_ROOT, 'bench', options.scale ? 'results-scale.json' : 'results.json');

/**
 * The today board (`GET /reception`): one clinic gets a busy day — 20 doctors × 50 appointments of
 * 10 minutes, back to back from 08:00 local time, each with its own patient — and a reception user.
 */
const BOARD_CLINIC = 1;
const BOARD_DOCTORS = 20;
const BOARD_APPOINTMENTS_PER_DOCTOR = 50;
const BOARD_APPOINTMENTS = BOARD_DOCTORS * BOARD_APPOINTMENTS_PER_DOCTOR;
const BOARD_SLOT_MINUTES = 10;
const BOARD_DAY_STARTS = '08:00';
const BOARD_HOURS = { starts: '08:00', ends: '17:00' } as const;
const BOARD_FEE = '200.00';
const BOARD_DOCTOR_USERNAME_PREFIX = 'board-doctor-';
const RECEPTION_USERNAME = 'bench-reception';
const RECEPTION_NAME = 'Bench Reception';
/**
 * At most this many connections load the board (fewer if --connections says so). A board page costs the
 * app tens of milliseconds of CPU, and the app interleaves concurrent requests: with 50 connections the
 * first answers arrive only after several seconds, so a short run counts mostly its own ramp-up and
 * p99 is just the queue (connections ÷ req/s). Requests/s at saturation hardly depend on the count.
 */
const BOARD_MAX_CONNECTIONS = 10;

/**
 * The owner's dashboard (`GET /admin` for this month): one clinic with 100,000 appointments over the
 * twelve months to this one — 20 doctors, 2,000 patients, ~80 % completed (each with an invoice, most
 * paid) — and an owner. Measured uncached (a third app with DASHBOARD_CACHE_SECONDS=0, sequential
 * requests: the latency one owner sees) and cached (under load, like the board).
 */
const DASHBOARD_CLINIC = 2;
const DASHBOARD_DOCTORS = 20;
const DASHBOARD_PATIENTS = 2000;
const DASHBOARD_APPOINTMENTS = 100_000;
const DASHBOARD_COLD_REQUESTS = 30;
const OWNER_USERNAME = 'bench-owner';

const TARGETS = {
  /** The sweep runs every 10 minutes; "room to spare" taken as a fifth of that. */
  jobsSweepSeconds: 120,
  dashboardColdMedianMs: 300,
  dashboardCachedRatio: 0.6,
  ratio: 0.35,
  provisionMedianMs: 150,
  provisionAllSeconds: 180,
  migratePendingSeconds: 15,
  migrateNoopSeconds: 2,
  /** p99 of the clinic page spread over every clinic ÷ over FEW_CLINICS: at 1,000 clinics (1.5 × at 10,000). */
  spreadP99Ratio: 1.2,
  spreadP99RatioAt10k: 1.5,
  /** The app's memory from the FEW_CLINICS run to the run over every clinic, same load. */
  rssGrowthMb: 50,
} as const;

/** The clinic page is also measured spread over only this many clinics: the baseline of the spread figures. */
const FEW_CLINICS = 10;

const USAGE = `Usage: npm run bench [-- --scale] [--tenants N] [--duration S] [--connections C]
  --scale          the scale run: ${TARGET_SCALE} clinics unless --tenants says otherwise (10000 for the largest), written to bench/results-scale.json
  --tenants N      clinics to provision (default ${DEFAULT_OPTIONS.tenants}; 1000 for the full run)
  --duration S     seconds of each measured HTTP run (default ${DEFAULT_OPTIONS.durationSeconds}), after a ${WARMUP_SECONDS} s warm-up
  --connections C  concurrent HTTP connections (default ${DEFAULT_OPTIONS.connections}; the today board uses at most ${BOARD_MAX_CONNECTIONS})
Uses DATABASE_URL's server when set (a fresh database is created and dropped), else an embedded Postgres.`;

function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      tenants: { type: 'string' },
      scale: { type: 'boolean' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  return {
    tenants: wholeNumber('--tenants', values.tenants, values.scale ? TARGET_SCALE : DEFAULT_OPTIONS.tenants, 1, 10 * TARGET_SCALE),
    scale: values.scale ?? false,
    durationSeconds: wholeNumber('--duration', values.duration, DEFAULT_OPTIONS.durationSeconds, 1, 600),
    connections: wholeNumber('--connections', values.connections, DEFAULT_OPTIONS.connections, 1, 1000),
  };
}

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

class UsageError extends Error {}

// ---------------------------------------------------------------------------------------------
// What a run produces (also the shape of bench/results.json)

interface ProvisioningFigures {
  readonly clinics: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** Sum of the `create` calls alone (the doctors added afterwards are not part of provisioning). */
  readonly totalSeconds: number;
  /** In a run of more than TARGET_SCALE clinics: the first and the last TARGET_SCALE creates (does a create slow down as clinics are added?). */
  readonly firstThousand?: { readonly medianMs: number; readonly totalSeconds: number };
  readonly lastThousand?: { readonly medianMs: number; readonly totalSeconds: number };
  readonly doctorsPerClinic: number;
}

interface LoadFigures {
  readonly target: string;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** 200 responses that did not show the clinic the Host header named. */
  readonly wrongBodies: number;
  readonly statusCodes: Record<string, number>;
  /** CPU per request over the timed run (not the warm-up); absent where /proc cannot be read. */
  readonly cpu?: CpuPerRequest;
}

/**
 * Microseconds of CPU per request: the app's process, and the Postgres server's (every one of its
 * processes — backends, checkpointer, background writer, autovacuum — including the ones that exited
 * meanwhile) when it runs on this machine. Says which side a slower run spent its time on.
 */
interface CpuPerRequest {
  readonly appUs: number;
  readonly postgresUs?: number;
}

/** `ratio`: the clinic page over every clinic ÷ the bare route, measured in alternation (pairedRatio). */
interface HttpFigures extends PairedRatio {
  readonly bare: LoadFigures;
  /** The clinic page with requests spread over FEW_CLINICS clinics (or every one, when fewer). */
  readonly clinicPageFew: LoadFigures;
  /** In a run of more than TARGET_SCALE clinics: the page spread over the first TARGET_SCALE of them. */
  readonly clinicPageMid?: LoadFigures;
  readonly clinicPage: LoadFigures;
  /** The app's resident memory after the FEW_CLINICS run (appRssMb is after the run over every clinic). */
  readonly appRssFewMb?: number;
  /** Postgres server processes serving the bench database after the clinic runs: how many, and their proportional memory. */
  readonly postgres?: { readonly backends: number; readonly pssMb?: number };
  /** The app's resident memory right after the clinic-page run, for comparing runs with different N. */
  readonly appRssMb?: number;
  /** Absent when seeding the board clinic failed; a run that failed leaves its key out. */
  readonly board?: BoardFigures;
  readonly dashboard?: DashboardFigures;
}

interface DashboardFigures {
  readonly clinic: string;
  readonly appointments: number;
  readonly from: string;
  readonly to: string;
  /** Sequential uncached requests (DASHBOARD_CACHE_SECONDS=0): the time one owner waits. */
  cold?: { readonly requests: number; readonly medianMs: number; readonly p95Ms: number };
  /** Under load on the normal app (cached after the first request). */
  cached?: BoardLoadFigures;
  /** The same numbers as JSON (`GET /api/v1/reports/summary`, a Bearer token), cached. */
  cachedApi?: BoardLoadFigures;
  /**
   * The floor of a signed-in request: `GET /api/v1/me` with the same token (the session checked, no
   * query parameters, no database, no cache, a 150-byte answer), in alternation with the bare route.
   * What any signed-in answer costs before doing anything of its own.
   */
  signedInFloor?: PairedRatio;
}

/** `ratio`: requests/s ÷ the bare route's on the same app process, measured in alternation (pairedRatio). */
interface BoardLoadFigures extends LoadFigures, PairedRatio {
  /** The run's connections: min(--connections, BOARD_MAX_CONNECTIONS) for the board, --connections for the dashboard. */
  readonly connections: number;
}

interface BoardFigures {
  readonly clinic: string;
  readonly timeZone: string;
  /** The clinic's local date the appointments were booked on ("today"). */
  readonly date: string;
  readonly doctors: number;
  readonly appointments: number;
  /** Size of the page (HTML, uncompressed) as the check before the load run received it. */
  pageBytes?: number;
  /** `GET /reception` on the app as started normally (BOARD_CACHE_SECONDS at its default). */
  cached?: BoardLoadFigures;
  /** The same on a second app process started with BOARD_CACHE_SECONDS=0. */
  uncached?: BoardLoadFigures;
}

interface MigrationFigures {
  readonly noop: { readonly seconds: number; readonly clinics: number };
  readonly pending: { readonly seconds: number; readonly clinics: number; readonly migrated: number; readonly failed: number };
}

interface ReportRow {
  readonly figure: string;
  readonly measured: string;
  readonly target: string;
  readonly verdict: string;
}

interface BenchResults {
  date: string;
  ok: boolean;
  errors: string[];
  options: BenchOptions & { readonly warmupSeconds: number };
  machine: { cpus: number; cpuModel: string; memoryGb: number; os: string; node: string };
  /** `settings`: the server's max_files_per_process and shared_buffers, as SHOW gives them. */
  database?: { kind: 'DATABASE_URL' | 'embedded'; serverVersion: string; settings: Record<string, string> };
  /** Seconds spent leaving the server settled after provisioning (serverSettled): vacuum, checkpoint, the wait. */
  serverSettle?: { readonly seconds: number; readonly settled: boolean };
  provisioning?: ProvisioningFigures;
  http?: HttpFigures;
  migrations?: MigrationFigures;
  jobs?: JobsFigures;
  report: ReportRow[];
}

// ---------------------------------------------------------------------------------------------
// Cleanup: every run leaves the server as it found it, whether it ends normally, with an error or by a signal

/** Undo steps, run newest first, once. */
class Teardown {
  private readonly steps: { label: string; run: () => Promise<unknown> }[] = [];
  private running?: Promise<string[]>;

  add(label: string, run: () => Promise<unknown>): void {
    this.steps.push({ label, run });
  }

  /** Resolves to the steps that failed (each as one line). */
  run(): Promise<string[]> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<string[]> {
    const failures: string[] = [];
    for (const step of [...this.steps].reverse()) {
      try {
        await withTimeout(step.run(), CLEANUP_STEP_TIMEOUT_MS, step.label);
      } catch (error) {
        failures.push(`${step.label}: ${messageOf(error)}`);
      }
    }
    return failures;
  }
}

let interrupted = false;

/** Ctrl-C cleans up too; a second Ctrl-C kills at once (the handler is installed once). */
function cleanUpOnSignals(teardown: Teardown): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`\n${signal} received: stopping and removing the benchmark database …`);
      void teardown.run().then((failures) => {
        for (const failure of failures) console.error(`  cleanup failed: ${failure}`);
        process.exit(code);
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The database server and the throwaway database

interface BenchDatabase {
  readonly kind: 'DATABASE_URL' | 'embedded';
  readonly name: string;
  readonly url: string;
}

/**
 * A fresh `clinic_bench_<random>` database on DATABASE_URL's server, or on an embedded server of the
 * benchmark's own. Registers its removal (and the embedded server's stop) with `teardown`.
 */
async function openBenchDatabase(teardown: Teardown, remembered: { platformId?: string }): Promise<BenchDatabase> {
  const name = `${BENCH_DATABASE_PREFIX}${randomBytes(4).toString('hex')}`;
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (serverUrl) {
    const url = withDatabase(serverUrl, name);
    await createDatabase(serverUrl, name);
    teardown.add(`drop database ${name}`, () => dropBenchDatabase(serverUrl, url, name, remembered.platformId));
    return { kind: 'DATABASE_URL', name, url };
  }

  discardEmbeddedCluster();
  log(`No DATABASE_URL: starting a fresh embedded Postgres in ${EMBEDDED_DIR} on port ${EMBEDDED_PORT} …`);
  const embedded = await startEmbeddedPostgres({ dir: EMBEDDED_DIR, port: EMBEDDED_PORT, database: name });
  teardown.add('remove the embedded cluster', async () => discardEmbeddedCluster());
  teardown.add('stop the embedded Postgres', () => embedded.stop());
  teardown.add(`drop database ${name}`, async () => {
    try {
      await dropBenchDatabase(embedded.adminUrl, embedded.url, name, remembered.platformId);
    } catch (error) {
      // after Ctrl-C the embedded postgres is already shutting down; removing the cluster removes the database too
      if (!interrupted) throw error;
    }
  });
  return { kind: 'embedded', name, url: embedded.url };
}

/**
 * The embedded cluster is the benchmark's alone and is made afresh for every run: figures then never
 * depend on what earlier runs left (Ctrl-C also reaches the embedded postgres, which stops before the
 * database can be dropped). Also, as root, startEmbeddedPostgres refuses an existing data folder —
 * initdb leaves it mode 700 and owned by `postgres`, which its reachability check does not allow for.
 */
function discardEmbeddedCluster(): void {
  if (!existsSync(EMBEDDED_DIR)) return;
  const pid = runningServer(EMBEDDED_DIR);
  if (pid !== undefined) {
    throw new Error(
      `A Postgres (pid ${pid}) still runs on ${EMBEDDED_DIR}: another benchmark is running, or one was killed with SIGKILL. ` +
        `Stop it ("kill -INT ${pid}") and run the benchmark again.`,
    );
  }
  rmSync(EMBEDDED_DIR, { recursive: true, force: true });
}

/** The same server URL pointing at another database (query parameters such as sslmode are kept). */
function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'clinic-bench-admin' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${ident(name)}`));
}

/**
 * Drops the database, then the clinic roles it created. Roles are cluster-wide and outlive the
 * database, so they are found by the prefix every clinic role of this platform shares.
 */
async function dropBenchDatabase(adminUrl: string, databaseUrl: string, name: string, rememberedPlatformId?: string): Promise<void> {
  const platformId = (await readPlatformId(databaseUrl).catch(() => undefined)) ?? rememberedPlatformId;
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
  if (platformId) await dropClinicRoles(adminUrl, clinicRolePrefix(platformId));
}

async function readPlatformId(databaseUrl: string): Promise<string | undefined> {
  return withClient(databaseUrl, async (client) => {
    const rows = await client.query<{ id: string }>('SELECT id FROM platform.instance');
    return rows.rows[0]?.id;
  });
}

/** roleNameFor(id, slug) is `<prefix><slug>`, so an empty slug yields the prefix itself. */
function clinicRolePrefix(platformId: string): string {
  const prefix = roleNameFor(platformId, '');
  // refuse to drop by a prefix that is not the expected shape: it could match roles of another platform
  if (!/^c[0-9a-f]{12}_$/.test(prefix)) throw new Error(`unexpected clinic role prefix "${prefix}"; roles left in place`);
  return prefix;
}

async function dropClinicRoles(adminUrl: string, prefix: string): Promise<void> {
  return withClient(adminUrl, async (client) => {
    const rows = await client.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)', [prefix]);
    const names = rows.rows.map((r) => r.rolname);
    for (let i = 0; i < names.length; i += 100) {
      await client.query(`DROP ROLE IF EXISTS ${names.slice(i, i + 100).map(ident).join(', ')}`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Provisioning

const clinicSlug = (n: number) => `bench-${n}`;
const clinicName = (n: number) => `Bench ${n}`;
const doctorNamePrefix = (n: number) => `Dr. Bench ${n}-`;
const doctorName = (n: number, k: number) => `${doctorNamePrefix(n)}${k}`;

/** Creates the clinics one after another in this process, timing each `create`. */
async function provisionClinics(dataSource: DataSource, count: number): Promise<ProvisioningFigures> {
  const provisioning = new ProvisioningService(dataSource, new SchemaMigrator(dataSource), BASE_DOMAIN);
  const createMs: number[] = [];
  const progressEvery = Math.max(1, Math.round(count / 10));
  for (let n = 1; n <= count; n += 1) {
    const started = process.hrtime.bigint();
    const tenant = await provisioning.create({ slug: clinicSlug(n), displayName: clinicName(n) });
    createMs.push(millisecondsSince(started));
    await addDoctors(dataSource, tenant, n);
    if (n % progressEvery === 0 || n === count) log(`  ${n}/${count} clinics (this create: ${createMs[n - 1].toFixed(0)} ms)`);
  }
  const sorted = [...createMs].sort((a, b) => a - b);
  const summary = (times: number[]) => ({
    medianMs: percentile([...times].sort((a, b) => a - b), 50),
    totalSeconds: times.reduce((sum, ms) => sum + ms, 0) / 1000,
  });
  const many = count > TARGET_SCALE;
  return {
    clinics: count,
    medianMs: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted[sorted.length - 1],
    totalSeconds: createMs.reduce((sum, ms) => sum + ms, 0) / 1000,
    firstThousand: many ? summary(createMs.slice(0, TARGET_SCALE)) : undefined,
    lastThousand: many ? summary(createMs.slice(-TARGET_SCALE)) : undefined,
    doctorsPerClinic: DOCTORS_PER_CLINIC,
  };
}

/** Gives the clinic's home page rows to show, so its one indexed query does real work. */
async function addDoctors(dataSource: DataSource, tenant: Tenant, n: number): Promise<void> {
  await inTransaction(dataSource, async (runner) => {
    await enterTenant(runner, tenant);
    await runner.query(
      `INSERT INTO users (username, full_name, role, password_hash)
       SELECT 'doctor' || k, $1::text || k, 'doctor', 'bench: not a real password hash' FROM generate_series(1, $2::int) AS k`,
      [doctorNamePrefix(n), DOCTORS_PER_CLINIC],
    );
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP: the built app in a child process, loaded with autocannon

interface RunningApp {
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  hasExited(): boolean;
  /** The app's last lines of output, for error messages. */
  recentOutput(): string;
  /** SIGTERM, then SIGKILL if it has not exited in time. Idempotent. */
  stop(): Promise<number | null>;
}

/**
 * Starts `node dist/src/main.js` as production would run it; request logging is off (LOG_LEVEL=warn),
 * and so are the scheduled jobs (JOBS=off): a sweep over every clinic landing inside a 5-second run
 * would measure the jobs, not the pages — they are measured on their own (the jobs phase).
 * `extraEnv` is set on top (e.g. BOARD_CACHE_SECONDS=0).
 */
function startApp(databaseUrl: string, port: number, extraEnv: Readonly<Record<string, string>> = {}): RunningApp {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(36).toString('base64url'), // 48 characters
    PORT: String(port),
    LOG_LEVEL: 'warn',
    JOBS: 'off',
    BASE_DOMAIN,
    ...extraEnv,
  };
  delete env.REDIS_URL; // the in-memory cache: the figures then do not depend on a Redis being around
  const child: ChildProcess = spawn(process.execPath, [APP_ENTRY], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 30));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    });
    child.once('error', (error) => {
      lines.push(String(error));
      exitCode = null;
      resolve(null);
    });
  });
  let stopping: Promise<number | null> | undefined;
  return {
    pid: child.pid ?? 0,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    hasExited: () => exitCode !== undefined,
    recentOutput: () => lines.join('\n'),
    stop() {
      stopping ??= (async () => {
        if (exitCode !== undefined) return exitCode;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), APP_STOP_TIMEOUT_MS);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Startup migrates every clinic (a no-op here) before listening; /healthz answers once it listens. */
async function waitForHealthy(app: RunningApp): Promise<void> {
  const deadline = Date.now() + APP_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (app.hasExited()) throw new Error(`the app exited before it was ready. Its last output:\n${app.recentOutput()}`);
    const answer = await httpGet(`${app.baseUrl}/healthz`, { timeoutMs: 1000 }).catch(() => undefined);
    if (answer?.status === 200) return;
    await sleep(100);
  }
  throw new Error(`the app did not answer /healthz within ${APP_START_TIMEOUT_MS / 1000} s. Its last output:\n${app.recentOutput()}`);
}

interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

function httpGet(url: string, options: { host?: string; agent?: http.Agent; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  return httpRequest(url, { agent: options.agent, headers: options.host ? { host: options.host } : {}, timeoutMs: options.timeoutMs });
}

function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const headers = { ...options.headers };
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', agent: options.agent ?? false, headers, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(options.body);
  });
}

const clinicHost = (n: number, port: number) => `${clinicSlug(n)}.${BASE_DOMAIN}:${port}`;
/** What the clinic's home page shows for its name (views/clinic/home.hbs); "Bench 1" alone would also match "Bench 12". */
const clinicHeading = (n: number) => `<h1>${clinicName(n)}</h1>`;

/** Before loading anything: every clinic's page answers 200 with its own name and its doctors. */
async function verifyClinicPages(app: RunningApp, count: number): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const problems: string[] = [];
  let next = 1;
  const checkNext = async () => {
    while (next <= count) {
      const n = next++;
      const answer = await httpGet(`${app.baseUrl}/`, { host: clinicHost(n, app.port), agent }).catch((error: unknown) => ({ status: 0, body: messageOf(error) }));
      const missing = [clinicHeading(n), ...range(1, DOCTORS_PER_CLINIC).map((k) => `<li>${doctorName(n, k)}</li>`)].filter((s) => !answer.body.includes(s));
      if (answer.status !== 200 || missing.length > 0) {
        problems.push(`${clinicSlug(n)}: status ${answer.status}${missing.length ? `, page lacks ${missing.join(' ')}` : ''}`);
      }
    }
  };
  try {
    await Promise.all(range(1, 8).map(checkNext));
  } finally {
    agent.destroy();
  }
  if (problems.length === 0) return [];
  return [`clinic pages: ${problems.length} of ${count} wrong before the load run, e.g. ${problems.slice(0, 3).join('; ')}`];
}

// autocannon ships no type declarations; these are the parts used here (see its README).
interface AutocannonRawRequest {
  headers?: Record<string, string>;
  [key: string]: unknown;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  setupRequest?(request: AutocannonRawRequest, context: Record<string, unknown>): AutocannonRawRequest;
  onResponse?(status: number, body: string, context: Record<string, unknown>): void;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  requests?: AutocannonRequest[];
}
interface AutocannonHistogram {
  average: number;
  p50: number;
  p99: number;
  total: number;
}
interface AutocannonResult {
  requests: AutocannonHistogram;
  latency: AutocannonHistogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (options: AutocannonOptions, done: (error: Error | null, result: AutocannonResult) => void) => { stop(): void };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped CommonJS package
const autocannon = require('autocannon') as Autocannon;

/** The load run under way, so a signal can stop it. */
let activeLoad: { stop(): void } | undefined;

function runAutocannon(options: AutocannonOptions): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    activeLoad = autocannon(options, (error, result) => {
      activeLoad = undefined;
      if (error) reject(error);
      else resolve(result);
    });
  });
}

interface LoadScenario {
  readonly target: string;
  readonly url: string;
  /** A fresh request sequence per run (so each run counts its own wrong bodies), and the count. */
  readonly requests?: () => { requests: AutocannonRequest[]; wrongBodies: () => number };
}

/**
 * A discarded warm-up run, then the measured one. In between, the app is given time to finish the
 * requests the warm-up left in flight: autocannon closes their connections, but the app still does
 * their work, which would otherwise be charged to the measured run (a second or more of CPU for a
 * heavy page at 50 connections).
 */
async function loadTest(app: RunningApp, scenario: LoadScenario, options: BenchOptions, postmasterPid?: number): Promise<LoadFigures> {
  await loadRun(scenario, options.connections, WARMUP_SECONDS);
  const started = Date.now();
  await untilIdle(app);
  const waitedMs = Date.now() - started;
  if (waitedMs >= 1000) log(`    (${s(waitedMs / 1000)} for the app to finish the warm-up's requests)`);
  const cpuBefore = cpuMeters(app.pid, postmasterPid);
  const { result, wrongBodies } = await loadRun(scenario, options.connections, options.durationSeconds);
  const cpu = cpuPerRequest(cpuBefore, cpuMeters(app.pid, postmasterPid), result.requests.total);
  return {
    ...(cpu ? { cpu } : {}),
    target: scenario.target,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    wrongBodies,
    statusCodes: statusCodesOf(result),
  };
}

async function loadRun(scenario: LoadScenario, connections: number, duration: number): Promise<{ result: AutocannonResult; wrongBodies: number }> {
  const sequence = scenario.requests?.();
  const result = await runAutocannon({ url: scenario.url, connections, duration, requests: sequence?.requests });
  return { result, wrongBodies: sequence?.wrongBodies() ?? 0 };
}

/** Rounds of a ratio measured in alternation with the bare route (see pairedRatio). */
const PAIRED_ROUNDS = 5;

interface PairedRatio {
  /** The scenario's requests ÷ the bare route's, each summed over every round. */
  readonly ratio: number;
  /** Each round's own ratio: their spread shows how much the machine moved while it was measured. */
  readonly ratioRounds: readonly number[];
}

/**
 * A scenario's requests/s as a share of the bare route's, measured in alternation on the same app
 * process: PAIRED_ROUNDS rounds of one block of `GET /healthz` and one of the scenario (the order
 * swapped every round), each block a PAIRED_ROUNDS-th of --duration (at least 2 s), the app idle
 * before each. Measured once at the start and compared with a run minutes later, the bare route's
 * figure would carry the machine's drift into the ratio: on the development VM the same route's
 * requests/s moved by a quarter within a few minutes, in both directions. The scenario has had its
 * own warm-up (its loadTest) before. Problems in either route's blocks go to `problems`.
 */
async function pairedRatio(
  app: RunningApp,
  scenario: LoadScenario,
  options: BenchOptions,
  problems: string[],
  { connections = options.connections, wrongPage }: { connections?: number; wrongPage?: string } = {},
): Promise<PairedRatio> {
  const bare: LoadScenario = { target: `GET /healthz (paired with ${scenario.target})`, url: `${app.baseUrl}/healthz` };
  const blockSeconds = Math.max(2, Math.round(options.durationSeconds / PAIRED_ROUNDS));
  const sides = [
    { scenario: bare, connections: options.connections, total: pairedTotals(bare.target) },
    { scenario, connections, total: pairedTotals(scenario.target) },
  ];
  const ratioRounds: number[] = [];
  for (let round = 0; round < PAIRED_ROUNDS && !interrupted; round += 1) {
    const counts = [0, 0];
    for (const index of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const side = sides[index];
      await untilIdle(app);
      const { result, wrongBodies } = await loadRun(side.scenario, side.connections, blockSeconds);
      counts[index] = result.requests.total;
      addToTotals(side.total, result, wrongBodies);
    }
    ratioRounds.push(counts[1] / Math.max(1, counts[0]));
  }
  for (const side of sides) problems.push(...loadProblems(side.total, wrongPage));
  return { ratio: sides[1].total.requests / Math.max(1, sides[0].total.requests), ratioRounds };
}

/** What loadProblems judges: the counts of one run, or summed over several. */
type LoadOutcome = Pick<LoadFigures, 'target' | 'requests' | 'non2xx' | 'errors' | 'timeouts' | 'wrongBodies' | 'statusCodes'>;
type Totals = { -readonly [K in keyof LoadOutcome]: LoadOutcome[K] };

function pairedTotals(target: string): Totals {
  return { target, requests: 0, non2xx: 0, errors: 0, timeouts: 0, wrongBodies: 0, statusCodes: {} };
}

function addToTotals(total: Totals, result: AutocannonResult, wrongBodies: number): void {
  total.requests += result.requests.total;
  total.non2xx += result.non2xx;
  total.errors += result.errors;
  total.timeouts += result.timeouts;
  total.wrongBodies += wrongBodies;
  for (const [code, count] of Object.entries(statusCodesOf(result))) total.statusCodes[code] = (total.statusCodes[code] ?? 0) + count;
}

function statusCodesOf(result: AutocannonResult): Record<string, number> {
  return Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stat]) => [code, stat.count]));
}

/** `0.45 (rounds 0.41–0.49)`. */
function pairedText(paired: PairedRatio, digits = 2): string {
  const rounds = paired.ratioRounds;
  if (rounds.length === 0) return paired.ratio.toFixed(digits);
  return `${paired.ratio.toFixed(digits)} (rounds ${Math.min(...rounds).toFixed(digits)}–${Math.max(...rounds).toFixed(digits)})`;
}

/** The clinic's front page with requests spread over clinics 1…count. */
function clinicPageScenario(count: number, app: RunningApp): LoadScenario {
  return { target: `GET / over ${count} clinic hosts`, url: `${app.baseUrl}/`, requests: clinicRotation(count, app.port) };
}

/**
 * `GET /` with the Host header moving round-robin over every clinic, so requests spread over all
 * schemas as they would in production. Each 200 is checked for the clinic its Host named.
 */
function clinicRotation(count: number, port: number) {
  return () => {
    let next = 0;
    let wrongBodies = 0;
    const request: AutocannonRequest = {
      method: 'GET',
      path: '/',
      // autocannon keeps one context per connection and calls onResponse before building that
      // connection's next request, so the context still names the clinic this response is for
      setupRequest(raw, context) {
        const n = (next++ % count) + 1;
        context.expected = clinicHeading(n);
        return { ...raw, headers: { ...raw.headers, host: clinicHost(n, port) } };
      },
      onResponse(status, body, context) {
        if (status === 200 && !body.includes(String(context.expected))) wrongBodies += 1;
      },
    };
    return { requests: [request], wrongBodies: () => wrongBodies };
  };
}

function loadProblems(figures: LoadOutcome, wrongPage = 'showed another clinic than their Host named'): string[] {
  const problems: string[] = [];
  if (figures.non2xx > 0) problems.push(`${figures.non2xx} non-2xx responses (${JSON.stringify(figures.statusCodes)})`);
  if (figures.errors > 0) problems.push(`${figures.errors} connection errors (${figures.timeouts} timeouts)`);
  if (figures.wrongBodies > 0) problems.push(`${figures.wrongBodies} pages ${wrongPage}`);
  if (figures.requests === 0) problems.push('no request completed');
  return problems.map((p) => `${figures.target}: ${p}`);
}

async function measureHttp(databaseUrl: string, dataSource: DataSource, options: BenchOptions, teardown: Teardown, problems: string[]): Promise<HttpFigures> {
  const app = startApp(databaseUrl, await freePort());
  teardown.add('stop the app', async () => {
    activeLoad?.stop();
    await app.stop();
  });
  try {
    await waitForHealthy(app);
    log(`  app pid ${app.pid} listening on ${app.baseUrl}; checking all ${options.tenants} clinic pages …`);
    problems.push(...(await verifyClinicPages(app, options.tenants)));

    const postmasterPid = await postmasterPidOf(dataSource);
    log(`  bare route: ${WARMUP_SECONDS} s warm-up, then ${options.durationSeconds} s with ${options.connections} connections …`);
    const bare = await loadTest(app, { target: 'GET /healthz', url: `${app.baseUrl}/healthz` }, options, postmasterPid);
    problems.push(...loadProblems(bare));

    const few = Math.min(FEW_CLINICS, options.tenants);
    log(`  clinic page over ${few} hosts: ${WARMUP_SECONDS} s warm-up, then ${options.durationSeconds} s …`);
    const clinicPageFew = await loadTest(app, clinicPageScenario(few, app), options, postmasterPid);
    problems.push(...loadProblems(clinicPageFew));
    const appRssFewMb = residentMegabytes(app.pid);

    let clinicPageMid: LoadFigures | undefined;
    if (options.tenants > TARGET_SCALE) {
      log(`  clinic page over ${TARGET_SCALE} hosts: ${WARMUP_SECONDS} s warm-up, then ${options.durationSeconds} s …`);
      clinicPageMid = await loadTest(app, clinicPageScenario(TARGET_SCALE, app), options, postmasterPid);
      problems.push(...loadProblems(clinicPageMid));
    }

    log(`  clinic page over ${options.tenants} hosts: ${WARMUP_SECONDS} s warm-up, then ${options.durationSeconds} s …`);
    const clinicPage = await loadTest(app, clinicPageScenario(options.tenants, app), options, postmasterPid);
    problems.push(...loadProblems(clinicPage));
    const appRssMb = residentMegabytes(app.pid);
    const postgres = await postgresBackends(dataSource);
    log(`  clinic page over ${options.tenants} hosts ÷ bare route: ${PAIRED_ROUNDS} rounds in alternation …`);
    const paired = await pairedRatio(app, clinicPageScenario(options.tenants, app), options, problems);

    // after the clinic-page run: the board clinic's 20 extra doctors would otherwise show on its home page
    const board = await measureBoard(app, { databaseUrl, dataSource, options, teardown, problems });
    const dashboard = interrupted ? undefined : await measureDashboard(app, { databaseUrl, dataSource, options, teardown, problems });

    return { bare, clinicPageFew, clinicPageMid, clinicPage, ...paired, appRssFewMb, appRssMb, postgres, board, dashboard };
  } finally {
    const code = await app.stop();
    if (code !== 0 && !interrupted) problems.push(`the app exited with ${code === null ? 'a signal' : `code ${code}`} on SIGTERM:\n${app.recentOutput()}`);
  }
}

/**
 * Waits until the app uses less than a tenth of a CPU over a 200 ms window (at most SETTLE_TIMEOUT_MS).
 * Linux only (it reads /proc); elsewhere it waits one second.
 */
async function untilIdle(app: RunningApp): Promise<void> {
  const windowMs = 200;
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let before = cpuSeconds(app.pid);
  if (before === undefined) {
    await sleep(1000);
    return;
  }
  while (Date.now() < deadline && !app.hasExited()) {
    await sleep(windowMs);
    const now = cpuSeconds(app.pid);
    if (now === undefined || now - before < (0.1 * windowMs) / 1000) return;
    before = now;
  }
}

/** `/proc/<pid>/stat`: the command name, and the fields from the 3rd on (the name may hold spaces). Linux only; throws elsewhere. */
function procStat(pid: number | string): { name: string; fields: string[] } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
}

/** User + system CPU seconds the process has used so far (fields 14 and 15 of /proc/<pid>/stat); Linux only. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const { fields } = procStat(pid);
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds of the app and of the Postgres server (see CpuPerRequest); Linux only. */
function cpuMeters(appPid: number, postmasterPid: number | undefined): { app?: number; postgres?: number } {
  return { app: cpuSeconds(appPid), postgres: postmasterPid === undefined ? undefined : serverCpuSeconds(postmasterPid) };
}

function cpuPerRequest(before: ReturnType<typeof cpuMeters>, after: ReturnType<typeof cpuMeters>, requests: number): CpuPerRequest | undefined {
  if (before.app === undefined || after.app === undefined || requests === 0) return undefined;
  const perRequest = (from: number, to: number) => ((to - from) * 1e6) / requests;
  const postgres = before.postgres !== undefined && after.postgres !== undefined ? perRequest(before.postgres, after.postgres) : undefined;
  return { appUs: perRequest(before.app, after.app), ...(postgres === undefined ? {} : { postgresUs: postgres }) };
}

/**
 * CPU seconds of a Postgres server so far: the postmaster's own, the children it has reaped
 * (fields 16 and 17 of its /proc stat: backends that exited count too) and its live children's.
 * Undefined when the server is not a process of this machine.
 */
function serverCpuSeconds(postmasterPid: number): number | undefined {
  try {
    const own = procStat(postmasterPid).fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0);
    let children = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const { fields } = procStat(entry);
        if (Number(fields[1]) === postmasterPid) children += Number(fields[11]) + Number(fields[12]);
      } catch {
        // the process exited while the list was read: the postmaster's reaped total has it
      }
    }
    return (own + children) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Leaves the Postgres server settled, as a server in production is long after its clinics were
 * created: after thousands of creates it keeps working for minutes on its own (autovacuum over the
 * catalogs that grew by thousands of schemas, the checkpointer writing them out), on the CPUs the
 * app and the load generator need, and a measurement that overlapped that work was slower for it
 * alone — which one did depended on the order of the runs and on autovacuum's timing. So the bench
 * does that work itself, now: `VACUUM (ANALYZE)` of every system catalog changed since its last
 * vacuum, then `CHECKPOINT`; then waits until the server uses under a tenth of a CPU over 2 s (at
 * most SERVER_SETTLE_TIMEOUT_MS). `seconds` is all of it. Without a readable server CPU (not a
 * process of this machine) it does the vacuum and the checkpoint and does not wait.
 */
async function serverSettled(dataSource: DataSource): Promise<{ seconds: number; settled: boolean }> {
  const started = Date.now();
  const catalogs = (await dataSource.query(
    `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_sys_tables
      WHERE schemaname = 'pg_catalog' AND (n_ins_since_vacuum + n_dead_tup > 0 OR n_mod_since_analyze > 0) ORDER BY relname`,
  )) as { name: string }[];
  if (catalogs.length) await dataSource.query(`VACUUM (ANALYZE) ${catalogs.map((c) => c.name).join(', ')}`);
  await dataSource.query('CHECKPOINT');
  log(`Postgres: ${catalogs.length} system catalogs vacuumed and analyzed, checkpoint done in ${s((Date.now() - started) / 1000)}`);
  const postmasterPid = await postmasterPidOf(dataSource);
  if (postmasterPid === undefined) return { seconds: (Date.now() - started) / 1000, settled: true };
  const windowMs = 2000;
  let before = serverCpuSeconds(postmasterPid);
  while (Date.now() - started < SERVER_SETTLE_TIMEOUT_MS && !interrupted) {
    await sleep(windowMs);
    const now = serverCpuSeconds(postmasterPid);
    if (before === undefined || now === undefined || now - before < (0.1 * windowMs) / 1000) {
      const seconds = (Date.now() - started) / 1000;
      log(`Postgres settled after provisioning in ${s(seconds)}${now === undefined ? " (its CPU no longer readable: not waiting)" : ''}`);
      return { seconds, settled: true };
    }
    before = now;
  }
  const seconds = (Date.now() - started) / 1000;
  log(`Postgres still busy ${s(seconds)} after provisioning; measuring anyway`);
  return { seconds, settled: false };
}

/**
 * The Postgres server's main process, when it runs on this machine: the parent of this connection's
 * backend, both named `postgres` (a server elsewhere has pids that mean nothing here).
 */
async function postmasterPidOf(dataSource: DataSource): Promise<number | undefined> {
  const [{ pid }] = (await dataSource.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
  try {
    const backend = procStat(pid);
    const parent = Number(backend.fields[1]);
    if (backend.name !== 'postgres' || !(parent > 1) || procStat(parent).name !== 'postgres') return undefined;
    return parent;
  } catch {
    return undefined;
  }
}

/**
 * The server processes connected to the bench database (the app's pool and listener, this process's
 * own) and the sum of their proportional set size, read from /proc when the server runs on this
 * machine (absent otherwise): the memory the clinics' catalogs and plans cost Postgres.
 */
async function postgresBackends(dataSource: DataSource): Promise<{ backends: number; pssMb?: number }> {
  const rows: { pid: number }[] = await dataSource.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`);
  let kb = 0;
  for (const { pid } of rows) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (!match) return { backends: rows.length };
      kb += Number(match[1]);
    } catch {
      return { backends: rows.length };
    }
  }
  return { backends: rows.length, pssMb: kb / 1024 };
}

function residentMegabytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The today board: 1,000 appointments in one clinic, served from cache and uncached

interface BoardSeed {
  readonly slug: string;
  readonly timeZone: string;
  /** The clinic's local date today, which the appointments are booked on. */
  readonly date: string;
  /** The reception user's password, made up for this run. */
  readonly password: string;
}

/**
 * Gives the board clinic a busy day, as the clinic itself (its schema and role): a reception user with
 * a real argon2id hash (to sign in over HTTP), 20 doctors with hours 08:00-17:00 every day, 1,000
 * patients, and 1,000 appointments today in the clinic's zone — per doctor 50 of 10 minutes back to
 * back from 08:00 (no overlaps, so the exclusion constraint accepts them), each with its own patient.
 */
async function seedBoard(dataSource: DataSource): Promise<BoardSeed> {
  const slug = clinicSlug(BOARD_CLINIC);
  const [clinic] = (await dataSource.query(
    'SELECT schema_name AS "schemaName", role_name AS "roleName", time_zone AS "timeZone" FROM platform.tenants WHERE slug = $1',
    [slug],
  )) as { schemaName: string; roleName: string; timeZone: string }[];
  if (!clinic) throw new Error(`${slug} is not in platform.tenants`);
  // the clinic's "today" (Africa/Cairo unless the clinic says otherwise), as the app computes it
  const date = DateTime.now().setZone(clinic.timeZone).toISODate();
  if (!date) throw new Error(`"${clinic.timeZone}" is not a time zone luxon knows`);
  const password = randomBytes(18).toString('base64url');
  const passwordHash = await hashPassword(password);

  const booked = await inTransaction(dataSource, async (runner) => {
    await enterTenant(runner, clinic);
    const [reception] = (await runner.query(
      `INSERT INTO users (username, full_name, role, password_hash) VALUES ($1, $2, 'reception', $3) RETURNING id`,
      [RECEPTION_USERNAME, RECEPTION_NAME, passwordHash],
    )) as { id: string }[];
    await runner.query(
      `WITH specialty AS (INSERT INTO specialties (name) VALUES ('General practice') RETURNING id),
            doctor_users AS (
              INSERT INTO users (username, full_name, role, password_hash)
              SELECT $1::text || k, 'Dr. Board ' || lpad(k::text, 2, '0'), 'doctor', 'bench: not a real password hash'
                FROM generate_series(1, $2::int) AS k
              RETURNING id)
       INSERT INTO doctors (user_id, specialty_id, consultation_fee, slot_minutes)
       SELECT u.id, s.id, $3::numeric, $4::int FROM doctor_users u CROSS JOIN specialty s`,
      [BOARD_DOCTOR_USERNAME_PREFIX, BOARD_DOCTORS, BOARD_FEE, BOARD_SLOT_MINUTES],
    );
    await runner.query(
      `INSERT INTO working_hours (doctor_id, weekday, starts, ends)
       SELECT d.id, w, $2::time, $3::time
         FROM doctors d JOIN users u ON u.id = d.user_id CROSS JOIN generate_series(1, 7) AS w
        WHERE starts_with(u.username::text, $1)`,
      [BOARD_DOCTOR_USERNAME_PREFIX, BOARD_HOURS.starts, BOARD_HOURS.ends],
    );
    await runner.query(
      `INSERT INTO patients (first_name, last_name, date_of_birth, gender)
       SELECT 'Bench', 'Patient ' || lpad(k::text, 4, '0'), DATE '1950-01-01' + (k * 17) % 20000, CASE k % 2 WHEN 0 THEN 'female' ELSE 'male' END
         FROM generate_series(1, $1::int) AS k`,
      [BOARD_APPOINTMENTS],
    );
    // doctor i (in name order) gets patients i*50 + 1 … i*50 + 50, in name order too
    await runner.query(
      `WITH board_doctors AS (
              SELECT d.id, row_number() OVER (ORDER BY u.full_name) - 1 AS i
                FROM doctors d JOIN users u ON u.id = d.user_id
               WHERE starts_with(u.username::text, $1)),
            numbered_patients AS (SELECT id, row_number() OVER (ORDER BY last_name) - 1 AS n FROM patients),
            slots AS (
              SELECT b.id AS doctor_id, b.i * $2::int + k AS n,
                     ($3::date + $4::time + make_interval(mins => k * $5::int)) AT TIME ZONE $6::text AS starts_at
                FROM board_doctors b CROSS JOIN generate_series(0, $2::int - 1) AS k)
       INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, cost, created_by)
       SELECT p.id, s.doctor_id, s.starts_at, s.starts_at + make_interval(mins => $5::int), $7::numeric, $8::bigint
         FROM slots s JOIN numbered_patients p USING (n)`,
      [BOARD_DOCTOR_USERNAME_PREFIX, BOARD_APPOINTMENTS_PER_DOCTOR, date, BOARD_DAY_STARTS, BOARD_SLOT_MINUTES, clinic.timeZone, BOARD_FEE, reception.id],
    );
    const [{ n }] = (await runner.query(
      `SELECT count(*)::int AS n FROM appointments
        WHERE starts_at >= ($1::date::timestamp AT TIME ZONE $2::text) AND starts_at < (($1::date + 1)::timestamp AT TIME ZONE $2::text)`,
      [date, clinic.timeZone],
    )) as { n: number }[];
    return n;
  });
  if (booked !== BOARD_APPOINTMENTS) throw new Error(`${booked} appointments on ${date} instead of ${BOARD_APPOINTMENTS}`);
  await settle(dataSource, clinic.schemaName, ['users', 'doctors', 'working_hours', 'patients', 'appointments']);
  return { slug, timeZone: clinic.timeZone, date, password };
}

/**
 * What every board page must contain: the day's total, the date, who is signed in, the first and last
 * patient. ASCII only: autocannon decodes each chunk of a body on its own, which can garble a character
 * split between two chunks.
 */
const boardMarkers = (seed: BoardSeed): string[] => [
  `<dt>Total</dt><dd>${BOARD_APPOINTMENTS}</dd>`,
  `Appointments on ${seed.date}</h2>`,
  ` ${RECEPTION_NAME}</p>`,
  `>Bench Patient 0001<`,
  `>Bench Patient ${String(BOARD_APPOINTMENTS).padStart(4, '0')}<`,
];

/** Why a board page is not the expected one, or undefined when it is. */
function boardPageProblem(page: HttpAnswer, seed: BoardSeed): string | undefined {
  if (page.status !== 200) return `status ${page.status}${page.headers.location ? ` (to ${page.headers.location})` : ''}`;
  const rows = page.body.match(/<tr id="appointment-\d+" data-status="/g)?.length ?? 0;
  if (rows !== BOARD_APPOINTMENTS) return `${rows} appointment rows instead of ${BOARD_APPOINTMENTS}`;
  const missing = boardMarkers(seed).filter((marker) => !page.body.includes(marker));
  return missing.length > 0 ? `the page lacks ${missing.join(' | ')}` : undefined;
}

/**
 * Signs in through the staff form as a browser does — GET /login for the CSRF cookie and the form's
 * `_csrf` field, POST it, follow the 303 — and returns the `Cookie` header the browser then holds:
 * the session cookie and the CSRF cookie bound to that session (the page after sign-in sets it).
 * Loads that sent the session alone would have every request mint and set a new CSRF token, which
 * no browser makes the app do. The cookies' names are whatever the app sets (`__Host-…` in production).
 */
async function signIn(app: RunningApp, host: string, username: string, password: string): Promise<string> {
  const form = await httpRequest(`${app.baseUrl}/login`, { headers: { host } });
  const csrfCookie = cookieFrom(form, 'csrf');
  const field = /name="_csrf" value="([^"]*)"/.exec(form.body)?.[1];
  if (form.status !== 200 || !csrfCookie || !field) {
    throw new Error(`GET /login: status ${form.status}${csrfCookie ? '' : ', no CSRF cookie'}${field ? '' : ', no _csrf field'}`);
  }
  const answer = await httpRequest(`${app.baseUrl}/login`, {
    method: 'POST',
    headers: { host, cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, _csrf: htmlUnescape(field) }).toString(),
  });
  const session = cookieFrom(answer, 'session');
  const location = answer.headers.location;
  if (answer.status !== 303 || !session || typeof location !== 'string') {
    throw new Error(`signing in as ${username}: status ${answer.status}${session ? '' : ', no session cookie'} ${answer.body.slice(0, 300)}`);
  }
  const home = await httpRequest(`${app.baseUrl}${location}`, { headers: { host, cookie: session }, timeoutMs: 30_000 });
  const csrf = cookieFrom(home, 'csrf');
  if (home.status !== 200 || !csrf) throw new Error(`GET ${location} after signing in as ${username}: status ${home.status}${csrf ? '' : ', no CSRF cookie'}`);
  return `${session}; ${csrf}`;
}

/** `name=value` of the Set-Cookie whose name ends with `suffix`. */
function cookieFrom(answer: HttpAnswer, suffix: string): string | undefined {
  return (answer.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';', 1)[0]).find((pair) => pair.slice(0, pair.indexOf('=')).endsWith(suffix));
}

/** Handlebars escapes `&<>"'`=` in attribute values. */
function htmlUnescape(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  return text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot));/gi, (entity, hex?: string, decimal?: string, name?: string) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (decimal) return String.fromCodePoint(Number(decimal));
    return named[name?.toLowerCase() ?? ''] ?? entity;
  });
}

/** Signs in on `app`, checks the page once (which also fills the cache, if any), then loads it. */
async function boardRun(app: RunningApp, seed: BoardSeed, label: string, context: BoardContext): Promise<{ figures: BoardLoadFigures; pageBytes: number }> {
  const { options, problems } = context;
  const host = clinicHost(BOARD_CLINIC, app.port);
  const cookie = await signIn(app, host, RECEPTION_USERNAME, seed.password);
  const page = await httpRequest(`${app.baseUrl}/reception`, { headers: { host, cookie }, timeoutMs: 30_000 });
  const problem = boardPageProblem(page, seed);
  if (problem) throw new Error(`GET /reception before the load run: ${problem}`);
  const pageBytes = Buffer.byteLength(page.body);
  const connections = Math.min(options.connections, BOARD_MAX_CONNECTIONS);
  log(`  today board, ${label} (${(pageBytes / 1024).toFixed(0)} kB page): ${WARMUP_SECONDS} s warm-up, then ${options.durationSeconds} s with ${connections} connections, then ÷ bare route …`);
  const scenario = markedScenario(app, `GET /reception, ${label}`, '/reception', { host, cookie }, boardMarkers(seed));
  const figures = await loadTest(app, scenario, { ...options, connections });
  const paired = await pairedRatio(app, scenario, options, problems, { connections, wrongPage: BOARD_WRONG_PAGE });
  return { figures: { ...figures, connections, ...paired }, pageBytes };
}

interface BoardContext {
  readonly databaseUrl: string;
  readonly dataSource: DataSource;
  readonly options: BenchOptions;
  readonly teardown: Teardown;
  readonly problems: string[];
}

const BOARD_WRONG_PAGE = `lacked the board's markers (${BOARD_APPOINTMENTS} appointments, the date, the signed-in user)`;

/**
 * Seeds the board clinic, then measures `GET /reception` on `app` (started normally: the board is
 * cached) and on a second app process started with BOARD_CACHE_SECONDS=0 (every request queries and
 * maps the 1,000 appointments). Failures go to `problems` rather than being thrown, so the figures
 * measured before them are kept.
 */
async function measureBoard(app: RunningApp, context: BoardContext): Promise<BoardFigures | undefined> {
  const { problems } = context;
  log(`  today board: seeding ${clinicSlug(BOARD_CLINIC)} with a reception user, ${BOARD_DOCTORS} doctors, ${BOARD_APPOINTMENTS} patients and ${BOARD_APPOINTMENTS} appointments today …`);
  let seed: BoardSeed;
  try {
    seed = await seedBoard(context.dataSource);
  } catch (error) {
    problems.push(`today board: seeding ${clinicSlug(BOARD_CLINIC)} failed: ${messageOf(error)}`);
    return undefined;
  }
  const figures: BoardFigures = {
    clinic: seed.slug,
    timeZone: seed.timeZone,
    date: seed.date,
    doctors: BOARD_DOCTORS,
    appointments: BOARD_APPOINTMENTS,
  };

  try {
    const cached = await boardRun(app, seed, 'cached', context);
    figures.cached = cached.figures;
    figures.pageBytes = cached.pageBytes;
    problems.push(...loadProblems(cached.figures, BOARD_WRONG_PAGE));
  } catch (error) {
    problems.push(`today board, cached: ${messageOf(error)}`);
  }

  // after Ctrl-C the cleanup is already under way: a new app would outlive it
  if (interrupted) return figures;
  log('  today board, uncached: starting a second app with BOARD_CACHE_SECONDS=0 …');
  let uncachedApp: RunningApp | undefined;
  try {
    const started = startApp(context.databaseUrl, await freePort(), { BOARD_CACHE_SECONDS: '0' });
    uncachedApp = started;
    context.teardown.add('stop the uncached-board app', async () => {
      activeLoad?.stop();
      await started.stop();
    });
    await waitForHealthy(uncachedApp);
    const uncached = await boardRun(uncachedApp, seed, 'uncached', context);
    figures.uncached = uncached.figures;
    figures.pageBytes ??= uncached.pageBytes;
    problems.push(...loadProblems(uncached.figures, BOARD_WRONG_PAGE));
  } catch (error) {
    problems.push(`today board, uncached: ${messageOf(error)}`);
  } finally {
    const code = await uncachedApp?.stop();
    if (uncachedApp && code !== 0 && !interrupted) {
      problems.push(`the uncached-board app exited with ${code === null ? 'a signal' : `code ${code}`} on SIGTERM:\n${uncachedApp.recentOutput()}`);
    }
  }
  return figures;
}

/**
 * Vacuums and analyzes tables just seeded, as they would be in a clinic that has been running a while
 * (planner statistics, the visibility map), then checkpoints. Without it autovacuum takes them up, and
 * the checkpointer writes the seed out, in the middle of the next measurement, on the same two CPUs.
 * VACUUM cannot run in a transaction: this is the bench's own connection, outside the clinic's.
 */
async function settle(dataSource: DataSource, schema: string, tables: readonly string[]): Promise<void> {
  await dataSource.query(`VACUUM (ANALYZE) ${tables.map((table) => `${ident(schema)}.${ident(table)}`).join(', ')}`);
  await dataSource.query('CHECKPOINT');
}

// ---------------------------------------------------------------------------------------------
// The owner's dashboard: a month of a clinic with 100,000 appointments, uncached and cached

/**
 * Seeds the dashboard clinic as the clinic itself: an owner with a real argon2id hash, 20 doctors,
 * 2,000 patients and 100,000 appointments of 15 minutes, 16 a morning per doctor over the twelve
 * months' working hours (no overlaps), with statuses ~80 % completed, 6 % cancelled, 5 % no-show,
 * the rest scheduled; an invoice for every completed one, three in four paid in full, one in eight
 * half paid. Returns the owner's password and this month's first and last day.
 */
async function seedDashboard(dataSource: DataSource): Promise<{ slug: string; password: string; from: string; to: string }> {
  const slug = clinicSlug(DASHBOARD_CLINIC);
  const [clinic] = (await dataSource.query(
    'SELECT schema_name AS "schemaName", role_name AS "roleName", time_zone AS "timeZone" FROM platform.tenants WHERE slug = $1',
    [slug],
  )) as { schemaName: string; roleName: string; timeZone: string }[];
  if (!clinic) throw new Error(`${slug} is not in platform.tenants`);
  const today = DateTime.now().setZone(clinic.timeZone);
  const from = today.startOf('month').toISODate()!;
  const to = today.endOf('month').toISODate()!;
  const password = randomBytes(18).toString('base64url');
  const passwordHash = await hashPassword(password);
  const count = await inTransaction(dataSource, async (runner) => {
    await enterTenant(runner, clinic);
    await runner.query(`INSERT INTO users (username, full_name, role, password_hash) VALUES ($1, 'Bench Owner', 'admin', $2)`, [OWNER_USERNAME, passwordHash]);
    await runner.query(
      `WITH specialty AS (INSERT INTO specialties (name) VALUES ('Dashboard practice') RETURNING id),
            doctor_users AS (
              INSERT INTO users (username, full_name, role, password_hash)
              SELECT 'dash-doctor-' || k, 'Dr. Dash ' || lpad(k::text, 2, '0'), 'doctor', 'bench: not a real password hash'
                FROM generate_series(1, $1::int) AS k RETURNING id)
       INSERT INTO doctors (user_id, specialty_id, consultation_fee, slot_minutes) SELECT u.id, s.id, 200, 15 FROM doctor_users u CROSS JOIN specialty s`,
      [DASHBOARD_DOCTORS],
    );
    await runner.query(
      `INSERT INTO patients (first_name, last_name, date_of_birth, gender)
       SELECT 'Dash', 'Patient ' || k, DATE '1950-01-01' + (k * 17) % 20000, CASE k % 2 WHEN 0 THEN 'female' ELSE 'male' END FROM generate_series(1, $1::int) AS k`,
      [DASHBOARD_PATIENTS],
    );
    // appointment k: doctor k % 20, its (k / 20)-th slot; 16 slots a day (08:00-12:00), days back from the end of this month (a year)
    await runner.query(
      `WITH docs AS (SELECT d.id, row_number() OVER (ORDER BY d.id) - 1 AS i FROM doctors d JOIN users u ON u.id = d.user_id WHERE starts_with(u.username::text, 'dash-doctor-')),
            pats AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS j FROM patients WHERE first_name = 'Dash'),
            plan AS (
              SELECT k, k % $2::int AS i, (k / $2::int) AS slot FROM generate_series(0, $1::int - 1) AS k),
            timed AS (
              SELECT k, i, ($3::date - (slot / 16)::int + time '08:00' + make_interval(mins => (slot % 16) * 15)) AT TIME ZONE $4::text AS starts_at,
                     CASE WHEN k % 100 < 80 THEN 'completed' WHEN k % 100 < 86 THEN 'cancelled' WHEN k % 100 < 91 THEN 'no_show' ELSE 'scheduled' END AS status
                FROM plan)
       INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, status, cost, cancelled_at, cancel_reason, no_show_at)
       SELECT p.id, d.id, t.starts_at, t.starts_at + interval '15 minutes', t.status, 200,
              CASE WHEN t.status = 'cancelled' THEN t.starts_at - interval '1 day' END, CASE WHEN t.status = 'cancelled' THEN 'bench' END,
              CASE WHEN t.status = 'no_show' THEN t.starts_at + interval '1 hour' END
         FROM timed t JOIN docs d ON d.i = t.i JOIN pats p ON p.j = t.k % $5::int`,
      [DASHBOARD_APPOINTMENTS, DASHBOARD_DOCTORS, to, clinic.timeZone, DASHBOARD_PATIENTS],
    );
    await runner.query(
      `INSERT INTO invoices (number, appointment_id, amount, status, paid_amount, paid_at, payment_method)
       SELECT row_number() OVER (ORDER BY a.starts_at, a.id), a.id, 200,
              CASE WHEN a.id % 8 < 6 THEN 'paid' WHEN a.id % 8 = 6 THEN 'partial' ELSE 'pending' END,
              CASE WHEN a.id % 8 < 6 THEN 200 WHEN a.id % 8 = 6 THEN 100 ELSE 0 END,
              CASE WHEN a.id % 8 < 6 THEN a.starts_at + interval '30 minutes' END,
              CASE WHEN a.id % 8 < 7 THEN (CASE a.id % 3 WHEN 0 THEN 'card' ELSE 'cash' END) END
         FROM appointments a JOIN doctors d ON d.id = a.doctor_id JOIN users u ON u.id = d.user_id
        WHERE a.status = 'completed' AND starts_with(u.username::text, 'dash-doctor-')`,
    );
    await runner.query(
      `INSERT INTO payments (invoice_id, amount, method, paid_on)
       SELECT i.id, i.paid_amount, i.payment_method, ((a.starts_at + interval '30 minutes') AT TIME ZONE $1::text)::date
         FROM invoices i JOIN appointments a ON a.id = i.appointment_id WHERE i.paid_amount > 0`,
      [clinic.timeZone],
    );
    await runner.query('UPDATE invoice_counter SET last_number = (SELECT coalesce(max(number), 0) FROM invoices)');
    const [{ n }] = (await runner.query(`SELECT count(*)::int AS n FROM appointments a JOIN doctors d ON d.id = a.doctor_id JOIN users u ON u.id = d.user_id WHERE starts_with(u.username::text, 'dash-doctor-')`)) as { n: number }[];
    return n;
  });
  if (count !== DASHBOARD_APPOINTMENTS) throw new Error(`${count} appointments instead of ${DASHBOARD_APPOINTMENTS}`);
  await settle(dataSource, clinic.schemaName, ['appointments', 'invoices', 'payments', 'doctors', 'users', 'patients']);
  return { slug, password, from, to };
}

const DASHBOARD_WRONG_PAGE = "lacked the dashboard's markers";

/** What a dashboard page for the seeded month must contain. */
const dashboardMarkers = (from: string) => ['data-kpi="revenue"', `${from} to `, 'Dr. Dash 01'];

/**
 * Seeds the dashboard clinic, then times `GET /admin?from&to` (this month) one request after another on
 * a second app with DASHBOARD_CACHE_SECONDS=0, and loads it on `app` (cached). Failures go to
 * `problems`, keeping what was measured.
 */
async function measureDashboard(app: RunningApp, context: BoardContext): Promise<DashboardFigures | undefined> {
  const { options, problems } = context;
  log(`  dashboard: seeding ${clinicSlug(DASHBOARD_CLINIC)} with ${DASHBOARD_DOCTORS} doctors, ${DASHBOARD_PATIENTS} patients and ${DASHBOARD_APPOINTMENTS} appointments over a year …`);
  let seed: Awaited<ReturnType<typeof seedDashboard>>;
  const seedStart = process.hrtime.bigint();
  try {
    seed = await seedDashboard(context.dataSource);
  } catch (error) {
    problems.push(`dashboard: seeding ${clinicSlug(DASHBOARD_CLINIC)} failed: ${messageOf(error)}`);
    return undefined;
  }
  log(`  dashboard: seeded in ${(millisecondsSince(seedStart) / 1000).toFixed(1)} s`);
  const figures: DashboardFigures = { clinic: seed.slug, appointments: DASHBOARD_APPOINTMENTS, from: seed.from, to: seed.to };
  const path = `/admin?from=${seed.from}&to=${seed.to}`;
  const markers = dashboardMarkers(seed.from);
  const check = (page: HttpAnswer, label: string) => {
    if (page.status !== 200) throw new Error(`${label}: status ${page.status}`);
    const missing = markers.filter((m) => !page.body.includes(m));
    if (missing.length) throw new Error(`${label}: the page lacks ${missing.join(' | ')}`);
  };

  let coldApp: RunningApp | undefined;
  try {
    const started = startApp(context.databaseUrl, await freePort(), { DASHBOARD_CACHE_SECONDS: '0' });
    coldApp = started;
    context.teardown.add('stop the uncached-dashboard app', async () => {
      await started.stop();
    });
    await waitForHealthy(started);
    const host = clinicHost(DASHBOARD_CLINIC, started.port);
    const cookie = await signIn(started, host, OWNER_USERNAME, seed.password);
    for (let i = 0; i < 3; i += 1) check(await httpRequest(`${started.baseUrl}${path}`, { headers: { host, cookie }, timeoutMs: 30_000 }), 'warm-up');
    const times: number[] = [];
    for (let i = 0; i < DASHBOARD_COLD_REQUESTS && !interrupted; i += 1) {
      const start = process.hrtime.bigint();
      const page = await httpRequest(`${started.baseUrl}${path}`, { headers: { host, cookie }, timeoutMs: 30_000 });
      times.push(millisecondsSince(start));
      check(page, `uncached request ${i + 1}`);
    }
    times.sort((a, b) => a - b);
    figures.cold = { requests: times.length, medianMs: percentile(times, 50), p95Ms: percentile(times, 95) };
    log(`  dashboard, uncached: median ${ms(figures.cold.medianMs)}, p95 ${ms(figures.cold.p95Ms)} over ${times.length} requests`);
  } catch (error) {
    problems.push(`dashboard, uncached: ${messageOf(error)}`);
  } finally {
    const code = await coldApp?.stop();
    if (coldApp && code !== 0 && !interrupted) problems.push(`the uncached-dashboard app exited with ${code === null ? 'a signal' : `code ${code}`} on SIGTERM:\n${coldApp.recentOutput()}`);
  }

  if (interrupted) return figures;
  try {
    const host = clinicHost(DASHBOARD_CLINIC, app.port);
    const cookie = await signIn(app, host, OWNER_USERNAME, seed.password);
    check(await httpRequest(`${app.baseUrl}${path}`, { headers: { host, cookie }, timeoutMs: 30_000 }), 'before the cached run');
    log(`  dashboard, cached: ${WARMUP_SECONDS} s warm-up, then ${options.durationSeconds} s with ${options.connections} connections …`);
    const scenario = markedScenario(app, `GET ${path}, cached`, path, { host, cookie }, markers);
    const loaded = await loadTest(app, scenario, options);
    const paired = await pairedRatio(app, scenario, options, problems, { wrongPage: DASHBOARD_WRONG_PAGE });
    figures.cached = { ...loaded, connections: options.connections, ...paired };
    problems.push(...loadProblems(loaded, DASHBOARD_WRONG_PAGE));
  } catch (error) {
    problems.push(`dashboard, cached: ${messageOf(error)}`);
  }

  if (interrupted) return figures;
  try {
    const host = clinicHost(DASHBOARD_CLINIC, app.port);
    const login = await httpRequest(`${app.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { host, 'content-type': 'application/json' },
      body: JSON.stringify({ username: OWNER_USERNAME, password: seed.password }),
    });
    const token = (JSON.parse(login.body) as { accessToken?: string }).accessToken;
    if (login.status !== 200 || !token) throw new Error(`API sign-in: status ${login.status}`);
    const apiPath = `/api/v1/reports/summary?from=${seed.from}&to=${seed.to}`;
    const headers = { host, authorization: `Bearer ${token}` };
    const first = await httpRequest(`${app.baseUrl}${apiPath}`, { headers, timeoutMs: 30_000 });
    if (first.status !== 200 || !first.body.includes('"revenue"')) throw new Error(`GET ${apiPath}: status ${first.status}`);
    log(`  dashboard API, cached: ${WARMUP_SECONDS} s warm-up, then ${options.durationSeconds} s …`);
    const scenario = markedScenario(app, `GET ${apiPath}, cached`, apiPath, headers, ['"revenue"']);
    const loaded = await loadTest(app, scenario, options);
    const paired = await pairedRatio(app, scenario, options, problems, { wrongPage: 'lacked the summary' });
    figures.cachedApi = { ...loaded, connections: options.connections, ...paired };
    problems.push(...loadProblems(loaded, 'lacked the summary'));

    if (interrupted) return figures;
    try {
      log(`  signed-in floor (GET /api/v1/me, the same token), in alternation with the bare route …`);
      const floor = markedScenario(app, 'GET /api/v1/me', '/api/v1/me', headers, [`"username":"${OWNER_USERNAME}"`]);
      await loadRun(floor, options.connections, WARMUP_SECONDS);
      figures.signedInFloor = await pairedRatio(app, floor, options, problems, { wrongPage: "lacked the owner's username" });
    } catch (error) {
      problems.push(`signed-in floor: ${messageOf(error)}`);
    }
  } catch (error) {
    problems.push(`dashboard API, cached: ${messageOf(error)}`);
  }
  return figures;
}

/** GET `path` with `headers`; a 200 without every marker counts as a wrong body. */
function markedScenario(app: RunningApp, target: string, path: string, headers: Record<string, string>, markers: readonly string[]): LoadScenario {
  const requests = () => {
    let wrongBodies = 0;
    const request: AutocannonRequest = {
      method: 'GET',
      path,
      headers,
      onResponse(status, body) {
        if (status === 200 && !markers.every((m) => body.includes(m))) wrongBodies += 1;
      },
    };
    return { requests: [request], wrongBodies: () => wrongBodies };
  };
  return { target, url: `${app.baseUrl}${path}`, requests };
}

function dashboardRows(d: DashboardFigures): ReportRow[] {
  const rows: ReportRow[] = [];
  rows.push(
    d.cold
      ? row(`Dashboard GET /admin (${d.appointments} appointments, this month), uncached: median`, ms(d.cold.medianMs), `< ${TARGETS.dashboardColdMedianMs} ms`, d.cold.medianMs < TARGETS.dashboardColdMedianMs)
      : { figure: 'Dashboard, uncached', measured: 'failed', target: '—', verdict: 'ERROR' },
  );
  if (d.cold) rows.push(row('Dashboard, uncached: p95', ms(d.cold.p95Ms)));
  if (d.cached) {
    rows.push(row('Dashboard, cached: req/s', d.cached.requestsPerSecond.toFixed(0)));
    rows.push(row('Dashboard, cached: p99 latency', ms(d.cached.latencyP99Ms)));
    rows.push(row('Ratio dashboard cached ÷ bare route (req/s, in alternation)', pairedText(d.cached), `≥ ${TARGETS.dashboardCachedRatio}`, d.cached.ratio >= TARGETS.dashboardCachedRatio));
  } else {
    rows.push({ figure: 'Dashboard, cached', measured: 'failed', target: '—', verdict: 'ERROR' });
  }
  if (d.cachedApi) {
    rows.push(row('Dashboard API /api/v1/reports/summary, cached: req/s', d.cachedApi.requestsPerSecond.toFixed(0)));
    rows.push(row('Ratio dashboard API cached ÷ bare route (req/s, in alternation)', pairedText(d.cachedApi), `≥ ${TARGETS.dashboardCachedRatio}`, d.cachedApi.ratio >= TARGETS.dashboardCachedRatio));
  }
  if (d.signedInFloor) {
    // no target of its own: the ceiling of every signed-in ratio above
    rows.push(row('Ratio signed-in floor GET /api/v1/me ÷ bare route (req/s, in alternation)', pairedText(d.signedInFloor)));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The background jobs: the no-show sweep, reminders and delivery over every clinic

/** In each clinic: overdue appointments to mark, upcoming ones to remind, one patient with an address. */
const JOBS_OVERDUE_PER_CLINIC = 2;
const JOBS_REMINDERS_PER_CLINIC = 2;

interface JobsRunFigures {
  /** The CLI's whole run: boot, every clinic, exit. */
  readonly wallSeconds: number;
  /** The jobs themselves, as the runner measured them. */
  readonly jobsSeconds: number;
  readonly clinics: number;
  readonly failed: number;
  readonly noShows: number;
  readonly reminders: number;
  readonly sent: number;
}

interface JobsFigures {
  readonly busy: JobsRunFigures;
  readonly idle: JobsRunFigures;
}

/**
 * Seeds every clinic with work (two overdue appointments, two in the reminder window), then runs
 * `npm run tenant -- run-jobs` as the operator would: once with that work (every no-show, penalty,
 * reminder and notice, delivered to a throwaway development mailbox), once with nothing left to do
 * (the cost of every ten-minute tick on a quiet platform).
 */
async function measureJobs(databaseUrl: string, dataSource: DataSource, problems: string[]): Promise<JobsFigures> {
  const seedStart = process.hrtime.bigint();
  const tenants = (await dataSource.query(
    `SELECT id, slug, schema_name AS "schemaName", role_name AS "roleName" FROM platform.tenants WHERE starts_with(slug, 'bench-') ORDER BY slug`,
  )) as Tenant[];
  for (const tenant of tenants) {
    await inTransaction(dataSource, async (runner) => {
      await enterTenant(runner, tenant);
      await runner.query(
        `WITH doctor AS (
           INSERT INTO doctors (user_id, consultation_fee, slot_minutes)
           SELECT id, 150, 15 FROM users WHERE role = 'doctor' AND NOT EXISTS (SELECT 1 FROM doctors d WHERE d.user_id = users.id) ORDER BY id LIMIT 1
           RETURNING id),
         patient AS (
           INSERT INTO patients (first_name, last_name, date_of_birth, gender, email) VALUES ('Jobs', 'Bench', '1980-01-01', 'female', 'jobs.bench@example.com')
           RETURNING id),
         plan AS (
           SELECT k, CASE WHEN k <= $1::int THEN now() - make_interval(hours => 2 + k) ELSE now() + make_interval(hours => 2 + k) END AS starts_at
             FROM generate_series(1, $1::int + $2::int) AS k)
         INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, created_at)
         SELECT patient.id, doctor.id, plan.starts_at, plan.starts_at + interval '15 minutes', now() - interval '3 days' FROM plan, doctor, patient`,
        [JOBS_OVERDUE_PER_CLINIC, JOBS_REMINDERS_PER_CLINIC],
      );
    });
  }
  /** Appointments matching `where` in every clinic. */
  const countAll = async (where: string, params: unknown[] = []) => {
    let total = 0;
    for (const tenant of tenants) {
      const [{ n }] = (await dataSource.query(`SELECT count(*)::int AS n FROM ${ident(tenant.schemaName)}.appointments WHERE ${where}`, params)) as { n: number }[];
      total += n;
    }
    return total;
  };
  // every clinic's overdue appointments, the seeded ones and those the board and dashboard clinics hold
  const expected = await countAll(`status = 'scheduled' AND ends_at < now() - interval '30 minutes'`);
  log(`  seeded ${tenants.length} clinics in ${(millisecondsSince(seedStart) / 1000).toFixed(1)} s (${expected} overdue appointments in all); running the jobs with work to do …`);
  const mailbox = mkdtempSync(join(os.tmpdir(), 'clinic-bench-mailbox-'));
  try {
    const [{ busyStartedAt }] = (await dataSource.query('SELECT now() AS "busyStartedAt"')) as { busyStartedAt: Date }[];
    const busy = await runJobsCli(databaseUrl, mailbox);
    if (busy.noShows !== expected) problems.push(`jobs: expected ${expected} no-shows, the run marked ${busy.noShows}`);
    if (busy.failed > 0) problems.push(`jobs: ${busy.failed} clinics failed`);
    log(`  with work: ${busy.jobsSeconds.toFixed(1)} s (${busy.noShows} no-shows, ${busy.reminders} reminders, ${busy.sent} notices sent); again with nothing to do …`);
    const idle = await runJobsCli(databaseUrl, mailbox);
    // the board clinic's day goes on while the runs last (20 appointments end every 10 minutes): those
    // that became due after the first run began are the second run's to mark, nothing else is
    const leftOver = await countAll(`status = 'scheduled' AND ends_at < $1::timestamptz - interval '30 minutes'`, [busyStartedAt]);
    const becameDue = await countAll(`ends_at >= $1::timestamptz - interval '30 minutes' AND ends_at < now() - interval '30 minutes'`, [busyStartedAt]);
    if (leftOver > 0) problems.push(`jobs: ${leftOver} appointments already due when the first run began are still open`);
    if (idle.noShows > becameDue || idle.reminders > 0 || idle.sent > idle.noShows) {
      problems.push(`jobs: the second run found work the first should have done (${idle.noShows} no-shows, ${becameDue} of them due only after the first run began; ${idle.reminders} reminders, ${idle.sent} sent)`);
    }
    if (idle.noShows > 0) log(`  the second run marked ${idle.noShows} no-shows that became due while the first one ran`);
    log(`  nothing to do: ${idle.jobsSeconds.toFixed(1)} s`);
    return { busy, idle };
  } finally {
    rmSync(mailbox, { recursive: true, force: true });
  }
}

/** `node dist/scripts/tenant.js run-jobs --json`, as `npm run tenant -- run-jobs` runs it. */
async function runJobsCli(databaseUrl: string, dataDir: string): Promise<JobsRunFigures> {
  const started = process.hrtime.bigint();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'scripts', 'tenant.js'), 'run-jobs', '--json'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex'), BASE_DOMAIN, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 || out.trim().startsWith('{') ? resolve(out) : reject(new Error(`run-jobs exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`))));
  });
  const wallSeconds = millisecondsSince(started) / 1000;
  const summary = JSON.parse(output.slice(output.indexOf('{'))) as {
    clinics: { noShows: number; reminders: number; delivery: { sent: number } | null }[];
    failed: number;
    seconds: number;
  };
  const sum = (pick: (c: (typeof summary.clinics)[number]) => number) => summary.clinics.reduce((total, c) => total + pick(c), 0);
  return {
    wallSeconds,
    jobsSeconds: summary.seconds,
    clinics: summary.clinics.length,
    failed: summary.failed,
    noShows: sum((c) => c.noShows),
    reminders: sum((c) => c.reminders),
    sent: sum((c) => c.delivery?.sent ?? 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Migrations

async function measureMigrations(dataSource: DataSource, clinics: number, problems: string[]): Promise<MigrationFigures> {
  const noop = await new SchemaMigrator(dataSource).migrateAll({ concurrency: MIGRATE_CONCURRENCY });
  if (noop.migrated.length > 0 || noop.failed.length > 0) {
    problems.push(`migrate --all (nothing pending): expected no work, migrated ${noop.migrated.length}, failed ${noop.failed.length}`);
  }
  log(`  nothing pending: ${noop.seconds.toFixed(3)} s; now with one real pending migration (two columns, an index) …`);
  const pending = await migrateWithExtraMigration(dataSource);
  if (pending.failed.length > 0) {
    problems.push(`migrate --all (one pending): ${pending.failed.length} failed, e.g. ${pending.failed[0].slug}: ${pending.failed[0].error}`);
  }
  if (pending.migrated.length !== clinics) problems.push(`migrate --all (one pending): migrated ${pending.migrated.length} of ${clinics} clinics`);
  return {
    noop: { seconds: noop.seconds, clinics: noop.total },
    pending: { seconds: pending.seconds, clinics: pending.total, migrated: pending.migrated.length, failed: pending.failed.length },
  };
}

/**
 * A migration of the kind a release brings: a nullable column, a column with a default (added the
 * way scripts/check-sql.js asks: bare, then default, fill, NOT NULL) and an index on the largest
 * table. The sample clinics with data make its UPDATE and index build do real work.
 */
const BENCH_MIGRATION = `-- Written by the benchmark: times \`migrate --all\` with one real pending migration.
-- migrate:up
ALTER TABLE patients
  ADD COLUMN preferred_name text CHECK (length(preferred_name) <= 100),
  ADD COLUMN sms_reminders boolean,
  ALTER COLUMN sms_reminders SET DEFAULT true;
UPDATE patients SET sms_reminders = true;
ALTER TABLE patients ALTER COLUMN sms_reminders SET NOT NULL;
CREATE INDEX appointments_bench_status_idx ON appointments (status, starts_at);

-- migrate:down
DROP INDEX appointments_bench_status_idx;
ALTER TABLE patients DROP COLUMN sms_reminders, DROP COLUMN preferred_name;
`;

/** The real tenant migrations plus BENCH_MIGRATION, in a folder of their own. */
async function migrateWithExtraMigration(dataSource: DataSource): Promise<MigrateAllSummary> {
  const dir = mkdtempSync(join(os.tmpdir(), 'clinic-bench-migrations-'));
  try {
    const source = join(PROJECT_ROOT, 'migrations', 'tenant');
    for (const file of readdirSync(source)) copyFileSync(join(source, file), join(dir, file));
    writeFileSync(
      join(dir, '99991231235959_bench_release.sql'), BENCH_MIGRATION);
    return await new SchemaMigrator(dataSource, MigrationSet.load('tenant', dir)).migrateAll({ concurrency: MIGRATE_CONCURRENCY });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The report

function reportRows(results: BenchResults): ReportRow[] {
  const rows: ReportRow[] = [];
  const { provisioning: p, http: h, migrations: m } = results;
  if (p) {
    rows.push(row('Provision one clinic, median', ms(p.medianMs), `≤ ${TARGETS.provisionMedianMs} ms`, p.medianMs <= TARGETS.provisionMedianMs));
    rows.push(row('Provision one clinic, p95', ms(p.p95Ms)));
    if (p.firstThousand && p.lastThousand) {
      rows.push(row(`Provision the first ${TARGET_SCALE} clinics (creates only)`, s(p.firstThousand.totalSeconds), `≤ ${TARGETS.provisionAllSeconds} s`, p.firstThousand.totalSeconds <= TARGETS.provisionAllSeconds));
      rows.push(row(`Provision one clinic, median of the first / last ${TARGET_SCALE}`, `${ms(p.firstThousand.medianMs)} / ${ms(p.lastThousand.medianMs)}`));
      rows.push(row(`Provision all ${p.clinics} clinics (creates only)`, s(p.totalSeconds)));
    } else {
      rows.push(...atScale('Provision all clinics (creates only)', p.totalSeconds, p.clinics, TARGETS.provisionAllSeconds));
    }
  }
  if (results.serverSettle) {
    const { seconds, settled } = results.serverSettle;
    rows.push(row('Postgres settled after provisioning: catalogs vacuumed, checkpoint, quiet (before any measurement)', settled ? s(seconds) : `not quiet within ${s(seconds)}: measured anyway`));
  }
  if (h) {
    rows.push(row(`Bare route ${h.bare.target}: req/s`, h.bare.requestsPerSecond.toFixed(0)));
    rows.push(row('Bare route: p99 latency', ms(h.bare.latencyP99Ms)));
    rows.push(row(`Clinic page ${h.clinicPageFew.target}: req/s`, h.clinicPageFew.requestsPerSecond.toFixed(0)));
    rows.push(row(`Clinic page ${h.clinicPageFew.target}: p50 / p99 latency`, `${ms(h.clinicPageFew.latencyP50Ms)} / ${ms(h.clinicPageFew.latencyP99Ms)}`));
    if (h.clinicPageMid) {
      rows.push(row(`Clinic page ${h.clinicPageMid.target}: req/s`, h.clinicPageMid.requestsPerSecond.toFixed(0)));
      rows.push(row(`Clinic page ${h.clinicPageMid.target}: p50 / p99 latency`, `${ms(h.clinicPageMid.latencyP50Ms)} / ${ms(h.clinicPageMid.latencyP99Ms)}`));
    }
    rows.push(row(`Clinic page ${h.clinicPage.target}: req/s`, h.clinicPage.requestsPerSecond.toFixed(0)));
    rows.push(row(`Clinic page ${h.clinicPage.target}: p50 / p99 latency`, `${ms(h.clinicPage.latencyP50Ms)} / ${ms(h.clinicPage.latencyP99Ms)}`));
    rows.push(...spreadRows(h, results.options.tenants));
    rows.push(...cpuRows(h));
    const failures = h.clinicPage.non2xx + h.clinicPage.errors + h.clinicPage.wrongBodies + h.bare.non2xx + h.bare.errors;
    rows.push({
      figure: 'Non-2xx, connection errors, wrong pages',
      measured: `${h.clinicPage.non2xx + h.bare.non2xx} / ${h.clinicPage.errors + h.bare.errors} / ${h.clinicPage.wrongBodies}`,
      target: '0 / 0 / 0',
      verdict: failures === 0 ? 'ok' : 'ERROR',
    });
    rows.push(row('Ratio clinic page ÷ bare route (req/s, in alternation)', pairedText(h), `≥ ${TARGETS.ratio}`, h.ratio >= TARGETS.ratio));
    if (h.appRssMb !== undefined) rows.push(row('App resident memory after the clinic run', `${h.appRssMb.toFixed(0)} MB`));
    if (h.postgres) {
      const pss = h.postgres.pssMb === undefined ? 'not readable here' : `${h.postgres.pssMb.toFixed(0)} MB`;
      rows.push(row('Postgres backends of the bench database: count / their memory (PSS)', `${h.postgres.backends} / ${pss}`));
    }
    if (h.board) rows.push(...boardRows(h.board));
    if (h.dashboard) rows.push(...dashboardRows(h.dashboard));
  }
  if (results.jobs) {
    const { busy, idle } = results.jobs;
    rows.push(
      ...atScale(`Jobs run-jobs with work (${busy.noShows} no-shows, ${busy.reminders} reminders, ${busy.sent} sent)`, busy.jobsSeconds, busy.clinics, TARGETS.jobsSweepSeconds),
    );
    rows.push(...atScale('Jobs run-jobs with nothing to do', idle.jobsSeconds, idle.clinics, TARGETS.jobsSweepSeconds));
    rows.push(row('Jobs run-jobs with work: whole command (boot to exit)', s(busy.wallSeconds)));
  }
  if (m) {
    rows.push(...atScale('migrate --all, nothing pending', m.noop.seconds, m.noop.clinics, TARGETS.migrateNoopSeconds));
    rows.push(...atScale('migrate --all, one real migration', m.pending.seconds, m.pending.clinics, TARGETS.migratePendingSeconds));
    rows.push({
      figure: 'Clinics migrated / failed',
      measured: `${m.pending.migrated} / ${m.pending.failed}`,
      target: `${m.pending.clinics} / 0`,
      verdict: m.pending.failed === 0 && m.pending.migrated === m.pending.clinics ? 'ok' : 'ERROR',
    });
  }
  return rows;
}

/** The today board's figures: measured, with no target (none is stated for a 1,000-appointment page). */
function boardRows(b: BoardFigures): ReportRow[] {
  const runs = [
    ['cached', 'cached', b.cached],
    ['uncached', 'uncached (BOARD_CACHE_SECONDS=0)', b.uncached],
  ] as const;
  const measured = runs.flatMap(([, , f]) => (f ? [f] : []));
  const size = b.pageBytes === undefined ? '?' : `${(b.pageBytes / 1024).toFixed(0)} kB`;
  const rows: ReportRow[] = [
    row('Today board GET /reception: appointments / page size / connections', `${b.appointments} / ${size} / ${measured[0]?.connections ?? '?'}`),
  ];
  for (const [short, label, f] of runs) {
    if (!f) {
      rows.push({ figure: `Today board, ${label}`, measured: 'failed', target: '—', verdict: 'ERROR' });
      continue;
    }
    rows.push(row(`Today board, ${label}: req/s`, f.requestsPerSecond.toFixed(0)));
    rows.push(row(`Today board, ${short}: p99 latency`, ms(f.latencyP99Ms)));
    rows.push(row(`Ratio today board ${short} ÷ bare route (req/s, in alternation)`, pairedText(f, 3)));
  }
  if (measured.length > 0) {
    const sum = (pick: (f: BoardLoadFigures) => number) => measured.reduce((total, f) => total + pick(f), 0);
    const failures = sum((f) => f.non2xx + f.errors + f.wrongBodies);
    rows.push({
      figure: 'Today board: non-2xx, connection errors, wrong pages',
      measured: `${sum((f) => f.non2xx)} / ${sum((f) => f.errors)} / ${sum((f) => f.wrongBodies)}`,
      target: '0 / 0 / 0',
      verdict: failures === 0 ? 'ok' : 'ERROR',
    });
  }
  return rows;
}

/**
 * The clinic page spread over every clinic against the same page over FEW_CLINICS: p99 latency and
 * the app's memory. The targets are stated for 1,000 and 10,000 clinics; below 1,000 the figures are
 * shown without a verdict (spreading over a few hundred clinics says little about 1,000).
 */
function spreadRows(h: HttpFigures, clinics: number): ReportRow[] {
  if (clinics <= FEW_CLINICS) return [];
  const p99Ratio = h.clinicPage.latencyP99Ms / Math.max(h.clinicPageFew.latencyP99Ms, 1);
  const limit = clinics >= 10 * TARGET_SCALE ? TARGETS.spreadP99RatioAt10k : TARGETS.spreadP99Ratio;
  const judged = clinics >= TARGET_SCALE;
  const rows: ReportRow[] = [];
  if (h.clinicPageMid) {
    const midRatio = h.clinicPageMid.latencyP99Ms / Math.max(h.clinicPageFew.latencyP99Ms, 1);
    rows.push(row(`p99 over ${TARGET_SCALE} ÷ p99 over ${FEW_CLINICS} clinics`, midRatio.toFixed(2), `≤ ${TARGETS.spreadP99Ratio}`, midRatio <= TARGETS.spreadP99Ratio));
  }
  rows.push(
    row(
      `p99 over ${clinics} ÷ p99 over ${FEW_CLINICS} clinics`,
      p99Ratio.toFixed(2),
      judged ? `≤ ${limit}` : `(stated for 1,000: ≤ ${TARGETS.spreadP99Ratio})`,
      judged ? p99Ratio <= limit : undefined,
    ),
  );
  if (h.appRssMb !== undefined && h.appRssFewMb !== undefined) {
    const growth = h.appRssMb - h.appRssFewMb;
    rows.push(
      row(
        `App memory growth, ${FEW_CLINICS} → ${clinics} clinics under the same load`,
        `${growth.toFixed(0)} MB (${h.appRssFewMb.toFixed(0)} → ${h.appRssMb.toFixed(0)})`,
        `≤ ${TARGETS.rssGrowthMb} MB (stated for 10,000)`,
        clinics >= 10 * TARGET_SCALE ? growth <= TARGETS.rssGrowthMb : undefined,
      ),
    );
  }
  return rows;
}

/** CPU per request of the bare route and of the clinic page at each spread: which side a slower run spent it on. */
function cpuRows(h: HttpFigures): ReportRow[] {
  const runs = [h.bare, h.clinicPageFew, h.clinicPageMid, h.clinicPage].filter((run): run is LoadFigures => run?.cpu !== undefined);
  return runs.map(({ target, cpu }) =>
    row(`CPU per request, ${target}: app / Postgres`, `${cpu!.appUs.toFixed(0)} / ${cpu!.postgresUs === undefined ? 'not readable here' : `${cpu!.postgresUs.toFixed(0)}`} µs`),
  );
}

function row(figure: string, measured: string, target = '—', met?: boolean): ReportRow {
  return { figure, measured, target, verdict: met === undefined ? '' : met ? 'met' : 'MISSED' };
}

/**
 * A figure whose target is stated for 1,000 clinics. Below that, the measured figure is shown as is
 * and a linear extrapolation is judged against the target — labelled as such, because both times
 * grow a little faster than linearly as the catalog grows.
 */
function atScale(figure: string, seconds: number, clinics: number, limitSeconds: number): ReportRow[] {
  const target = `≤ ${limitSeconds} s for 1,000`;
  if (clinics === TARGET_SCALE) return [row(`${figure} (${clinics} clinics)`, s(seconds), target, seconds <= limitSeconds)];
  if (clinics > TARGET_SCALE) {
    // the same work per clinic, so the limit grows with the count: judged per 1,000
    const perThousand = (seconds * TARGET_SCALE) / clinics;
    return [row(`${figure} (${clinics} clinics; per 1,000: ${s(perThousand)})`, s(seconds), target, perThousand <= limitSeconds)];
  }
  const extrapolated = (seconds * TARGET_SCALE) / Math.max(clinics, 1);
  const met = extrapolated <= limitSeconds;
  return [
    row(`${figure} (${clinics} clinics, measured)`, s(seconds), '(stated for 1,000)'),
    { figure: `${figure}: EXTRAPOLATED linearly to 1,000`, measured: s(extrapolated), target, verdict: `${met ? 'met' : 'MISSED'} (extrapolated)` },
  ];
}

function printReport(results: BenchResults): void {
  const header: ReportRow = { figure: 'Figure', measured: 'Measured', target: 'Target (§5)', verdict: 'Verdict' };
  const rows = [header, ...results.report];
  const width = (key: keyof ReportRow) => Math.max(...rows.map((r) => r[key].length));
  const widths = { figure: width('figure'), measured: width('measured'), target: width('target') };
  const line = (r: ReportRow) =>
    `${r.figure.padEnd(widths.figure)}  ${r.measured.padStart(widths.measured)}  ${r.target.padEnd(widths.target)}  ${r.verdict}`.trimEnd();
  const o = results.options;
  const mc = results.machine;
  console.log('');
  console.log(
    `Benchmark: ${o.tenants} clinics, ${o.connections} connections, ${o.durationSeconds} s per HTTP run (after ${o.warmupSeconds} s warm-up); ` +
      `${mc.cpus} CPUs, Node ${mc.node}, ${results.database ? `Postgres ${results.database.serverVersion} (${results.database.kind}; ${Object.entries(results.database.settings).map(([k, v]) => `${k} ${v}`).join(', ')})` : 'no database'}`,
  );
  console.log(line(header));
  console.log('-'.repeat(line(header).length + 10));
  for (const r of results.report) console.log(line(r));
  const missed = results.report.filter((r) => r.verdict.startsWith('MISSED')).map((r) => r.figure);
  console.log('');
  console.log(missed.length ? `Targets missed: ${missed.join('; ')}` : 'Every target measured was met.');
  if (results.errors.length > 0) {
    console.log(`\nTHIS RUN HAD ERRORS (${results.errors.length}); its figures are not trustworthy:`);
    for (const error of results.errors) console.log(`  - ${error}`);
  }
  console.log(`\nWritten to ${resultsFile(results.options)}`);
}

function writeResults(results: BenchResults): void {
  const { report, ...figures } = results;
  const document = { ...figures, targets: TARGETS, extrapolatedTo1000: extrapolations(results), report };
  // three decimals are more than these measurements can tell apart, and keep the file readable
  const rounded = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value);
  mkdirSync(join(PROJECT_ROOT, 'bench'), { recursive: true });
  writeFileSync(resultsFile(results.options), `${JSON.stringify(document, rounded, 2)}\n`);
}

/** The figures stated for 1,000 clinics, scaled linearly from a smaller run (absent for runs of 1,000 or more). */
function extrapolations(results: BenchResults): Record<string, number> | undefined {
  const clinics = results.options.tenants;
  if (clinics >= TARGET_SCALE) return undefined;
  const scale = (seconds: number | undefined) => (seconds === undefined ? undefined : (seconds * TARGET_SCALE) / clinics);
  const values = {
    provisionAllSeconds: scale(results.provisioning?.totalSeconds),
    migrateNoopSeconds: scale(results.migrations?.noop.seconds),
    migratePendingSeconds: scale(results.migrations?.pending.seconds),
  };
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, number] => entry[1] !== undefined));
}

function machineFacts(): BenchResults['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
  };
}

// ---------------------------------------------------------------------------------------------
// The run

/** Runs every phase; a phase that fails is recorded and the phases that do not depend on it still run. */
async function runPhases(options: BenchOptions, results: BenchResults, teardown: Teardown): Promise<void> {
  const remembered: { platformId?: string } = {};
  const database = await openBenchDatabase(teardown, remembered);
  log(`Benchmark database ${database.name} (${database.kind})`);
  const dataSource = await openDataSource({ dbPoolMax: MIGRATE_CONCURRENCY + 1 }, database.url, 'clinic-bench');
  teardown.add("close the benchmark's pool", () => dataSource.destroy());
  const [{ server_version: serverVersion }] = (await dataSource.query('SHOW server_version')) as { server_version: string }[];
  const settings = (await dataSource.query(
    `SELECT name, current_setting(name) AS value FROM pg_settings WHERE name IN ('max_files_per_process', 'shared_buffers') ORDER BY name`,
  )) as { name: string; value: string }[];
  results.database = { kind: database.kind, serverVersion, settings: Object.fromEntries(settings.map((row) => [row.name, row.value])) };

  await new SchemaMigrator(dataSource).migratePlatform();
  remembered.platformId = ((await dataSource.query('SELECT id FROM platform.instance')) as { id: string }[])[0]?.id;

  log(`Provisioning ${options.tenants} clinics with ${DOCTORS_PER_CLINIC} doctors each …`);
  results.provisioning = await provisionClinics(dataSource, options.tenants);

  results.serverSettle = await serverSettled(dataSource);

  log('HTTP: starting the built app (node dist/src/main.js, NODE_ENV=production, LOG_LEVEL=warn) …');
  await phase('HTTP', results, async () => {
    results.http = await measureHttp(database.url, dataSource, options, teardown, results.errors);
  });

  log(`Jobs: npm run tenant -- run-jobs over ${options.tenants} clinics …`);
  await phase('jobs', results, async () => {
    results.jobs = await measureJobs(database.url, dataSource, results.errors);
  });

  log(`Migrations: migrate --all over ${options.tenants} clinics, concurrency ${MIGRATE_CONCURRENCY} …`);
  await phase('migrations', results, async () => {
    results.migrations = await measureMigrations(dataSource, options.tenants, results.errors);
  });
}

async function phase(name: string, results: BenchResults, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    results.errors.push(`${name}: ${messageOf(error)}`);
  }
}

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${messageOf(error)}\n${USAGE}`);
    return 1;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (!existsSync(APP_ENTRY)) {
    console.error(`${APP_ENTRY} is missing: run "npm run bench" (which builds first), not the script directly.`);
    return 1;
  }

  const results: BenchResults = {
    date: new Date().toISOString(),
    ok: false,
    errors: [],
    options: { ...options, warmupSeconds: WARMUP_SECONDS },
    machine: machineFacts(),
    report: [],
  };
  const teardown = new Teardown();
  cleanUpOnSignals(teardown);
  try {
    await runPhases(options, results, teardown);
  } catch (error) {
    results.errors.push(messageOf(error));
  } finally {
    log('Cleaning up: stopping the app, dropping the benchmark database and its clinic roles …');
    for (const failure of await teardown.run()) results.errors.push(`cleanup: ${failure}`);
  }
  results.report = reportRows(results);
  results.ok = results.errors.length === 0;
  writeResults(results);
  printReport(results);
  return results.ok ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function log(line: string): void {
  if (!interrupted) console.log(line);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function millisecondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Linear interpolation between closest ranks, over ascending values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const s = (value: number) => `${value.toFixed(value < 1 ? 3 : value < 10 ? 2 : 1)} s`;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

function withTimeout<T>(work: Promise<T>, milliseconds: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} took longer than ${milliseconds / 1000} s`)), milliseconds);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

main().then(
  (code) => {
    // after a signal, the signal handler decides the exit code once cleanup is done
    if (!interrupted) process.exit(code);
  },
  (error: unknown) => {
    console.error(`The benchmark failed: ${messageOf(error)}`);
    process.exit(1);
  },
);
