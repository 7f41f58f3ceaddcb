#!/usr/bin/env node
// Fails when any SQL migration changes search_path or role for the whole session: on a pooled
// connection that setting would follow the connection into another clinic's request.
// (TypeScript sources are checked by the same rule in eslint.config.js.)
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const SESSION_SET = /\bSET\s+(SESSION\s+)?(search_path|role)\b|set_config\(\s*'(search_path|role)'[^)]*,\s*false\s*\)/i;
const root = join(__dirname, '..', 'migrations');
const offenders = [];
for (const scope of readdirSync(root)) {
  for (const file of readdirSync(join(root, scope)).filter((f) => f.endsWith('.sql'))) {
    readFileSync(join(root, scope, file), 'utf8')
      .split('\n')
      .forEach((line, i) => SESSION_SET.test(line.replace(/--.*$/, '')) && offenders.push(`migrations/${scope}/${file}:${i + 1}: ${line.trim()}`));
  }
}
if (offenders.length) {
  console.error('Session-level SET search_path / SET ROLE is forbidden (use SET LOCAL or set_config(..., true)):');
  for (const o of offenders) console.error(`  ${o}`);
  process.exit(1);
}
