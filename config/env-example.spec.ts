import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { AppConfig } from './app-config';

describe('config/.env.example', () => {
  it('documents every variable the configuration reads', () => {
    const documented = new Set(
      readFileSync(join(__dirname, '.env.example'), 'utf8')
        .split('\n')
        .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
        .filter(Boolean),
    );
    const read = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(AppConfig, '', true, false)
        .map((m) => m.propertyName),
    );
    expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });
});
