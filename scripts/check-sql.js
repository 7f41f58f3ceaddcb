#!/usr/bin/env node
// Lint rules for the SQL migrations (TypeScript sources are checked by eslint.config.js):
// 1. No migration changes search_path or role for the whole session: on a pooled connection that
//    setting would follow the connection into another clinic's request.
// 2. No tenant migration makes ALTER TABLE fill or rewrite existing rows (ADD COLUMN with a DEFAULT
//    or GENERATED, a column type change). On PostgreSQL 15 such an ALTER walks every index of the
//    database (find_composite_type_dependencies): measured 2 ms on an empty server and 100 ms with
//    1,000 clinics, once per clinic, so provisioning and `migrate --all` would grow with the square
//    of the clinic count. Add the column bare, then `ALTER COLUMN c SET DEFAULT v`, `UPDATE`,
//    `ALTER COLUMN c SET NOT NULL`: none of these has that cost. A type change that cannot be
//    avoided is accepted when its statement carries the comment `-- check-sql: allow-rewrite`.
const { lintMigrations } = require('./migration-lint');

const SESSION_SET = /\bSET\s+(SESSION\s+)?(search_path|role)\b|set_config\(\s*'(search_path|role)'[^)]*,\s*false\s*\)/i;
const NAME = '("[^"]+"|\\w+)';
const FILLS_ROWS = new RegExp(
  `^\\s*(ADD\\s+(COLUMN\\s+)?(IF\\s+NOT\\s+EXISTS\\s+)?${NAME}\\s[\\s\\S]*\\b(DEFAULT|GENERATED)\\b|ALTER\\s+(COLUMN\\s+)?${NAME}\\s+(SET\\s+DATA\\s+)?TYPE\\b)`,
  'i',
);
const ALLOW_REWRITE = /--\s*check-sql:\s*allow-rewrite\b/;
const SESSION_WHY = 'a session-level SET search_path / SET ROLE (use SET LOCAL or set_config(..., true))';
const REWRITE_WHY =
  'ALTER TABLE fills or rewrites rows, which costs time in proportion to every clinic on the server: add the column bare, then ALTER COLUMN ... SET DEFAULT, UPDATE, ALTER COLUMN ... SET NOT NULL (scripts/check-sql.js)';

/** The clauses of an ALTER TABLE statement: split at the commas outside parentheses and quotes. */
function alterClauses(statement) {
  const body = statement.replace(/^\s*ALTER\s+TABLE\s+(IF\s+EXISTS\s+)?(ONLY\s+)?("[^"]+"|[\w.]+)/i, '');
  const clauses = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth += 1;
    else if (!quoted && c === ')') depth -= 1;
    else if (!quoted && depth === 0 && c === ',') {
      clauses.push(body.slice(start, i));
      start = i + 1;
    }
  }
  return [...clauses, body.slice(start)];
}

/** The problems of one migration file's text, as `line: why (clause)`. */
function sqlProblems(scope, sql) {
  const problems = [];
  sql.split('\n').forEach((line, i) => SESSION_SET.test(line.replace(/--.*$/, '')) && problems.push(`${i + 1}: ${SESSION_WHY}`));
  if (scope !== 'tenant') return problems;
  let line = 1;
  for (const statement of sql.split(';')) {
    const code = statement.replace(/--.*$/gm, '');
    const at = line + (statement.slice(0, Math.max(0, statement.search(/\bALTER\s+TABLE\b/i))).match(/\n/g) ?? []).length;
    line += (statement.match(/\n/g) ?? []).length;
    if (!/^\s*ALTER\s+TABLE\b/i.test(code) || ALLOW_REWRITE.test(statement)) continue;
    for (const clause of alterClauses(code).filter((c) => FILLS_ROWS.test(c))) {
      problems.push(`${at}: ${REWRITE_WHY} (${clause.trim().replace(/\s+/g, ' ')})`);
    }
  }
  return problems;
}

module.exports = { sqlProblems };

if (require.main === module) lintMigrations('Migrations that break the rules in scripts/check-sql.js:', sqlProblems);
