import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './app-config';

const valid = () => ({
  DATABASE_URL: 'postgres://app_user:pw@127.0.0.1:5432/jishi',
  JWT_SECRET: randomBytes(48).toString('base64'),
  PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  PII_HASH_KEY: randomBytes(32).toString('base64'),
});

describe('configuration', () => {
  it('loads a valid environment with typed defaults', () => {
    const config = loadConfig({ ...valid(), PORT: '8080', CORS_ORIGINS: 'https://a.gd.cn, https://b.gd.cn' });
    expect(config.PORT).toBe(8080);
    expect(config.JWT_ACCESS_TTL_SECONDS).toBe(900);
    expect(config.CORS_ORIGINS).toEqual(['https://a.gd.cn', 'https://b.gd.cn']);
    expect(config.migrationUrl).toBe(valid().DATABASE_URL);
  });

  it('takes a hash-tagged queue prefix (Redis Cluster) and a list of read replicas', () => {
    const config = loadConfig({ ...valid(), QUEUE_PREFIX: '{jishi}', DATABASE_REPLICA_URLS: 'postgres://r1:5432/jishi, postgres://r2:5432/jishi' });
    expect(config.QUEUE_PREFIX).toBe('{jishi}');
    expect(config.DATABASE_REPLICA_URLS).toEqual(['postgres://r1:5432/jishi', 'postgres://r2:5432/jishi']);
    expect(loadConfig({ ...valid(), DATABASE_REPLICA_URLS: '' }).DATABASE_REPLICA_URLS).toBeUndefined();
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: undefined }],
    ['JWT_SECRET', { JWT_SECRET: 'too-short' }],
    ['PII_ENCRYPTION_KEY', { PII_ENCRYPTION_KEY: 'not-base64-32-bytes' }],
    ['PORT', { PORT: 'eighty' }],
    ['REDIS_URL', { REDIS_URL: 'http://127.0.0.1:6379' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['QUEUE_PREFIX', { QUEUE_PREFIX: 'jishi:{x}' }],
    ['DATABASE_REPLICA_URLS', { DATABASE_REPLICA_URLS: 'postgres://r1/jishi, mysql://r2/jishi' }],
  ])('stops with a message naming %s when it is missing or bad', (name, override) => {
    const env = { ...valid(), ...override } as NodeJS.ProcessEnv;
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^\\s*${name}:`, 'm'));
  });
});
