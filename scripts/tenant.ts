/**
 * The operator's command line: `npm run tenant -- <verb> …` (see `--help`, and docs/operator-guide.md).
 * Exit 0 on success; 1 with one line on stderr for a refused request, with nothing changed.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { DataSource } from 'typeorm';
import { type BackupResult, ClinicBackupService } from '../src/backups/clinic-backup.service';
import { AppException } from '../src/common/errors/app-exception';
import { type AppConfig, ConfigError, loadConfig } from '../src/config/app-config';
import { openDataSource } from '../src/database/data-source';
import { type EmbeddedDatabase, EmbeddedPostgresError, useEmbeddedPostgres } from '../src/database/embedded-postgres';
import { DEFAULT_LANGUAGE, type Language, LANGUAGE_NAMES, LANGUAGES } from '../src/i18n/i18n';
import { clinicUrl } from '../src/platform/clinic-url';
import { type ProvisioningHooks, ProvisioningService, type ProvisioningStep } from '../src/platform/provisioning.service';
import { SchemaMigrator } from '../src/platform/schema-migrator';
import { PlatformException, type Tenant } from '../src/platform/tenant';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Whether stderr is a terminal (a progress bar is drawn only there). */
  readonly interactive: boolean;
}

interface Platform {
  readonly config: AppConfig;
  readonly dataSource: DataSource;
  readonly migrator: SchemaMigrator;
  readonly provisioning: ProvisioningService;
  readonly backups: ClinicBackupService;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

/** Runs one CLI invocation and resolves to its exit code. `argv` excludes `node` and the script. */
export async function runCli(argv: string[], io: CliIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let opened: { platform: Platform; embedded?: EmbeddedDatabase } | undefined;
  const platform = async (): Promise<Platform> => {
    opened ??= await openPlatform(env);
    return opened.platform;
  };
  const program = buildProgram(io, platform);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (error instanceof ExitCode) return error.code;
    io.err(`error: ${describe(error)}`);
    return 1;
  } finally {
    await opened?.platform.dataSource.destroy().catch(() => undefined);
    await opened?.embedded?.stop().catch(() => undefined);
  }
}

/** A verb finished and chose its own exit code (e.g. `migrate --all` with failures). */
class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function describe(error: unknown): string {
  if (error instanceof AppException || error instanceof ConfigError || error instanceof EmbeddedPostgresError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED|ENOTFOUND|password authentication/i.test(message)) return `cannot reach the database (${message}); check DATABASE_URL`;
  return message;
}

async function openPlatform(env: NodeJS.ProcessEnv): Promise<{ platform: Platform; embedded?: EmbeddedDatabase }> {
  const config = loadConfig(env);
  const embedded = config.databaseUrl
    ? undefined
    : await useEmbeddedPostgres({ dir: join(config.dataDir, 'pg'), port: config.embeddedPgPort, database: 'clinic' });
  const dataSource = await openDataSource({ dbPoolMax: 8 }, config.databaseUrl ?? embedded!.url, 'clinic-cli');
  const migrator = new SchemaMigrator(dataSource);
  await migrator.migratePlatform();
  const provisioning = new ProvisioningService(dataSource, migrator, config.baseDomain, testPauseHook(env));
  const backups = new ClinicBackupService(dataSource, databaseUrlOf(dataSource), provisioning, migrator, config.pgDump);
  return { platform: { config, dataSource, migrator, provisioning, backups }, embedded };
}

/**
 * For the "interrupted create" test only (NODE_ENV=test): stop inside `create`'s transaction at a named
 * step and wait to be killed, proving a half-done create leaves nothing behind.
 */
function testPauseHook(env: NodeJS.ProcessEnv): ProvisioningHooks {
  const step = env.NODE_ENV === 'test' ? (env.CLINIC_TEST_PAUSE_CREATE_AT as ProvisioningStep | undefined) : undefined;
  if (!step) return {};
  return {
    afterStep: async (reached) => {
      if (reached !== step) return;
      process.stdout.write(`paused at ${reached}\n`);
      await new Promise(() => undefined);
    },
  };
}

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('must be a whole number from 1 to 64');
  return n;
};

