import { migrationFiles } from '../support/migration-files';

// the lint step's checker (plain JavaScript, run by `npm run lint`)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sqlProblems } = require('../../scripts/check-sql.js') as { sqlProblems: (scope: string, sql: string) => string[] };

describe('the lint rules for migrations (scripts/check-sql.js)', () => {
  it('passes every migration there is', () => {
    for (const { scope, path, sql } of migrationFiles()) expect({ path, problems: sqlProblems(scope, sql) }).toEqual({ path, problems: [] });
  });

  it.each([
    // eslint-disable-next-line no-restricted-syntax -- the checker's input, never run
    ['SET search_path = t_acme;', /session-level/],
    // eslint-disable-next-line no-restricted-syntax -- the checker's input, never run
    ["SELECT set_config('role', 'x', false);", /session-level/],
    ['ALTER TABLE a ADD COLUMN b boolean NOT NULL DEFAULT false;', /fills or rewrites rows.*ADD COLUMN b boolean NOT NULL DEFAULT false/],
    ['ALTER TABLE a\n  ADD COLUMN c text,\n  ADD d numeric(10, 2) CHECK (d >= 0) DEFAULT 0;', /^1: .*ADD d numeric\(10, 2\) CHECK \(d >= 0\) DEFAULT 0\)$/],
    ['ALTER TABLE a ADD COLUMN s text GENERATED ALWAYS AS (lower(b)) STORED;', /fills or rewrites rows/],
    ['ALTER TABLE a ALTER COLUMN b TYPE bigint;', /fills or rewrites rows/],
    ['ALTER TABLE ONLY "a" ALTER b SET DATA TYPE text;', /fills or rewrites rows/],
  ])('refuses, in tenant migrations: %s', (sql, why) => {
    const problems = sqlProblems('tenant', sql);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(why);
  });

  it('accepts the cheap way to add a column with a default, defaults in CREATE TABLE, and a marked type change', () => {
    const sql = `CREATE TABLE a (b boolean NOT NULL DEFAULT false, c text CHECK (c <> 'DEFAULT, TYPE'));
      ALTER TABLE a ADD COLUMN d boolean CHECK (d OR NOT d), ALTER COLUMN d SET DEFAULT true;
      UPDATE a SET d = true;
      ALTER TABLE a ALTER COLUMN d SET NOT NULL, ALTER COLUMN c DROP DEFAULT;
      -- a column with a default would be refused here: ADD COLUMN x int DEFAULT 1
      ALTER TABLE a ADD CONSTRAINT a_c CHECK (c <> 'x');
      -- check-sql: allow-rewrite (the ids outgrew integer)
      ALTER TABLE a ALTER COLUMN e TYPE bigint;`;
    expect(sqlProblems('tenant', sql)).toEqual([]);
  });

  it('leaves row-filling ALTERs alone in platform migrations (one schema: no per-clinic cost)', () => {
    expect(sqlProblems('platform', 'ALTER TABLE platform.tenants ADD COLUMN x boolean NOT NULL DEFAULT false;')).toEqual([]);
  });
});
