'use strict';
/**
 * A require hook for child processes started by tests: `node -r ./test/setup/swc-register.js x.ts`
 * runs the TypeScript sources the way Jest does (the same @swc/core options as jest.config.js),
 * so nothing is built first. Type checking stays with `tsc --noEmit`; this only strips types.
 */
const fs = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const SWC_OPTIONS = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
  configFile: false,
};

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...SWC_OPTIONS, filename });
  module._compile(code, filename);
};

// Stack traces point at the .ts lines.
process.setSourceMapsEnabled(true);
