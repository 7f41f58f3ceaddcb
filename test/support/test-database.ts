import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../../src/config/app-config';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * Where the tests' databases live: the server at DATABASE_URL when set, else an embedded Postgres
 * of the tests' own (its own folder and port, so it never touches the app's).
 */
export async function testServer(): Promise<{ adminUrl: string; embedded?: EmbeddedDatabase }> {
  const configured = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL;
  if (configured) return { adminUrl: configured };
  const embedded = await startEmbeddedPostgres({ dir: join(PROJECT_ROOT, '.data', 'test-pg'), port: 54331, database: 'postgres' });
  return { adminUrl: embedded.adminUrl, embedded };
}

export const uniqueDatabaseName = (prefix: string) => `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createDatabase(adminUrl: string, database: string): Promise<string> {
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(database)}`));
  return databaseUrl(adminUrl, database);
}

/**
 * Drops a test database and the cluster-wide clinic roles its platform created (roles outlive
 * databases: their names start with `c<12 hex of the platform id>_`).
 */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  let prefix: string | undefined;
  await withClient(databaseUrl(adminUrl, database), async (c) => {
    const found = await c.query(`SELECT to_regclass('platform.instance') IS NOT NULL AS present`);
    if (!found.rows[0].present) return;
    const rows = await c.query('SELECT id FROM platform.instance');
    if (rows.rows[0]) prefix = `c${String(rows.rows[0].id).replace(/-/g, '').slice(0, 12)}_`;
  }).catch(() => undefined);
  await withClient(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(database)} WITH (FORCE)`);
    if (!prefix) return;
    const roles = await c.query('SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)', [prefix]);
    for (const { rolname } of roles.rows) await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(rolname)}`);
  });
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
