// The loop the migration lint checks share (check-sql.js, check-citus.js): every migration file, and
// a run that prints each problem a check finds and fails when there is one.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', 'migrations');

/** Every migration: its scope (`platform` or `tenant`), its path from the project root, and its SQL. */
function migrationFiles() {
  return readdirSync(ROOT).flatMap((scope) =>
    readdirSync(join(ROOT, scope))
      .filter((file) => file.endsWith('.sql'))
      .map((file) => ({ scope, path: `migrations/${scope}/${file}`, sql: readFileSync(join(ROOT, scope, file), 'utf8') })),
  );
}

/** Runs `problems(scope, sql)` over every migration; prints what it finds under `title` and exits 1 if anything. */
function lintMigrations(title, problems) {
  const offenders = migrationFiles().flatMap(({ scope, path, sql }) => problems(scope, sql).map((p) => `${path}:${p}`));
  if (!offenders.length) return;
  console.error(title);
  for (const o of offenders) console.error(`  ${o}`);
  process.exit(1);
}

module.exports = { migrationFiles, lintMigrations };
