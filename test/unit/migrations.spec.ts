import { MigrationSet, parseMigration } from '../../src/database/migrations';

describe('migration files', () => {
  it('splits a file into its up and down sections', () => {
    const m = parseMigration('20261123190000_create_users.sql', '-- why\n-- migrate:up\nCREATE TABLE a ();\n-- migrate:down\nDROP TABLE a;\n');
    expect(m).toEqual({ version: '20261123190000', name: 'create_users', up: 'CREATE TABLE a ();', down: 'DROP TABLE a;' });
  });

  it.each([
    ['2026_create.sql', '-- migrate:up\nx\n-- migrate:down\ny'],
    ['20261123190000_Create.sql', '-- migrate:up\nx\n-- migrate:down\ny'],
    ['20261123190000_a.sql', 'CREATE TABLE a ();'],
    ['20261123190000_a.sql', '-- migrate:down\ny\n-- migrate:up\nx'],
    ['20261123190000_a.sql', '-- migrate:up\n\n-- migrate:down\ny'],
  ])('refuses %s with %p', (file, text) => {
    expect(() => parseMigration(file, text)).toThrow(/Migration/);
  });

  it.each(['platform', 'tenant'] as const)('ships %s migrations in order, each with a down', (scope) => {
    const set = MigrationSet.load(scope);
    const versions = set.migrations.map((m) => m.version);
    expect(versions.length).toBeGreaterThan(0);
    expect([...versions].sort()).toEqual(versions);
    for (const m of set.migrations) expect(m.down.length).toBeGreaterThan(0);
    expect(set.latest).toBe(versions.at(-1));
    expect(set.pending(versions.slice(0, -1)).map((m) => m.version)).toEqual([set.latest]);
  });

  it('never changes the session search_path or role in a migration', () => {
    for (const scope of ['platform', 'tenant'] as const) {
      for (const m of MigrationSet.load(scope).migrations) expect(`${m.up}\n${m.down}`).not.toMatch(/\bSET\s+(SESSION\s+)?(search_path|role)\b/i);
    }
  });
});
