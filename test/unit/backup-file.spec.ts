import { DumpParser } from '../../src/backups/backup-file';

describe('DumpParser: what a clinic backup may hold', () => {
  const parse = (lines: string[], schema = 't_acme') => {
    const parser = new DumpParser(schema);
    const items = lines.map((l) => parser.accept(l)).filter(Boolean);
    parser.finish();
    return { items, rows: parser.rows };
  };

  it("reads pg_dump's own lines: settings and guards skipped, COPY blocks and setval kept", () => {
    const { items, rows } = parse([
      '--',
      '-- PostgreSQL database dump',
      '\\restrict bFSTvF4bMxH0Xap',
      "SET client_encoding = 'UTF8';",
      'SET standard_conforming_strings = on;',
      // eslint-disable-next-line no-restricted-syntax -- pg_dump's own line, parsed here and never run
      "SELECT pg_catalog.set_config('search_path', '', false);",
      'COPY t_acme."odd ""name""" (id, "Mixed Case", plain) FROM stdin;',
      '1\tx\\ty\t\\N',
      '\\.',
      'COPY t_acme.empty (id) FROM stdin;',
      '\\.',
      "SELECT pg_catalog.setval('t_acme.patients_id_seq', 42, true);",
      '\\unrestrict bFSTvF4bMxH0Xap',
    ]);
    expect(items).toEqual([
      { kind: 'copy', table: 'odd "name"', columns: ['id', 'Mixed Case', 'plain'], line: 7 },
      { kind: 'row', text: '1\tx\\ty\t\\N' },
      { kind: 'end-copy', table: 'odd "name"', rows: 1 },
      { kind: 'copy', table: 'empty', columns: ['id'], line: 10 },
      { kind: 'end-copy', table: 'empty', rows: 0 },
      { kind: 'setval', sequence: 'patients_id_seq', value: '42', isCalled: true },
    ]);
    expect(rows).toEqual({ 'odd "name"': 1, empty: 0 });
  });

  it.each([
    ['a statement of any other kind', ['DROP TABLE t_acme.patients;'], /line 1 of its dump holds a line a clinic backup never holds: "DROP TABLE/],
    ['a SET that is really two statements', ["SET x = 1; DELETE FROM t_acme.users;"], /never holds/],
    ['rows for another schema', ['COPY t_other.patients (id) FROM stdin;'], /data for schema "t_other", not this clinic's "t_acme"/],
    ['a sequence of another schema', ["SELECT pg_catalog.setval('platform.x_seq', 1, true);"], /data for schema "platform"/],
    ['a column list with SQL in it', ['COPY t_acme.patients (id) FROM stdin; DROP TABLE x; (a) FROM stdin;'], /column list cannot be read|never holds/],
    ['a second COPY into the same table', ['COPY t_acme.a (id) FROM stdin;', '\\.', 'COPY t_acme.a (id) FROM stdin;'], /a second COPY into a/],
    ['rows that never end', ['COPY t_acme.a (id) FROM stdin;', '1'], /the rows of a stop before their end/],
  ])('refuses %s', (_what, lines, message) => {
    expect(() => parse(lines)).toThrow(message);
  });
});
