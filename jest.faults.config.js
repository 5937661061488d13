/**
 * `npm run test:faults`: real process faults against real processes (issue 8). Its own
 * Redis (a private redis-server on a spare port), its own API and two worker processes,
 * on a fresh database like `npm test`. Run by `.ci/run` after `npm test`.
 */
const base = require('./jest.config.js');
const e2e = base.projects.find((p) => p.displayName === 'e2e');
module.exports = {
  testTimeout: 240_000,
  globalSetup: base.globalSetup,
  globalTeardown: base.globalTeardown,
  projects: [{ ...e2e, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'] }],
};
