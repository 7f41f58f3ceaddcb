import 'reflect-metadata';
import { join } from 'node:path';
import { closeGracefully, createApp } from './app.factory';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config';
import { type EmbeddedDatabase, EmbeddedPostgresError, startEmbeddedPostgres } from './database/embedded-postgres';
import { clinicUrl } from './platform/clinic-url';
import { DEMO_PATIENT, DEMO_SLUG, DEMO_STAFF } from './platform/demo-clinic';
import { prepareDatabase, type StartupReport } from './platform/startup';

const SHUTDOWN_GRACE_MS = 15_000;
const BANNER_CLINICS = 10;

async function main(): Promise<void> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    console.log(`No DATABASE_URL: starting the embedded Postgres in ${join(config.dataDir, 'pg')} …`);
    embedded = await startEmbeddedPostgres({ dir: join(config.dataDir, 'pg'), port: config.embeddedPgPort, database: 'clinic' });
  }
  const stopEmbedded = async () => embedded?.stop().catch(() => undefined);
  try {
    const databaseUrl = config.databaseUrl ?? embedded!.url;
    const report = await prepareDatabase(config, databaseUrl);
    const app = await createApp(config, databaseUrl);
    await app.listen(config.port);
    console.log(banner(config, report, embedded !== undefined));

    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal} received: finishing in-flight requests, then stopping.`);
      setTimeout(() => {
        console.error(`Shutdown took longer than ${SHUTDOWN_GRACE_MS / 1000}s; exiting.`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS).unref();
      await closeGracefully(app); // stops accepting, waits for in-flight requests, closes the pool and the cache
      await stopEmbedded();
      console.log('Stopped.');
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  } catch (error) {
    await stopEmbedded();
    throw error;
  }
}

function banner(config: AppConfig, report: StartupReport, embedded: boolean): string {
  const lines = [
    '',
    `Clinic platform is running (${config.nodeEnv}, database: ${embedded ? 'embedded Postgres' : 'DATABASE_URL'}, cache: ${cacheMode(config)})`,
    `  Landing page:  ${clinicUrl(config)}/`,
  ];
  const shown = report.clinics.slice(0, BANNER_CLINICS);
  for (const clinic of shown) {
    lines.push(`  ${clinic.displayName.padEnd(14)} ${clinicUrl(config, clinic.slug)}/${clinic.status === 'active' ? '' : `  (${clinic.status})`}`);
  }
  if (report.clinics.length > shown.length) lines.push(`  … and ${report.clinics.length - shown.length} more clinics (npm run tenant -- list)`);
  if (!config.isProduction && report.clinics.some((c) => c.slug === DEMO_SLUG)) {
    lines.push(`  Demo clinic staff${report.demoLogins ? '' : ' (as first created)'}:`);
    const demo = clinicUrl(config, DEMO_SLUG);
    for (const s of DEMO_STAFF) lines.push(`    ${s.role.padEnd(10)} ${s.username} / ${s.password}   (${s.fullName})   ${demo}/login`);
    lines.push(`    ${'patient'.padEnd(10)} phone ${DEMO_PATIENT.phone}, username ${DEMO_PATIENT.username}   (${DEMO_PATIENT.fullName})   ${demo}/portal/login`);
  }
  if (report.clinics.length === 0) lines.push('  No clinics yet: create one with  npm run tenant -- create <slug> --name "<Clinic name>"');
  lines.push(`  Health: ${clinicUrl(config)}/healthz   Readiness: ${clinicUrl(config)}/readyz`, '');
  return lines.join('\n');
}

function cacheMode(config: AppConfig): string {
  if (config.redisUrl) return 'Redis';
  if (config.redisSentinel) return 'Redis through Sentinel';
  if (config.redisCluster) return 'Redis Cluster';
  return 'in memory';
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) {
    console.error(error.message);
  } else {
    console.error(`The platform could not start: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) console.error(error.stack);
  }
  process.exit(1);
});
