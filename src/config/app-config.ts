import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

/** The project's root folder (holds package.json, views/, migrations/), whether run from src/ or dist/. */
export const PROJECT_ROOT = resolveProjectRoot();

function resolveProjectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i += 1) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir;
    dir = resolve(dir, '..');
  }
  return process.cwd();
}

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const HOST_PORT_LIST = /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/;

/** Environment variables as read from the process, before defaults. Every name is in `.env.example`. */
class EnvVars {
  // outside production an embedded Postgres stands in; production never starts one
  @ValidateIf((env: EnvVars) => env.NODE_ENV === 'production' || env.DATABASE_URL !== undefined)
  @Transform(emptyToUndefined)
  @IsString({ message: 'DATABASE_URL is required when NODE_ENV=production' })
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL, e.g. postgres://user@127.0.0.1:5432/clinic' })
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379' })
  REDIS_URL?: string;

  // Redis behind Sentinel: the sentinels name the master, and the app follows it through a failover
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(HOST_PORT_LIST, {
    message: 'REDIS_SENTINELS must list host:port pairs separated by commas, e.g. 10.0.0.5:26379,10.0.0.6:26379',
  })
  REDIS_SENTINELS?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, { message: 'REDIS_SENTINEL_MASTER must be the master group name the sentinels monitor, e.g. mymaster' })
  REDIS_SENTINEL_MASTER?: string;

  // Redis Cluster: the seed nodes; the client learns the rest of the cluster (and each slot's owner) from them
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(HOST_PORT_LIST, {
    message: 'REDIS_CLUSTER_NODES must list host:port pairs separated by commas, e.g. 10.0.0.7:6379,10.0.0.8:6379',
  })
  REDIS_CLUSTER_NODES?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  REDIS_PASSWORD?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^(localhost|([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63})$/, {
    message: 'BASE_DOMAIN must be a lower-case host name without port or scheme, e.g. clinics.example.com',
  })
  BASE_DOMAIN?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(1, { message: 'PORT must be between 1 and 65535' })
  @Max(65535, { message: 'PORT must be between 1 and 65535' })
  PORT?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsIn(['development', 'production', 'test'], { message: 'NODE_ENV must be one of development, production, test' })
  NODE_ENV?: string;

  @ValidateIf((env: EnvVars) => env.NODE_ENV === 'production' || env.JWT_SECRET !== undefined)
  @Transform(emptyToUndefined)
  @IsString({ message: 'JWT_SECRET is required when NODE_ENV=production (at least 32 random characters)' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'DB_POOL_MAX must be a whole number' })
  @Min(1, { message: 'DB_POOL_MAX must be between 1 and 200' })
  @Max(200, { message: 'DB_POOL_MAX must be between 1 and 200' })
  DB_POOL_MAX?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'EMBEDDED_PG_PORT must be a whole number' })
  @Min(1024, { message: 'EMBEDDED_PG_PORT must be between 1024 and 65535' })
  @Max(65535, { message: 'EMBEDDED_PG_PORT must be between 1024 and 65535' })
  EMBEDDED_PG_PORT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'TENANT_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100, { message: 'TENANT_STATEMENT_TIMEOUT_MS must be at least 100' })
  TENANT_STATEMENT_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  DATA_DIR?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'STAFF_SESSION_IDLE_MINUTES must be a whole number of minutes' })
  @Min(1, { message: 'STAFF_SESSION_IDLE_MINUTES must be between 1 and 1440' })
  @Max(1440, { message: 'STAFF_SESSION_IDLE_MINUTES must be between 1 and 1440' })
  STAFF_SESSION_IDLE_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'PATIENT_SESSION_IDLE_MINUTES must be a whole number of minutes' })
  @Min(1, { message: 'PATIENT_SESSION_IDLE_MINUTES must be between 1 and 1440' })
  @Max(1440, { message: 'PATIENT_SESSION_IDLE_MINUTES must be between 1 and 1440' })
  PATIENT_SESSION_IDLE_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'SESSION_MAX_HOURS must be a whole number of hours' })
  @Min(1, { message: 'SESSION_MAX_HOURS must be between 1 and 168' })
  @Max(168, { message: 'SESSION_MAX_HOURS must be between 1 and 168' })
  SESSION_MAX_HOURS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'SIGN_IN_RATE_LIMIT must be a whole number of attempts' })
  @Min(1, { message: 'SIGN_IN_RATE_LIMIT must be between 1 and 10000' })
  @Max(10000, { message: 'SIGN_IN_RATE_LIMIT must be between 1 and 10000' })
  SIGN_IN_RATE_LIMIT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'BOARD_CACHE_SECONDS must be a whole number of seconds' })
  @Min(0, { message: 'BOARD_CACHE_SECONDS must be between 0 and 86400' })
  @Max(86400, { message: 'BOARD_CACHE_SECONDS must be between 0 and 86400' })
  BOARD_CACHE_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'DASHBOARD_CACHE_SECONDS must be a whole number of seconds' })
  @Min(0, { message: 'DASHBOARD_CACHE_SECONDS must be between 0 and 86400' })
  @Max(86400, { message: 'DASHBOARD_CACHE_SECONDS must be between 0 and 86400' })
  DASHBOARD_CACHE_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'SIGN_IN_RATE_WINDOW_SECONDS must be a whole number of seconds' })
  @Min(1, { message: 'SIGN_IN_RATE_WINDOW_SECONDS must be between 1 and 86400' })
  @Max(86400, { message: 'SIGN_IN_RATE_WINDOW_SECONDS must be between 1 and 86400' })
  SIGN_IN_RATE_WINDOW_SECONDS?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtps://user:password@smtp.example.com:465' })
  SMTP_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^([^<>\r\n]*<)?[^@\s<>]+@[^@\s<>]+>?$/, { message: 'MAIL_FROM must be an address, e.g. "Clinic <no-reply@clinics.example.com>"' })
  MAIL_FROM?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsIn(['on', 'off'], { message: 'JOBS must be on or off' })
  JOBS?: string;

  // a Bearer token (RFC 6750's characters), long enough that guessing it is hopeless, in every environment
  @IsOptional()
  @Transform(emptyToUndefined)
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters long (e.g. openssl rand -hex 32)' })
  @Matches(/^[A-Za-z0-9._~+/-]+=*$/, { message: 'METRICS_TOKEN may hold only letters, digits and . _ ~ + / - (then = padding)' })
  METRICS_TOKEN?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  BACKUP_DIR?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  PG_DUMP?: string;
}

