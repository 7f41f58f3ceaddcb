import type { DataSource, QueryRunner } from 'typeorm';
import { enterTenant, ident, inTransaction, leaveTenant, sqlState, violatedConstraint } from '../database/sql';
import { DEFAULT_LANGUAGE, isLanguage, type Language, LANGUAGES } from '../i18n/i18n';
import { hashPassword, passwordProblem } from '../users/passwords';
import { PlatformRepository, type TenantListing } from './platform.repository';
import { SchemaMigrator } from './schema-migrator';
import { assertValidDomain, assertValidSlug, clinicGroupRoleFor, normalizeHost, PlatformException, roleNameFor, schemaNameFor, type Tenant, type TenantStatus } from './tenant';

export interface CreateClinicInput {
  readonly slug: string;
  readonly displayName: string;
  /** A custom domain that also reaches the clinic (made its primary domain). */
  readonly domain?: string;
  /** The clinic's first admin (owner) account. */
  readonly admin?: { readonly username: string; readonly password: string; readonly fullName?: string };
  /** The clinic's default language (English unless given). */
  readonly language?: string;
}

/** A clinic as a backup describes it (see src/backups). */
export interface RestoredClinic {
  readonly slug: string;
  readonly displayName: string;
  readonly status: TenantStatus;
  readonly language: string;
  readonly timeZone: string;
  readonly currency: string;
  readonly phoneRegion: string;
  readonly domains: readonly { readonly host: string; readonly isPrimary: boolean }[];
  /** The tenant migrations the backup's data was dumped at. */
  readonly migrations: readonly string[];
}

/** Points inside `create`, in order; a hook may stop there (tests) — the transaction then leaves nothing behind. */
export type ProvisioningStep = 'registered' | 'schema' | 'migrated' | 'admin';

export interface ProvisioningHooks {
  afterStep?(step: ProvisioningStep, tenant: Tenant): Promise<void>;
}

const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,64}$/;

function assertDisplayName(raw: string): string {
  const displayName = raw.trim();
  if (displayName.length < 1 || displayName.length > 200) {
    throw new PlatformException('invalid_input', 'The clinic name must be 1-200 characters long');
  }
  return displayName;
}

function assertLanguage(language: string): Language {
  if (!isLanguage(language)) {
    throw new PlatformException('invalid_input', `"${language}" is not a language the platform speaks: use one of ${LANGUAGES.join(', ')}`);
  }
  return language;
}

