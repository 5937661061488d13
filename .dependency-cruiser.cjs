/** Module boundaries (ARCHITECTURE §2): a module is reached only through its index.ts. */
module.exports = {
  forbidden: [
    {
      name: 'module-through-index-only',
      comment: 'Import another module only through its public index.ts',
      severity: 'error',
      from: { path: '^modules/([^/]+)/' },
      to: {
        path: '^modules/([^/]+)/.+',
        pathNot: ['^modules/$1/', '^modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'platform-does-not-know-modules',
      comment: 'src/ is platform only; only the composition roots wire modules in',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/app\\.module\\.ts$', '^src/worker\\.module\\.ts$', '^src/demo\\.ts$', '^src/database/seed'],
      },
      to: { path: '^modules/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(src|modules)/' },
      to: { circular: true, pathNot: '\\.entity\\.ts$' },
    },
    {
      name: 'tests-stay-out-of-production',
      severity: 'error',
      from: { path: '^(src|modules|config|migrations)/', pathNot: '(__tests__|\\.spec\\.ts$)' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(node_modules|dist|\\.data)' },
  },
};