export interface AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  /** Absent: an embedded Postgres is started under `<dataDir>/pg`. */
  readonly databaseUrl?: string;
  /** Absent (and no sentinels, no cluster): an in-memory store stands in for Redis. */
  readonly redisUrl?: string;
  /** Redis found through Sentinel instead of at one URL (`REDIS_SENTINELS`, `REDIS_SENTINEL_MASTER`, `REDIS_PASSWORD`). */
  readonly redisSentinel?: RedisSentinelConfig;
  /** Redis Cluster instead of one URL (`REDIS_CLUSTER_NODES`, `REDIS_PASSWORD`). */
  readonly redisCluster?: RedisClusterConfig;
  readonly baseDomain: string;
  readonly port: number;
  readonly jwtSecret: string;
  readonly dbPoolMax: number;
  readonly embeddedPgPort: number;
  readonly tenantStatementTimeoutMs: number;
  readonly tenantIdleInTransactionTimeoutMs: number;
  readonly logLevel: string;
  readonly dataDir: string;
  /** A session nobody used for this long is gone: staff 8 h, patients 30 min by default. */
  readonly staffSessionIdleSeconds: number;
  readonly patientSessionIdleSeconds: number;
  /** The token's lifetime: however active, a session ends after this and the person signs in again. */
  readonly sessionMaxSeconds: number;
  /** Sign-in attempts per client address per clinic in one window, over all sign-in endpoints. */
  readonly signInRateLimit: number;
  readonly signInRateWindowSeconds: number;
  /** How long the front desk's today board is cached (0: not cached, e.g. to measure the uncached board). */
  readonly boardCacheSeconds: number;
  /** How long the owner's dashboard numbers are kept (0: computed every time); any change to an appointment, invoice or payment makes them stale at once. */
  readonly dashboardCacheSeconds: number;
  /** Notices go through this SMTP server; absent, they are written to the development mailbox (`<dataDir>/outbox/`). */
  readonly smtpUrl?: string;
  readonly mailFrom: string;
  /** Whether this process runs the background jobs on their schedule (the no-show sweep, reminders, the outbox sender). */
  readonly jobsEnabled: boolean;
  /** `GET /metrics` answers with `Authorization: Bearer <this>`; absent, /metrics does not exist (404). */
  readonly metricsToken?: string;
  /** Where `tenant drop` keeps the backup it takes first (`<dataDir>/backups` by default). */
  readonly backupDir: string;
  /** The pg_dump backups use; absent, the newest one installed. */
  readonly pgDump?: string;
}

