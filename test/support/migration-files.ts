// the migration lint's file loop (plain JavaScript, run by `npm run lint`), typed for the specs of its checks
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { migrationFiles } = require('../../scripts/migration-lint.js') as { migrationFiles: () => { scope: string; path: string; sql: string }[] };