function buildProgram(io: CliIo, platform: () => Promise<Platform>): Command {
  const program = new Command('tenant')
    .description('Provision, migrate, suspend and remove clinics. Uses DATABASE_URL, or the embedded Postgres under ./.data when unset.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(add --help for usage)');

  const json = (value: unknown) => io.out(JSON.stringify(value, null, 2));
  const view = (t: Tenant, config: AppConfig) => ({
    id: t.id,
    slug: t.slug,
    name: t.displayName,
    status: t.status,
    language: t.language,
    schema: t.schemaName,
    schemaVersion: t.schemaVersion,
    url: clinicUrl(config, t.slug),
  });

  program
    .command('create')
    .description('Create a clinic: registry row, schema, tables, role, domain and admin user, all or nothing')
    .argument('<slug>', 'the clinic\'s address: 2-31 of a-z, 0-9 and "-", starting with a letter')
    .requiredOption('--name <display>', "the clinic's name as people see it")
    .option('--domain <host>', 'a custom domain that also reaches the clinic')
    .option('--admin-username <username>', "the clinic owner's username")
    .option('--admin-password <password>', "the clinic owner's password (10+ characters)")
    .option('--admin-name <fullName>', "the clinic owner's full name")
    .addOption(new Option('--language <code>', "the clinic's default language").choices([...LANGUAGES]).default(DEFAULT_LANGUAGE))
    .option('--json', 'print JSON')
    .action(async (slug: string, opts: { name: string; domain?: string; adminUsername?: string; adminPassword?: string; adminName?: string; language: string; json?: boolean }) => {
      if (Boolean(opts.adminUsername) !== Boolean(opts.adminPassword)) {
        throw new PlatformException('invalid_input', '--admin-username and --admin-password go together');
      }
      const p = await platform();
      const admin = opts.adminUsername ? { username: opts.adminUsername, password: opts.adminPassword!, fullName: opts.adminName } : undefined;
      const tenant = await p.provisioning.create({ slug, displayName: opts.name, domain: opts.domain, admin, language: opts.language });
      if (opts.json) return json({ ...view(tenant, p.config), domains: opts.domain ? [opts.domain.toLowerCase()] : [], admin: admin?.username ?? null });
      io.out(`Created clinic "${tenant.slug}" (${tenant.displayName}) at ${clinicUrl(p.config, tenant.slug)}/`);
      io.out(`  schema ${tenant.schemaName} at version ${tenant.schemaVersion}${admin ? `, admin user "${admin.username}"` : ''}${opts.domain ? `, domain ${opts.domain.toLowerCase()}` : ''}`);
    });

  program
    .command('list')
    .description('List every clinic with its status, schema version and domains')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const p = await platform();
      const clinics = await p.provisioning.list();
      if (opts.json) return json(clinics.map((t) => ({ ...view(t, p.config), domains: t.domains, createdAt: t.createdAt })));
      if (clinics.length === 0) return io.out('No clinics yet. Create one with: npm run tenant -- create <slug> --name "<Clinic name>"');
      const latest = p.migrator.tenantMigrations.latest;
      const rows = clinics.map((t) => [
        t.slug,
        t.displayName,
        t.status,
        t.schemaVersion === latest ? `${t.schemaVersion}` : `${t.schemaVersion || 'none'} (behind)`,
        t.domains.map((d) => d.host + (d.isPrimary ? '*' : '')).join(', ') || '-',
      ]);
      for (const line of table(['SLUG', 'NAME', 'STATUS', 'SCHEMA VERSION', 'DOMAINS'], rows)) io.out(line);
      io.out(`${clinics.length} clinic(s)`);
    });

  program
    .command('migrate')
    .description('Apply pending tenant migrations: one clinic, or --all (one transaction per clinic)')
    .argument('[slug]', 'the clinic to migrate')
    .option('--all', 'every clinic that is behind')
    .addOption(new Option('--concurrency <n>', 'clinics migrated at once').argParser(positiveInt).default(4))
    .option('--json', 'print JSON')
    .action(async (slug: string | undefined, opts: { all?: boolean; concurrency: number; json?: boolean }) => {
      if (Boolean(slug) === Boolean(opts.all)) throw new PlatformException('invalid_input', 'name one clinic, or use --all (not both)');
      const p = await platform();
      if (slug) {
        const result = await p.migrator.migrateTenant(slug);
        if (opts.json) return json(result);
        io.out(result.applied.length ? `Migrated "${slug}": applied ${result.applied.join(', ')}` : `"${slug}" is already up to date`);
        return;
      }
      const bar = io.interactive && !opts.json ? new SingleBar({ format: 'Migrating {bar} {value}/{total} clinics | {slug}', hideCursor: true }) : undefined;
      let started = false;
      const summary = await p.migrator.migrateAll({
        concurrency: opts.concurrency,
        onProgress: (done, total, result) => {
          if (!started) bar?.start(total, 0, { slug: '' });
          started = true;
          bar?.update(done, { slug: result.slug });
          if (result.error && !opts.json) io.err(`failed: ${result.slug}: ${result.error}`);
        },
      });
      bar?.stop();
      if (opts.json) json(summary);
      else {
        io.out(
          `Migrated ${summary.migrated.length} clinic(s), ${summary.failed.length} failed, ${summary.upToDate} already up to date ` +
            `(${summary.total} in all) in ${summary.seconds.toFixed(2)} s`,
        );
        for (const f of summary.failed) io.out(`  FAILED ${f.slug}: ${f.error}`);
      }
      if (summary.failed.length > 0) throw new ExitCode(1);
    });

  for (const [verb, status, done] of [
    ['suspend', 'suspended', 'Suspended'],
    ['resume', 'active', 'Resumed'],
  ] as const) {
    program
      .command(verb)
      .description(verb === 'suspend' ? 'Close a clinic to everyone (its pages answer 503); its data is kept' : 'Reopen a suspended clinic')
      .argument('<slug>')
      .option('--json', 'print JSON')
      .action(async (slug: string, opts: { json?: boolean }) => {
        const changed = await (await platform()).provisioning.setStatus(slug, status);
        if (opts.json) return json({ slug, status, changed });
        io.out(changed ? `${done} "${slug}"` : `"${slug}" was already ${status}`);
      });
  }

  program
    .command('set-language')
    .description("Set a clinic's default language: what its pages, PDFs and notices use for anyone who has not chosen one")
    .argument('<slug>')
    .addArgument(new Argument('<language>').choices([...LANGUAGES]))
    .option('--json', 'print JSON')
    .action(async (slug: string, language: string, opts: { json?: boolean }) => {
      const changed = await (await platform()).provisioning.setLanguage(slug, language);
      if (opts.json) return json({ slug, language, changed });
      io.out(changed ? `"${slug}" now speaks ${LANGUAGE_NAMES[language as Language]} by default` : `"${slug}" already spoke ${LANGUAGE_NAMES[language as Language]} by default`);
    });

  program
    .command('add-domain')
    .description('Let a custom domain reach a clinic (the first one becomes its primary domain)')
    .argument('<slug>')
    .argument('<host>')
    .option('--json', 'print JSON')
    .action(async (slug: string, host: string, opts: { json?: boolean }) => {
      const added = await (await platform()).provisioning.addDomain(slug, host);
      if (opts.json) return json({ slug, ...added });
      io.out(`${added.host} now reaches "${slug}"${added.isPrimary ? ' (primary domain)' : ''}`);
    });

  program
    .command('remove-domain')
    .description('Stop a custom domain from reaching its clinic')
    .argument('<host>')
    .option('--json', 'print JSON')
    .action(async (host: string, opts: { json?: boolean }) => {
      await (await platform()).provisioning.removeDomain(host);
      if (opts.json) return json({ host, removed: true });
      io.out(`Removed ${host}`);
    });

  program
    .command('run-jobs')
    .description('Run the background jobs once: the no-show sweep, 24-hour reminders and notice delivery, for every active clinic (or one)')
    .option('--clinic <slug>', 'only this clinic')
    .option('--json', 'print JSON')
    .action(async (opts: { clinic?: string; json?: boolean }) => {
      const p = await platform();
      const summary = await runJobsOnce(p.config, databaseUrlOf(p.dataSource), opts.clinic);
      if (opts.json) json(summary);
      else {
        const rows = summary.clinics.map((c) => [
          c.slug,
          c.error ? 'FAILED' : c.skipped ? 'busy (another instance)' : 'ok',
          String(c.noShows),
          String(c.penalties),
          String(c.reminders),
          c.delivery ? `${c.delivery.sent} sent, ${c.delivery.retrying} to retry, ${c.delivery.failed} failed` : '-',
          `${c.ms} ms`,
        ]);
        for (const line of table(['CLINIC', 'RESULT', 'NO-SHOWS', 'PENALTIES', 'REMINDERS', 'NOTICES', 'TIME'], rows)) io.out(line);
        for (const c of summary.clinics.filter((x) => x.error)) io.out(`  FAILED ${c.slug}: ${c.error}`);
        io.out(`Ran the jobs for ${summary.clinics.length} clinic(s), ${summary.failed} failed, in ${summary.seconds.toFixed(2)} s`);
      }
      if (summary.failed > 0) throw new ExitCode(1);
    });

  const backedUp = (b: BackupResult) =>
    `Backed up "${b.slug}" to ${b.file} (${rowCount(b.rows)} in ${Object.keys(b.rows).length} tables, ${kilobytes(b.bytes)}) in ${b.seconds.toFixed(2)} s`;

  program
    .command('backup')
    .description("Write one clinic's data and platform rows to a file (pg_dump on one snapshot; the clinic keeps working)")
    .argument('<slug>')
    .requiredOption('--out <file>', 'the backup file to create (never overwritten), e.g. acme.clinic-backup.gz')
    .option('--json', 'print JSON')
    .action(async (slug: string, opts: { out: string; json?: boolean }) => {
      const result = await (await platform()).backups.backup(slug, opts.out);
      if (opts.json) return json(result);
      io.out(backedUp(result));
    });

  program
    .command('restore')
    .description('Create a clinic from a backup file: never over an existing clinic; the file is checked whole first')
    .argument('<file>')
    .option('--as <slug>', "the new clinic's slug (default: the one in the backup)")
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { as?: string; json?: boolean }) => {
      const p = await platform();
      const result = await p.backups.restore(file, { as: opts.as });
      if (opts.json) return json({ ...result, tenant: view(result.tenant, p.config) });
      const t = result.tenant;
      io.out(`Restored "${t.slug}" (${t.displayName}) from ${result.file} at ${clinicUrl(p.config, t.slug)}/`);
      io.out(`  ${rowCount(result.rows)} in ${Object.keys(result.rows).length} tables; schema ${t.schemaName} at version ${t.schemaVersion}; status ${t.status}`);
      if (result.migratedAfterLoad.length) io.out(`  migrated after loading: ${result.migratedAfterLoad.join(', ')}`);
      if (result.domains.length) io.out(`  domains: ${result.domains.join(', ')}`);
      if (result.domainsLeftOut.length) io.out(`  not restored (they stay with the original slug): domains ${result.domainsLeftOut.join(', ')}`);
      io.out('  everyone signs in again: sessions, reminder and offer links of the original do not carry over');
    });

  program
    .command('drop')
    .description('Delete a clinic and ALL its data (schema, role, registry rows), after backing it up to BACKUP_DIR')
    .argument('<slug>')
    .option('--yes', 'confirm: yes, delete this clinic and all its data')
    .option('--no-backup', 'do not take the backup first (the data is then gone for good)')
    .option('--backup-dir <dir>', 'where the backup goes (default: BACKUP_DIR, else .data/backups)')
    .option('--json', 'print JSON')
    .action(async (slug: string, opts: { yes?: boolean; backup: boolean; backupDir?: string; json?: boolean }) => {
      if (!opts.yes) throw new PlatformException('confirmation_required', `refusing to drop "${slug}" without --yes: this deletes the clinic and all its data`);
      const p = await platform();
      if (!opts.backup) {
        await p.provisioning.drop(slug);
        if (opts.json) return json({ slug, dropped: true, backup: null });
        return io.out(`Dropped "${slug}" and all its data (no backup taken)`);
      }
      const backup = await p.backups.dropWithBackup(slug, opts.backupDir ?? p.config.backupDir);
      if (opts.json) return json({ slug, dropped: true, backup });
      io.out(backedUp(backup));
      io.out(`Dropped "${slug}" and all its data; restore it with: npm run tenant -- restore ${backup.file}`);
    });

  return program;
}