export interface RedisSentinelConfig {
  readonly sentinels: { host: string; port: number }[];
  readonly master: string;
  readonly password?: string;
}

export interface RedisClusterConfig {
  /** Seed nodes: any reachable one tells the client the whole cluster. */
  readonly nodes: { host: string; port: number }[];
  readonly password?: string;
}

/** The config's injection token (a class cannot be the token of a plain interface). */
export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment once; throws ConfigError listing every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = plainToInstance(EnvVars, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(vars, { skipMissingProperties: false });
  const problems = errors.flatMap((e) => Object.values(e.constraints ?? {}));
  const redisTargets = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter((name) => vars[name]);
  if (redisTargets.length > 1) problems.push(`set ${redisTargets.join(' or ')}, not ${redisTargets.length === 2 ? 'both' : 'all three'}`);
  if (problems.length > 0) throw new ConfigError(problems);
  const nodeEnv = (vars.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  const dataDir = resolve(PROJECT_ROOT, vars.DATA_DIR ?? '.data');
  const statementTimeout = vars.TENANT_STATEMENT_TIMEOUT_MS ?? 5000;
  return Object.freeze({
    nodeEnv,
    isProduction: nodeEnv === 'production',
    databaseUrl: vars.DATABASE_URL,
    redisUrl: vars.REDIS_URL,
    redisSentinel: vars.REDIS_SENTINELS
      ? {
          sentinels: hostPorts(vars.REDIS_SENTINELS),
          master: vars.REDIS_SENTINEL_MASTER ?? 'mymaster',
          password: vars.REDIS_PASSWORD,
        }
      : undefined,
    redisCluster: vars.REDIS_CLUSTER_NODES ? { nodes: hostPorts(vars.REDIS_CLUSTER_NODES), password: vars.REDIS_PASSWORD } : undefined,
    baseDomain: vars.BASE_DOMAIN ?? 'localhost',
    port: vars.PORT ?? 3000,
    jwtSecret: vars.JWT_SECRET ?? developmentJwtSecret(dataDir),
    dbPoolMax: vars.DB_POOL_MAX ?? 10,
    embeddedPgPort: vars.EMBEDDED_PG_PORT ?? 54329,
    tenantStatementTimeoutMs: statementTimeout,
    tenantIdleInTransactionTimeoutMs: statementTimeout * 2,
    logLevel: vars.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    dataDir,
    staffSessionIdleSeconds: (vars.STAFF_SESSION_IDLE_MINUTES ?? 8 * 60) * 60,
    patientSessionIdleSeconds: (vars.PATIENT_SESSION_IDLE_MINUTES ?? 30) * 60,
    sessionMaxSeconds: (vars.SESSION_MAX_HOURS ?? 12) * 3600,
    signInRateLimit: vars.SIGN_IN_RATE_LIMIT ?? 30,
    signInRateWindowSeconds: vars.SIGN_IN_RATE_WINDOW_SECONDS ?? 60,
    boardCacheSeconds: vars.BOARD_CACHE_SECONDS ?? 15 * 60,
    dashboardCacheSeconds: vars.DASHBOARD_CACHE_SECONDS ?? 15 * 60,
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM ?? `Clinic notices <no-reply@${vars.BASE_DOMAIN ?? 'localhost'}>`,
    // tests run the jobs by hand, at the moments they choose
    jobsEnabled: (vars.JOBS ?? (nodeEnv === 'test' ? 'off' : 'on')) === 'on',
    metricsToken: vars.METRICS_TOKEN,
    backupDir: resolve(PROJECT_ROOT, vars.BACKUP_DIR ?? join(dataDir, 'backups')),
    pgDump: vars.PG_DUMP,
  });
}

/** `host:port,host:port` (already checked against HOST_PORT_LIST) as addresses. */
function hostPorts(list: string): { host: string; port: number }[] {
  return list.split(',').map((pair) => {
    const at = pair.lastIndexOf(':');
    return { host: pair.slice(0, at), port: Number(pair.slice(at + 1)) };
  });
}

/** Outside production a missing JWT_SECRET is generated once and kept, so sessions survive restarts. */
function developmentJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
