import { openDataSource } from '../../src/database/data-source';
import { SchemaMigrator } from '../../src/platform/schema-migrator';
import { createDatabase, testServer, uniqueDatabaseName } from './test-database';

/** Creates this run's own database (dropped in global-teardown) and migrates its platform schema. */
export default async function globalSetup(): Promise<void> {
  const { adminUrl, embedded } = await testServer();
  const database = uniqueDatabaseName('clinic_test');
  const url = await createDatabase(adminUrl, database);
  const dataSource = await openDataSource({ dbPoolMax: 2 }, url, 'clinic-test-setup');
  try {
    await new SchemaMigrator(dataSource).migratePlatform();
  } finally {
    await dataSource.destroy();
  }
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  process.env.TEST_DATABASE_NAME = database;
  process.env.DATABASE_URL = url;
  process.env.NODE_ENV = 'test';
  (globalThis as { __embeddedTestPostgres?: unknown }).__embeddedTestPostgres = embedded;
}
