/** `npm run test:browser`: the portals driven in Debian's Chromium (playwright-core), on the run's own database. */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.ts'],
  testTimeout: 120_000,
};
