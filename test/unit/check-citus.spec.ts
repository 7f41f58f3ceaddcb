import { migrationFiles } from '../support/migration-files';

// the lint step's checker (plain JavaScript, run by `npm run lint`)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { citusProblems } = require('../../scripts/check-citus.js') as { citusProblems: (scope: string, sql: string) => string[] };

describe('the Citus compatibility check of the migrations', () => {
  it('passes every migration there is', () => {
    for (const { scope, path, sql } of migrationFiles()) expect({ path, problems: citusProblems(scope, sql) }).toEqual({ path, problems: [] });
  });

  it.each([
    ['tenant', 'ALTER TABLE visits ADD COLUMN x bigint REFERENCES t_other.patients (id);', /only its own schema or platform \(reference tables\), not t_other/],
    ['tenant', 'CREATE TABLE a (b bigint REFERENCES public.things (id));', /not public/],
    ['platform', 'CREATE TABLE platform.x (p bigint REFERENCES t_acme.patients (id));', /only platform tables/],
    ['platform', 'CREATE TABLE platform.x (p uuid REFERENCES tenants (id));', /only platform tables/],
    ['tenant', 'CREATE TABLE a (id serial PRIMARY KEY);', /serial/],
    ['tenant', 'CREATE TABLE a (id integer GENERATED ALWAYS AS IDENTITY);', /identities must be bigint/],
    ['tenant', 'CREATE SEQUENCE s AS integer;', /sequences must be bigint/],
    ['tenant', 'CREATE RULE r AS ON INSERT TO a DO INSTEAD NOTHING;', /rule system/],
    ['tenant', 'CREATE TABLE b () INHERITS (a);', /inheritance/],
  ])('refuses, in %s migrations: %s', (scope, sql, why) => {
    const problems = citusProblems(scope, sql);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(why);
  });

  it('allows a clinic table to reference its own tables and platform, and ignores comments and strings', () => {
    const sql = `CREATE TABLE a (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      p bigint REFERENCES patients (id), -- not REFERENCES t_other.x (id) or serial
      t uuid REFERENCES platform.tenants (id),
      note text CHECK (note <> 'a serial number')
    ); CREATE SEQUENCE n;`;
    expect(citusProblems('tenant', sql)).toEqual([]);
  });
});
