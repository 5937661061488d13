/** Three tiers (ARCHITECTURE §7): unit (no I/O), integration (real PostgreSQL + Redis, service level), e2e (HTTP). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: { '^.+\\.(t|m?j)s$': swc },
  transformIgnorePatterns: [
    // content-disposition 3 (under @fastify/static, which Swagger UI and the queue board load on HTTP_ADAPTER=fastify) is ESM only
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|peek-readable|@tokenizer|uint8array-extras|load-esm|uid|@borewit|content-disposition)/)(?!@fastify/static/node_modules/content-disposition/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
};
module.exports = {
  // e2e suites boot the whole app on a 2-core machine shared with PostgreSQL and Redis
  testTimeout: 60_000,
  // One worker, one file at a time (the suites share one database), recycled when it grows:
  // every e2e file boots the whole app in a fresh module registry and the heap of a single
  // in-band process grew past 2.5 GB over the 77 files, slowing each boot past the hook timeout.
  workerIdleMemoryLimit: '1200MB',
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{src,modules,config}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts', '<rootDir>/modules/**/__tests__/**/*.int-spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      // every supertest response is validated against the served OpenAPI document (issue 10)
      setupFilesAfterEnv: ['<rootDir>/test/setup/contract.ts'],
    },
  ],
};
