import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { Language } from '../i18n/i18n';
import type { Tenant, TenantStatus } from './tenant';

/** Anything that can run a query: the root DataSource, a QueryRunner inside a transaction, a manager. */
type Queryable = Pick<DataSource | QueryRunner | EntityManager, 'query'>;

export interface TenantListing extends Tenant {
  readonly domains: { host: string; isPrimary: boolean }[];
}

/** The registry channel: a NOTIFY on it (sent inside the changing transaction) clears every app's cache. */
export const REGISTRY_CHANNEL = 'clinic_registry';

const TENANT_COLUMNS = `t.id, t.slug, t.schema_name, t.role_name, t.display_name, t.status, t.time_zone,
  t.currency, t.phone_region, t.language, t.schema_version, t.created_at`;

interface TenantRow {
  id: string;
  slug: string;
  schema_name: string;
  role_name: string;
  display_name: string;
  status: TenantStatus;
  time_zone: string;
  currency: string;
  phone_region: string;
  language: Language;
  schema_version: string;
  created_at: Date;
  domains?: { host: string; isPrimary: boolean }[] | null;
}

const toTenant = (row: TenantRow): Tenant => ({
  id: row.id,
  slug: row.slug,
  schemaName: row.schema_name,
  roleName: row.role_name,
  displayName: row.display_name,
  status: row.status,
  timeZone: row.time_zone,
  currency: row.currency,
  phoneRegion: row.phone_region,
  language: row.language,
  schemaVersion: row.schema_version,
  createdAt: row.created_at,
});

/** All SQL on the `platform` schema. Every name is schema-qualified: it never relies on a search_path. */
export class PlatformRepository {
  async platformId(db: Queryable): Promise<string> {
    const rows: { id: string }[] = await db.query('SELECT id FROM platform.instance');
    if (rows.length !== 1) throw new Error('platform.instance must hold exactly one row; run the platform migrations');
    return rows[0].id;
  }

  async findBySlug(db: Queryable, slug: string, options: { lock?: boolean } = {}): Promise<Tenant | null> {
    const rows: TenantRow[] = await db.query(
      `SELECT ${TENANT_COLUMNS} FROM platform.tenants t WHERE t.slug = $1${options.lock ? ' FOR UPDATE' : ''}`,
      [slug],
    );
    return rows[0] ? toTenant(rows[0]) : null;
  }

  /** A custom domain's clinic. */
  async findByDomain(db: Queryable, host: string): Promise<Tenant | null> {
    const rows: TenantRow[] = await db.query(
      `SELECT ${TENANT_COLUMNS} FROM platform.domains d JOIN platform.tenants t ON t.id = d.tenant_id WHERE d.host = $1`,
      [host],
    );
    return rows[0] ? toTenant(rows[0]) : null;
  }

  async list(db: Queryable): Promise<TenantListing[]> {
    const rows: TenantRow[] = await db.query(
      `SELECT ${TENANT_COLUMNS},
              COALESCE(json_agg(json_build_object('host', d.host, 'isPrimary', d.is_primary) ORDER BY d.is_primary DESC, d.host)
                       FILTER (WHERE d.host IS NOT NULL), '[]') AS domains
         FROM platform.tenants t LEFT JOIN platform.domains d ON d.tenant_id = t.id
        GROUP BY t.id ORDER BY t.slug`,
    );
    return rows.map((row) => ({ ...toTenant(row), domains: row.domains ?? [] }));
  }

  /** Clinics whose schema is behind `latest` (one indexed query: the no-op path of `migrate --all`). */
  async outdated(db: Queryable, latest: string): Promise<Tenant[]> {
    const rows: TenantRow[] = await db.query(
      `SELECT ${TENANT_COLUMNS} FROM platform.tenants t WHERE t.schema_version < $1 ORDER BY t.slug`,
      [latest],
    );
    return rows.map(toTenant);
  }

  /** Active clinics whose schema has at least `version` (those the background jobs can work on), by slug. */
  async activeAt(db: Queryable, version: string, slug?: string): Promise<Tenant[]> {
    const rows: TenantRow[] = await db.query(
      `SELECT ${TENANT_COLUMNS} FROM platform.tenants t
        WHERE t.status = 'active' AND t.schema_version >= $1 AND ($2::text IS NULL OR t.slug = $2) ORDER BY t.slug`,
      [version, slug ?? null],
    );
    return rows.map(toTenant);
  }

  async count(db: Queryable): Promise<number> {
    const rows: { n: number }[] = await db.query('SELECT count(*)::int AS n FROM platform.tenants');
    return rows[0].n;
  }

