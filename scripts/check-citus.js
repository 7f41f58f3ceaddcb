#!/usr/bin/env node
// Keeps the schema movable onto Citus schema-based sharding (docs/scaling.md): every clinic schema
// becomes one distributed schema (its tables single-shard and colocated), `platform` tables become
// reference tables. Fails on what that layout cannot hold:
// - a foreign key from a clinic table to any schema but its own or `platform` (another clinic's, or
//   a local table), or from a `platform` table to anything but `platform`;
// - identities and sequences narrower than bigint (Citus puts the node id in the high bits of
//   sequence values) and serial/smallserial columns;
// - rules and table inheritance, which Citus does not distribute.
const { lintMigrations } = require('./migration-lint');

/** SQL without its comments and string literals (so a word in a comment or a CHECK message never counts). */
function code(sql) {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/'(?:[^']|'')*'/g, "''");
}

const RULES = [
  { test: /\b(small)?serial\b/i, why: 'serial and smallserial are narrower than bigint: use bigint GENERATED ALWAYS AS IDENTITY' },
  { test: /\b(smallint|int2|int4|integer|int)\s+GENERATED\s+(ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY/i, why: 'identities must be bigint' },
  { test: /\bCREATE\s+SEQUENCE\b[^;]*\bAS\s+(smallint|integer|int)\b/i, why: 'sequences must be bigint' },
  { test: /\bCREATE\s+(OR\s+REPLACE\s+)?RULE\b/i, why: 'Citus does not support the rule system' },
  { test: /\bINHERITS\s*\(/i, why: 'table inheritance cannot be distributed' },
];

/** Problems in one migration of `scope` ('tenant' or 'platform'), as `line: reason` strings. */
function citusProblems(scope, sql) {
  const problems = [];
  const lines = code(sql).split('\n');
  lines.forEach((line, i) => {
    for (const rule of RULES) if (rule.test.test(line)) problems.push(`${i + 1}: ${rule.why}`);
    for (const m of line.matchAll(/\bREFERENCES\s+(?:("?)([A-Za-z_][\w$]*)\1\s*\.\s*)?"?[A-Za-z_][\w$]*/gi)) {
      const schema = m[2]?.toLowerCase();
      if (scope === 'tenant' && schema && schema !== 'platform') {
        problems.push(`${i + 1}: a clinic table may reference only its own schema or platform (reference tables), not ${schema}`);
      }
      if (scope === 'platform' && schema !== 'platform') {
        problems.push(`${i + 1}: a platform table may reference only platform tables (name the schema: platform.<table>)`);
      }
    }
  });
  return problems;
}

module.exports = { citusProblems };

if (require.main === module) lintMigrations('Not movable onto Citus schema-based sharding (docs/scaling.md):', citusProblems);
