import type { AppConfig } from '../config/app-config';
import { openDataSource } from '../database/data-source';
import { createDemoClinic, type DemoLogin } from './demo-clinic';
import { PlatformRepository } from './platform.repository';
import { ProvisioningService } from './provisioning.service';
import { type MigrateAllSummary, SchemaMigrator } from './schema-migrator';

export interface StartupReport {
  readonly platformMigrations: string[];
  readonly tenants: MigrateAllSummary;
  /** Set when this start created the demo clinic. */
  readonly demoLogins?: readonly DemoLogin[];
  readonly clinics: { slug: string; displayName: string; status: string }[];
}

/**
 * Before serving: migrate the platform and every clinic; outside production, on an empty platform,
 * create the demo clinic. Production never invents data.
 */
export async function prepareDatabase(config: AppConfig, databaseUrl: string): Promise<StartupReport> {
  const dataSource = await openDataSource({ dbPoolMax: 4 }, databaseUrl, 'clinic-startup');
  try {
    const migrator = new SchemaMigrator(dataSource);
    const platformMigrations = await migrator.migratePlatform();
    const tenants = await migrator.migrateAll({ concurrency: 4 });
    if (tenants.failed.length > 0) {
      const list = tenants.failed.map((f) => `${f.slug}: ${f.error}`).join('; ');
      throw new Error(`${tenants.failed.length} clinic schema(s) failed to migrate (${list}). Fix them with "npm run tenant -- migrate <slug>".`);
    }
    const platform = new PlatformRepository();
    let demoLogins: readonly DemoLogin[] | undefined;
    if (!config.isProduction && (await platform.count(dataSource)) === 0) {
      demoLogins = await createDemoClinic(new ProvisioningService(dataSource, migrator, config.baseDomain), dataSource);
    }
    const clinics = (await platform.list(dataSource)).map((t) => ({ slug: t.slug, displayName: t.displayName, status: t.status }));
    return { platformMigrations, tenants, demoLogins, clinics };
  } finally {
    await dataSource.destroy();
  }
}
