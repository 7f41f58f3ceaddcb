import { AsyncLocalStorage } from 'node:async_hooks';
import { escapeIdentifier } from 'pg';
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
 * Points the current transaction at one clinic: its schema first on the search_path and its role as
 * the current role, both transaction-local (`set_config(..., true)`), so they vanish at COMMIT or
 * ROLLBACK and a pooled connection never carries one clinic's settings into the next request.
 * One round trip.
 */
export async function enterTenant(runner: QueryRunner, tenant: TenantSession, timeouts?: SessionTimeouts): Promise<void> {
  const searchPath = `${ident(tenant.schemaName)}, public`;
  if (!timeouts) {
    await runner.query(`SELECT set_config('search_path', $1, true), set_config('role', $2, true)`, [searchPath, tenant.roleName]);
    return;
  }
  await runner.query(
    `SELECT set_config('search_path', $1, true), set_config('role', $2, true),
            set_config('statement_timeout', $3, true), set_config('idle_in_transaction_session_timeout', $4, true)`,
    [searchPath, tenant.roleName, `${timeouts.statementTimeoutMs}ms`, `${timeouts.idleInTransactionTimeoutMs}ms`],
  );
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
 * Like `inTransaction`, but the connection is taken and the transaction begun (then `begin` run, e.g.
 * `enterTenant`) only when `work` sends its first query; work that sends none — a page served from the
 * cache — costs the database nothing. Every query waits for the transaction to be open, so none can
 * run before `begin` has set the session up.
 */
export async function inLazyTransaction<T>(
  dataSource: DataSource,
  begin: (runner: QueryRunner) => Promise<void>,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const query = runner.query.bind(runner) as QueryRunner['query'];
  let opening: Promise<void> | undefined;
  // the opening's own queries (START TRANSACTION, begin's) go straight through
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    if (OPENING.getStore() === runner) return query(...args);
    opening ??= OPENING.run(runner, async () => {
      await runner.startTransaction();
      await begin(runner);
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
