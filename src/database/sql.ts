import { AsyncLocalStorage } from 'node:async_hooks';
import { escapeIdentifier, escapeLiteral } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';

/** Quotes an identifier with the driver's escaping; identifiers are never concatenated from input. */
export const ident = (name: string): string => escapeIdentifier(name);

export interface TenantSession {
  readonly schemaName: string;
  readonly roleName: string;
}

export interface SessionTimeouts {
  readonly statementTimeoutMs: number;
  readonly idleInTransactionTimeoutMs: number;
}

/**
 * The statement that points the current transaction at one clinic: its schema first on the
 * search_path and its role as the current role, both transaction-local (`set_config(..., true)`), so
 * they vanish at COMMIT or ROLLBACK and a pooled connection never carries one clinic's settings into
 * the next request. The values are inlined as quoted literals, so the statement needs no parameters
 * and can share one round trip with START TRANSACTION (see inLazyTransaction).
 */
export function tenantSettings(tenant: TenantSession, timeouts?: SessionTimeouts): string {
  const settings: [string, string][] = [
    ['search_path', `${ident(tenant.schemaName)}, public`],
    ['role', tenant.roleName],
  ];
  if (timeouts) {
    settings.push(['statement_timeout', `${timeouts.statementTimeoutMs}ms`], ['idle_in_transaction_session_timeout', `${timeouts.idleInTransactionTimeoutMs}ms`]);
  }
  return `SELECT ${settings.map(([name, value]) => `set_config(${escapeLiteral(name)}, ${escapeLiteral(value)}, true)`).join(', ')}`;
}

/** Points the current transaction at one clinic (tenantSettings). One round trip. */
export async function enterTenant(runner: QueryRunner, tenant: TenantSession, timeouts?: SessionTimeouts): Promise<void> {
  await runner.query(tenantSettings(tenant, timeouts));
}

/** Back to the login role inside the same transaction (for platform rows written after tenant DDL). */
export async function leaveTenant(runner: QueryRunner): Promise<void> {
  await runner.query(`SELECT set_config('role', 'none', true), set_config('search_path', 'platform', true)`);
}

/** An error carrying this property set to true is rethrown after its transaction is committed, not rolled back. */
export const KEEP_WRITES = Symbol('keepWrites');

const keepsWrites = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { [KEEP_WRITES]?: unknown })[KEEP_WRITES] === true;

/**
 * Runs `work` in one transaction on one pooled connection: committed, or rolled back on any error
 * (except an error marked KEEP_WRITES: a refusal that must keep what it recorded).
 */
export async function inTransaction<T>(dataSource: DataSource, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const result = await work(runner);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) {
      if (keepsWrites(error)) await runner.commitTransaction();
      else await runner.rollbackTransaction().catch(() => undefined);
    }
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * Like `inTransaction`, but the connection is taken and the transaction begun only when `work` sends
 * its first query; work that sends none — a page served from the cache — costs the database nothing.
 * `beginSql` (e.g. tenantSettings) is sent with START TRANSACTION in the same round trip, and every
 * query waits for both, so none can run before the session is set up.
 */
export async function inLazyTransaction<T>(dataSource: DataSource, beginSql: string, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const query = runner.query.bind(runner) as QueryRunner['query'];
  let opening: Promise<void> | undefined;
  let begun = false;
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    if (OPENING.getStore() === runner) {
      // TypeORM's startTransaction sends exactly this; the session setup rides along with it
      if (args[0] !== 'START TRANSACTION' || begun) return query(...args);
      begun = true;
      return query(`START TRANSACTION; ${beginSql}`);
    }
    opening ??= OPENING.run(runner, async () => {
      await runner.startTransaction();
      // fail loudly rather than run a clinic's queries in a transaction that was never pointed at it
      if (!begun) throw new Error('inLazyTransaction: START TRANSACTION was not seen, so the session setup was not sent');
    });
    return opening.then(() => query(...args));
  }) as QueryRunner['query'];
  try {
    const result = await work(runner);
    if (opening) {
      await opening;
      await runner.commitTransaction();
    }
    return result;
  } catch (error) {
    if (opening && runner.isTransactionActive) {
      if (keepsWrites(error)) await runner.commitTransaction();
      else await runner.rollbackTransaction().catch(() => undefined);
    }
    throw error;
  } finally {
    await runner.release();
  }
}

const OPENING = new AsyncLocalStorage<QueryRunner>();

/** Postgres SQLSTATE of a driver error, if any. */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The constraint a unique/foreign-key violation names, if any. */
export function violatedConstraint(error: unknown): string | undefined {
  const e = error as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const name = e?.driverError?.constraint ?? e?.constraint;
  return typeof name === 'string' ? name : undefined;
}
