import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { closeGracefully, createApp, type CreateAppOptions } from '../../src/app.factory';
import type { AffinePool } from '../../src/database/affine-pool';
import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { enterTenant, inTransaction } from '../../src/database/sql';
import { type CreateClinicInput, type ProvisioningHooks, ProvisioningService } from '../../src/platform/provisioning.service';
import { SchemaMigrator } from '../../src/platform/schema-migrator';
import type { Tenant } from '../../src/platform/tenant';
import { hashPassword } from '../../src/users/passwords';
import type { UserRole } from '../../src/users/user.entity';

export const BASE_DOMAIN = 'localhost';

export function testConfig(overrides: NodeJS.ProcessEnv = {}): AppConfig {
  return loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    BASE_DOMAIN,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    DB_POOL_MAX: '10',
    ...overrides,
  });
}

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly config: AppConfig;
  readonly dataSource: DataSource;
  /** `http://127.0.0.1:<port>`; send a Host header to pick the clinic. */
  readonly url: string;
  readonly pool: AffinePool;
  close(): Promise<void>;
}

/** The real app on the run's database, listening on a free port. */
export async function startTestApp(options: CreateAppOptions & { env?: NodeJS.ProcessEnv } = {}): Promise<TestApp> {
  const config = testConfig(options.env);
  const app = await createApp(config, config.databaseUrl!, options);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const dataSource = app.get(DataSource);
  return {
    app,
    config,
    dataSource,
    url: `http://127.0.0.1:${address.port}`,
    pool: (dataSource.driver as PostgresDriver).master as AffinePool,
    close: () => closeGracefully(app),
  };
}

let counter = 0;
/** A slug no other test (or earlier run on a shared server) uses. */
export const uniqueSlug = (prefix: string) => `${prefix}-${++counter}-${randomBytes(3).toString('hex')}`;

export function provisioning(dataSource: DataSource, hooks?: ProvisioningHooks): ProvisioningService {
  return new ProvisioningService(dataSource, new SchemaMigrator(dataSource), BASE_DOMAIN, hooks);
}

export function createClinic(dataSource: DataSource, input: Partial<CreateClinicInput> & { slug: string }): Promise<Tenant> {
  return provisioning(dataSource).create({ displayName: `Clinic ${input.slug}`, ...input });
}

/** Runs SQL as the clinic (its schema and role), outside any HTTP request. */
export function asClinic<T>(dataSource: DataSource, tenant: Tenant, sql: string, params: unknown[] = []): Promise<T> {
  return inTransaction(dataSource, async (runner) => {
    await enterTenant(runner, tenant);
    return runner.query(sql, params) as Promise<T>;
  });
}

export interface TestUser {
  readonly id: string;
  readonly username: string;
  readonly password?: string;
  readonly phone?: string;
  readonly fullName: string;
  readonly role: UserRole;
}

/** A user of the clinic: staff with an argon2id password, patients with a phone (E.164) and no password. */
export async function createUser(
  dataSource: DataSource,
  tenant: Tenant,
  input: { role: UserRole; username?: string; password?: string; phone?: string; fullName?: string; isActive?: boolean },
): Promise<TestUser> {
  const username = input.username ?? `${input.role}${randomBytes(4).toString('hex')}`;
  const fullName = input.fullName ?? `Test ${input.role} ${username}`;
  const password = input.role === 'patient' ? undefined : (input.password ?? `pw-${randomBytes(8).toString('hex')}`);
  const hash = password ? await hashPassword(password) : null;
  const [row] = await asClinic<{ id: string }[]>(
    dataSource,
    tenant,
    `INSERT INTO users (username, full_name, role, password_hash, phone, is_active) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [username, fullName, input.role, hash, input.phone ?? null, input.isActive ?? true],
  );
  return { id: row.id, username, password, phone: input.phone, fullName, role: input.role };
}

export function addDoctor(dataSource: DataSource, tenant: Tenant, fullName: string): Promise<unknown> {
  const username = `dr${randomBytes(4).toString('hex')}`;
  return asClinic(dataSource, tenant, `INSERT INTO users (username, full_name, role, password_hash) VALUES ($1, $2, 'doctor', 'x')`, [
    username,
    fullName,
  ]);
}

/** Polls until `check` passes (for effects that arrive asynchronously, e.g. a registry NOTIFY). */
export async function eventually(check: () => Promise<void>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