  async insertTenant(
    db: Queryable,
    tenant: { slug: string; schemaName: string; roleName: string; displayName: string; language: Language },
  ): Promise<Tenant> {
    const rows: TenantRow[] = await db.query(
      `INSERT INTO platform.tenants AS t (slug, schema_name, role_name, display_name, language) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${TENANT_COLUMNS}`,
      [tenant.slug, tenant.schemaName, tenant.roleName, tenant.displayName, tenant.language],
    );
    return toTenant(rows[0]);
  }

  async insertDomain(db: Queryable, host: string, tenantId: string, isPrimary: boolean): Promise<void> {
    await db.query('INSERT INTO platform.domains (host, tenant_id, is_primary) VALUES ($1, $2, $3)', [host, tenantId, isPrimary]);
  }

  async hasPrimaryDomain(db: Queryable, tenantId: string): Promise<boolean> {
    const rows: unknown[] = await db.query('SELECT 1 FROM platform.domains WHERE tenant_id = $1 AND is_primary', [tenantId]);
    return rows.length > 0;
  }

  /** Deletes a custom domain; returns the clinic it belonged to, or null if no such domain. */
  async deleteDomain(db: Queryable, host: string): Promise<{ tenantId: string; isPrimary: boolean } | null> {
    const rows: { tenant_id: string; is_primary: boolean }[] = await db.query(
      // a CTE, because TypeORM answers a bare DELETE … RETURNING with [rows, count] rather than rows
      'WITH removed AS (DELETE FROM platform.domains WHERE host = $1 RETURNING tenant_id, is_primary) SELECT * FROM removed',
      [host],
    );
    return rows[0] ? { tenantId: rows[0].tenant_id, isPrimary: rows[0].is_primary } : null;
  }

  /** Another custom domain of the clinic becomes primary when the primary one is removed. */
  async promoteNextPrimary(db: Queryable, tenantId: string): Promise<void> {
    await db.query(
      `UPDATE platform.domains SET is_primary = true
        WHERE host = (SELECT host FROM platform.domains WHERE tenant_id = $1 ORDER BY created_at, host LIMIT 1)`,
      [tenantId],
    );
  }

  async setStatus(db: Queryable, tenantId: string, status: TenantStatus): Promise<void> {
    await db.query('UPDATE platform.tenants SET status = $2, updated_at = now() WHERE id = $1', [tenantId, status]);
  }

  /**
   * The clinic's default language. Run by the operator's CLI, or by the owner inside the clinic's own
   * transaction as the clinic's role, which row-level security limits to its own row.
   */
  async setLanguage(db: Queryable, tenantId: string, language: Language): Promise<void> {
    await db.query('UPDATE platform.tenants SET language = $2, updated_at = now() WHERE id = $1', [tenantId, language]);
  }

  /** The settings a restored clinic brings from its backup (the rest of its row is written by insertTenant). */
  async setRestoredSettings(
    db: Queryable,
    tenantId: string,
    settings: { status: TenantStatus; timeZone: string; currency: string; phoneRegion: string },
  ): Promise<void> {
    await db.query('UPDATE platform.tenants SET status = $2, time_zone = $3, currency = $4, phone_region = $5 WHERE id = $1', [
      tenantId,
      settings.status,
      settings.timeZone,
      settings.currency,
      settings.phoneRegion,
    ]);
  }

  /** The clinic's tables, schema-qualified and quoted (for LOCK TABLE); empty for an unknown slug. */
  async tablesOf(db: Queryable, slug: string): Promise<string[]> {
    const rows: { name: string }[] = await db.query(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name
         FROM platform.tenants t JOIN pg_namespace n ON n.nspname = t.schema_name
         JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p')
        WHERE t.slug = $1 ORDER BY c.relname`,
      [slug],
    );
    return rows.map((r) => r.name);
  }

  async setSchemaVersion(db: Queryable, tenantId: string, version: string): Promise<void> {
    await db.query('UPDATE platform.tenants SET schema_version = $2, updated_at = now() WHERE id = $1', [tenantId, version]);
  }

  async deleteTenant(db: Queryable, tenantId: string): Promise<void> {
    await db.query('DELETE FROM platform.tenants WHERE id = $1', [tenantId]);
  }

  /** Delivered to every listening app instance when (and only if) the surrounding transaction commits. */
  async notifyRegistryChanged(db: Queryable, tenantId: string): Promise<void> {
    await db.query('SELECT pg_notify($1, $2)', [REGISTRY_CHANNEL, tenantId]);
  }
}
