import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envFileOptions, loadConfig, loadEnvFile } from './app-config';

describe('config/.env loading (@nestjs/config semantics)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jishi-env-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const secrets = [
    'JWT_SECRET=' + 'j'.repeat(48),
    'PII_ENCRYPTION_KEY=' + Buffer.alloc(32, 7).toString('base64'),
    'PII_HASH_KEY=' + 'h'.repeat(40),
  ];

  it('loads the file named by ENV_FILE into the environment, inline comments stripped, and the result validates', () => {
    const file = join(dir, 'ok.env');
    writeFileSync(file, ['NODE_ENV=production                 # development | production', 'PORT=3100   # port', 'DATABASE_URL=postgres://app_user:pw@127.0.0.1:5432/jishi', 'METRICS_PORT=9464', ...secrets].join('\n'));
    const env: NodeJS.ProcessEnv = { ENV_FILE: file };
    expect(loadEnvFile(env)).toBe(file);
    expect(env.NODE_ENV).toBe('production');
    const config = loadConfig(env);
    expect(config.PORT).toBe(3100);
    expect(config.DATABASE_URL).toBe('postgres://app_user:pw@127.0.0.1:5432/jishi');
  });

  it('a variable already in the environment wins over the file', () => {
    const file = join(dir, 'win.env');
    writeFileSync(file, ['PORT=3100', 'LOG_LEVEL=debug'].join('\n'));
    const env: NodeJS.ProcessEnv = { ENV_FILE: file, PORT: '4000' };
    loadEnvFile(env);
    expect(env.PORT).toBe('4000');
    expect(env.LOG_LEVEL).toBe('debug');
  });

  it('a missing file is no error, and an empty secret in the file still stops start-up naming it', () => {
    expect(loadEnvFile({ ENV_FILE: join(dir, 'absent.env') })).toBeUndefined();
    const file = join(dir, 'empty-secret.env');
    writeFileSync(file, ['DATABASE_URL=postgres://app_user:pw@127.0.0.1:5432/jishi', 'JWT_SECRET=', secrets[1], secrets[2]].join('\n'));
    const env: NodeJS.ProcessEnv = { ENV_FILE: file };
    loadEnvFile(env);
    expect(() => loadConfig(env)).toThrow(/JWT_SECRET/);
  });

  it('tests never read an env file (their secrets are generated per run)', () => {
    expect(envFileOptions({ NODE_ENV: 'test' }).ignoreEnvFile).toBe(true);
    expect(envFileOptions({ NODE_ENV: 'production' }).ignoreEnvFile).toBe(false);
    expect(envFileOptions({}).envFilePath).toMatch(/config[\\/]\.env$/);
  });
});