/** The connection string the CLI's data source uses (DATABASE_URL, or the embedded server's). */
function databaseUrlOf(dataSource: DataSource): string {
  return (dataSource.options as { url: string }).url;
}

/**
 * The jobs need the app's services (the clinic transaction, the outbox…): the app's module, booted
 * without HTTP and without its own schedule, runs them once.
 */
async function runJobsOnce(config: AppConfig, databaseUrl: string, clinic: string | undefined) {
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../src/app.module');
  const { JobsRunner } = await import('../src/jobs/jobs-runner.service');
  const quiet: AppConfig = { ...config, jobsEnabled: false, logLevel: process.env.LOG_LEVEL ?? 'warn' };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(quiet, databaseUrl), { logger: ['error', 'warn'] });
  try {
    return await app.get(JobsRunner).runAll({ clinic });
  } finally {
    await app.close();
  }
}

const rowCount = (rows: Record<string, number>) => {
  const n = Object.values(rows).reduce((a, b) => a + b, 0);
  return `${n} row${n === 1 ? '' : 's'}`;
};
const kilobytes = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

if (require.main === module) {
  // a pipe takes stdout asynchronously: exit once what was written has left (a long --json would be cut short)
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  runCli(process.argv.slice(2)).then(async (code) => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  });
}
