import type { EmbeddedDatabase } from '../../src/database/embedded-postgres';
import { dropDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  const database = process.env.TEST_DATABASE_NAME;
  if (adminUrl && database) await dropDatabase(adminUrl, database);
  await (globalThis as { __embeddedTestPostgres?: EmbeddedDatabase }).__embeddedTestPostgres?.stop();
}
