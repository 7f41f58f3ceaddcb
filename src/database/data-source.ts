import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { affinePg } from './affine-pool';
import { User } from '../users/user.entity';

/** Every TypeORM entity. Tenant entities name no schema: they resolve through the request's search_path. */
export const ENTITIES = [User];

/**
 * Pool options shared by the app, the CLI and the tests.
 * - The pool's default search_path is `platform`, where no tenant table exists, so a tenant query run
 *   outside a request's tenant transaction fails loudly instead of reading the wrong clinic.
 * - Connections are recycled (maxUses, maxLifetimeSeconds): each caches catalog entries for every
 *   schema it touches, which would otherwise grow without bound across thousands of clinics.
 * - Each clinic's work prefers a home connection (AffinePool, one lane per connection): a backend
 *   then warms its catalog caches for its share of the clinics only, not for all of them. An idle
 *   connection stays open up to its lifetime: closed, its clinics' next request would open it again
 *   (and warm it again), which costs more than an idle backend.
 */
export function dataSourceOptions(config: Pick<AppConfig, 'dbPoolMax'>, url: string, applicationName = 'clinic-app'): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    installExtensions: false,
    applicationName,
    poolSize: config.dbPoolMax,
    driver: affinePg,
    extra: {
      options: '-c search_path=platform',
      maxUses: 5000,
      maxLifetimeSeconds: 600,
      idleTimeoutMillis: 600_000,
      connectionTimeoutMillis: 5_000,
    },
  };
}

export async function openDataSource(config: Pick<AppConfig, 'dbPoolMax'>, url: string, applicationName?: string): Promise<DataSource> {
  return new DataSource(dataSourceOptions(config, url, applicationName)).initialize();
}