/** The operator's verbs on clinics. Each is one transaction: done completely, or refused with nothing changed. */
export class ProvisioningService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly migrator: SchemaMigrator,
    private readonly baseDomain: string,
    private readonly hooks: ProvisioningHooks = {},
    private readonly platform = new PlatformRepository(),
  ) {}

  async create(input: CreateClinicInput): Promise<Tenant> {
    const slug = assertValidSlug(input.slug);
    const displayName = assertDisplayName(input.displayName);
    const domain = input.domain === undefined ? undefined : assertValidDomain(input.domain, this.baseDomain);
    const language = assertLanguage(input.language ?? DEFAULT_LANGUAGE);
    const admin = input.admin ? await this.prepareAdmin(input.admin) : undefined;

    try {
      return await inTransaction(this.dataSource, async (runner) => {
        if (await this.platform.findBySlug(runner, slug)) throw clinicExists(slug);
        if (domain) await this.assertDomainFree(runner, domain);
        const platformId = await this.platform.platformId(runner);
        const registered = await this.register(runner, platformId, slug, displayName, language);
        if (domain) await this.platform.insertDomain(runner, domain, registered.id, true);
        await this.hooks.afterStep?.('registered', registered);

        await this.createSchema(runner, registered, platformId);
        await this.hooks.afterStep?.('schema', registered);

        const applied = await this.migrator.migrateSchemaInTransaction(runner, registered);
        const tenant: Tenant = { ...registered, schemaVersion: applied.at(-1) ?? '' };
        await this.hooks.afterStep?.('migrated', tenant);

        if (admin) {
          await enterTenant(runner, tenant);
          await runner.query(`INSERT INTO users (username, full_name, role, password_hash) VALUES ($1, $2, 'admin', $3)`, [
            admin.username,
            admin.fullName,
            admin.passwordHash,
          ]);
          await leaveTenant(runner);
          await this.hooks.afterStep?.('admin', tenant);
        }
        await this.platform.notifyRegistryChanged(runner, tenant.id);
        return tenant;
      });
    } catch (error) {
      throw translateConflict(error, slug, domain);
    }
  }

  /**
   * A clinic made again from a backup, in one transaction: registry row and settings, role, schema
   * built by exactly the migrations the backup was made at, `load` fills it, then the newer
   * migrations run. Refused, with nothing created, when the slug or a domain is taken.
   */
  async restore(input: RestoredClinic, load: (runner: QueryRunner, tenant: Tenant) => Promise<void>): Promise<Tenant> {
    const slug = assertValidSlug(input.slug);
    const displayName = assertDisplayName(input.displayName);
    const language = assertLanguage(input.language);
    const domains = input.domains.map((d) => ({ host: assertValidDomain(d.host, this.baseDomain), isPrimary: d.isPrimary }));
    try {
      return await inTransaction(this.dataSource, async (runner) => {
        if (await this.platform.findBySlug(runner, slug)) {
          throw new PlatformException('clinic_exists', `A clinic with slug "${slug}" already exists: restore never overwrites one (use --as <new-slug>)`);
        }
        for (const d of domains) await this.assertDomainFree(runner, d.host);
        const platformId = await this.platform.platformId(runner);
        const registered = await this.register(runner, platformId, slug, displayName, language);
        await this.platform.setRestoredSettings(runner, registered.id, input);
        for (const d of domains) await this.platform.insertDomain(runner, d.host, registered.id, d.isPrimary);
        await this.createSchema(runner, registered, platformId);
        await this.migrator.migrateSchemaInTransaction(runner, registered, { only: new Set(input.migrations) });
        await load(runner, registered);
        await this.migrator.migrateSchemaInTransaction(runner, registered);
        await this.platform.notifyRegistryChanged(runner, registered.id);
        return (await this.platform.findBySlug(runner, slug))!;
      });
    } catch (error) {
      throw translateConflict(error, slug, domains[0]?.host);
    }
  }

  list(): Promise<TenantListing[]> {
    return this.platform.list(this.dataSource);
  }

  get(slug: string): Promise<Tenant | null> {
    return this.platform.findBySlug(this.dataSource, slug);
  }

  /** Returns false when the clinic already had that status. */
  async setStatus(slug: string, status: TenantStatus): Promise<boolean> {
    return this.changeRegistryRow(slug, (t) => t.status === status, (runner, t) => this.platform.setStatus(runner, t.id, status));
  }

  /** Returns false when the clinic already had that language. */
  async setLanguage(slug: string, rawLanguage: string): Promise<boolean> {
    const language = assertLanguage(rawLanguage);
    return this.changeRegistryRow(slug, (t) => t.language === language, (runner, t) => this.platform.setLanguage(runner, t.id, language));
  }

  /** One change to a clinic's registry row, under its lock, announced to every app; false when it was already so. */
  private changeRegistryRow(slug: string, already: (tenant: Tenant) => boolean, change: (runner: QueryRunner, tenant: Tenant) => Promise<void>): Promise<boolean> {
    return inTransaction(this.dataSource, async (runner) => {
      const tenant = await this.lockExisting(runner, slug);
      if (already(tenant)) return false;
      await change(runner, tenant);
      await this.platform.notifyRegistryChanged(runner, tenant.id);
      return true;
    });
  }

  async addDomain(slug: string, rawHost: string): Promise<{ host: string; isPrimary: boolean }> {
    const host = assertValidDomain(rawHost, this.baseDomain);
    try {
      return await inTransaction(this.dataSource, async (runner) => {
        const tenant = await this.lockExisting(runner, slug);
        await this.assertDomainFree(runner, host);
        const isPrimary = !(await this.platform.hasPrimaryDomain(runner, tenant.id));
        await this.platform.insertDomain(runner, host, tenant.id, isPrimary);
        await this.platform.notifyRegistryChanged(runner, tenant.id);
        return { host, isPrimary };
      });
    } catch (error) {
      throw translateConflict(error, slug, host);
    }
  }

  async removeDomain(rawHost: string): Promise<void> {
    const host = normalizeHost(rawHost) || rawHost.trim();
    await inTransaction(this.dataSource, async (runner) => {
      const removed = await this.platform.deleteDomain(runner, host);
      if (!removed) throw new PlatformException('domain_not_found', `No clinic uses the domain ${host}`);
      if (removed.isPrimary) await this.platform.promoteNextPrimary(runner, removed.tenantId);
      await this.platform.notifyRegistryChanged(runner, removed.tenantId);
    });
  }

  /**
   * Drops the clinic's schema with all its data, its role, and its registry rows. Irreversible.
   * With `keep` (the backup), the transaction first takes SHARE locks on every table of the clinic,
   * then runs `keep` on a REPEATABLE READ snapshot taken after them: no write can land between what
   * `keep` saw and the drop.
   */
  async drop(slug: string, keep?: (runner: QueryRunner, tenant: Tenant) => Promise<void>): Promise<void> {
    const tables = keep ? await this.platform.tablesOf(this.dataSource, slug) : [];
    await inTransaction(this.dataSource, async (runner) => {
      if (keep) {
        // before any query: a REPEATABLE READ snapshot is taken by the first statement after LOCK
        await runner.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await runner.query(`SET LOCAL lock_timeout = '30s'`);
        if (tables.length) await runner.query(`LOCK TABLE ${tables.join(', ')} IN SHARE MODE`);
      }
      const tenant = await this.lockExisting(runner, slug);
      await keep?.(runner, tenant);
      const role = ident(tenant.roleName);
      await runner.query(`DROP SCHEMA IF EXISTS ${ident(tenant.schemaName)} CASCADE; DROP OWNED BY ${role}; DROP ROLE ${role}`);
      await this.platform.deleteTenant(runner, tenant.id);
      await this.platform.notifyRegistryChanged(runner, tenant.id);
    });
  }

  /** The clinic's registry row. */
  private register(runner: QueryRunner, platformId: string, slug: string, displayName: string, language: Language): Promise<Tenant> {
    return this.platform.insertTenant(runner, { slug, displayName, schemaName: schemaNameFor(slug), roleName: roleNameFor(platformId, slug), language });
  }

  /**
   * The clinic's role, its empty schema owned by that role (the login role may act as it), and its
   * membership of the clinics' group role, which holds what a clinic may do on platform objects.
   */
  private async createSchema(runner: QueryRunner, tenant: Tenant, platformId: string): Promise<void> {
    const role = ident(tenant.roleName);
    const group = ident(clinicGroupRoleFor(platformId));
    await runner.query(
      `CREATE ROLE ${role} NOLOGIN IN ROLE ${group}; GRANT ${role} TO CURRENT_USER; CREATE SCHEMA ${ident(tenant.schemaName)} AUTHORIZATION ${role}`,
    );
  }

  private async lockExisting(runner: QueryRunner, slug: string): Promise<Tenant> {
    const tenant = await this.platform.findBySlug(runner, slug, { lock: true });
    if (!tenant) throw new PlatformException('clinic_not_found', `No clinic with slug "${slug}"`);
    return tenant;
  }

  private async assertDomainFree(runner: QueryRunner, host: string): Promise<void> {
    const owner = await this.platform.findByDomain(runner, host);
    if (owner) throw domainTaken(host, owner.slug);
  }

  private async prepareAdmin(admin: NonNullable<CreateClinicInput['admin']>) {
    if (!USERNAME_PATTERN.test(admin.username)) {
      throw new PlatformException('invalid_input', 'The admin username must be 3-64 characters: letters, digits, ".", "_" or "-"');
    }
    const problem = passwordProblem(admin.password);
    if (problem) throw new PlatformException('invalid_input', problem);
    return {
      username: admin.username,
      fullName: admin.fullName?.trim() || 'Clinic admin',
      passwordHash: await hashPassword(admin.password),
    };
  }
}

const clinicExists = (slug: string) => new PlatformException('clinic_exists', `A clinic with slug "${slug}" already exists`);
const domainTaken = (host: string, slug?: string) =>
  new PlatformException('domain_taken', `The domain ${host} already points to ${slug ? `clinic "${slug}"` : 'another clinic'}`);

/** Two operators racing for the same slug or domain: the database decides, the loser gets the same clear refusal. */
function translateConflict(error: unknown, slug: string, host?: string): unknown {
  if (sqlState(error) !== '23505' && sqlState(error) !== '42710') return error;
  const constraint = violatedConstraint(error) ?? '';
  if (constraint.startsWith('domains_') && host) return domainTaken(host);
  if (constraint.startsWith('tenants_') || sqlState(error) === '42710') return clinicExists(slug);
  return error;
}
