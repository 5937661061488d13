import { randomBytes } from 'node:crypto';
import { getStorageToken } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { RedisThrottlerStorage } from '../../src/http/rate-limit';
import { CounterStore } from '../../src/redis/counter-store';
import { REDIS, RedisClient } from '../../src/redis/redis.module';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';

/**
 * Issue 10: rate limits through @nestjs/throttler with our own Redis storage (PostgreSQL
 * while Redis is away). The limit of every route without one of its own is
 * API_RATE_LIMIT_PER_MINUTE per signed-in user; the headers are sent and documented.
 */
describe('rate limits with @nestjs/throttler (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let tenantId: string;
  const saved = process.env.API_RATE_LIMIT_PER_MINUTE;
  const LIMIT = 5;

  beforeAll(async () => {
    process.env.API_RATE_LIMIT_PER_MINUTE = String(LIMIT);
    try {
      t = await bootApp();
    } finally {
      process.env.API_RATE_LIMIT_PER_MINUTE = saved;
    }
    f = await IdentityFactory.open();
    tenantId = await f.tenant({ name: '清远市技师学院' });
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
  });

  it(`every route without a limit of its own: ${LIMIT} requests a minute per user pass with X-RateLimit-* headers, the next is 429 problem+json with Retry-After; another user is counted on their own`, async () => {
    const one = await f.member('college-staff', { tenantId });
    const two = await f.member('college-staff', { tenantId });
    const tokenOne = (await login(t, one.email, TEST_PASSWORD)).accessToken;
    const tokenTwo = (await login(t, two.email, TEST_PASSWORD)).accessToken;
    for (let i = 1; i <= LIMIT; i++) {
      const res = await t.http().get('/api/v1/auth/me').set(bearer(tokenOne)).expect(200);
      expect(res.headers['x-ratelimit-limit']).toBe(String(LIMIT));
      expect(res.headers['x-ratelimit-remaining']).toBe(String(LIMIT - i));
      expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
      expect(Number(res.headers['x-ratelimit-reset'])).toBeLessThanOrEqual(60);
    }
    const refused = await t.http().get('/api/v1/auth/me').set(bearer(tokenOne)).set('Accept-Language', 'en');
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.code).toBe('COMMON.TOO_MANY_REQUESTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    await t.http().get('/api/v1/auth/me').set(bearer(tokenTwo)).expect(200);
  });

  it('a route with a limit of its own (login per address) is counted by that limit alone and sends its figures', async () => {
    const user = await f.member('college-staff', { tenantId });
    const ip = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
    const res = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ identifier: user.email, password: TEST_PASSWORD }).expect(200);
    expect(Number(res.headers['x-ratelimit-limit'])).toBe(100_000); // LOGIN_IP_LIMIT_PER_MINUTE of the test run, not the API's 5
    expect(Number(res.headers['x-ratelimit-remaining'])).toBe(100_000 - 1);
  });

  it('the document lists the headers on the responses of limited routes and Retry-After on their 429', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    for (const [path, verb] of [['/api/v1/auth/login', 'post'], ['/api/v1/students/{id}/reveal', 'post'], ['/api/v1/auth/me', 'get']]) {
      const responses = doc.paths[path][verb].responses;
      const ok = Object.keys(responses).find((s) => s.startsWith('2'))!;
      expect(Object.keys(responses[ok].headers)).toEqual(expect.arrayContaining(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']));
      expect(Object.keys(responses['429'].headers)).toContain('Retry-After');
    }
    expect(doc.paths['/api/v1/auth/login'].post.responses['429']['x-error-codes']).toEqual(expect.arrayContaining(['IDENTITY.IP_THROTTLED', 'IDENTITY.ACCOUNT_LOCKED']));
    expect(doc.paths['/api/v1/students/{id}/reveal'].post.responses['429']['x-error-codes']).toContain('STUDENTS.REVEAL_RATE_LIMITED');
  });

  describe('the storage', () => {
    const key = () => `${process.env.QUEUE_PREFIX}:rl:test:${randomBytes(6).toString('hex')}`;
    const storages = () => {
      const redis = t.app.get(getStorageToken()) as RedisThrottlerStorage;
      const postgres = new RedisThrottlerStorage(new CounterStore(null, t.app.get(DataSource)));
      return { redis, postgres };
    };

    it('uses the project\'s Redis connection', () => {
      expect(storages().redis).toBeInstanceOf(RedisThrottlerStorage);
      expect((t.app.get(REDIS) as NonNullable<RedisClient>).status).toBe('ready');
    });

    for (const backend of ['redis', 'postgres'] as const) {
      it(`${backend}: 40 concurrent hits on one key let exactly 30 through, counted 1…30 once each (atomic); above the limit the key is blocked for the block duration, not the window`, async () => {
        const storage = storages()[backend];
        const k = key();
        const records = await Promise.all(Array.from({ length: 40 }, () => storage.increment(k, 60_000, 30, 120_000, 'test')));
        const fine = records.filter((r) => !r.isBlocked);
        expect(fine.map((r) => r.totalHits).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        const blocked = records.filter((r) => r.isBlocked);
        expect(blocked).toHaveLength(10);
        expect(blocked.every((r) => r.totalHits > 30 && r.timeToBlockExpire > 60)).toBe(true);
        expect(fine.every((r) => r.timeToExpire > 0 && r.timeToExpire <= 60 && r.timeToBlockExpire === 0)).toBe(true);
        const next = await storage.increment(k, 60_000, 30, 120_000, 'test');
        expect(next.isBlocked).toBe(true);
        expect(next.timeToBlockExpire).toBeGreaterThan(60);
        expect(next.timeToBlockExpire).toBeLessThanOrEqual(120);
      });

      it(`${backend}: a window ends after its ttl and counting starts again; the limit itself still passes (both sides of the threshold)`, async () => {
        const storage = storages()[backend];
        const k = key();
        expect((await storage.increment(k, 1_000, 2, 1_000, 'test')).isBlocked).toBe(false);
        expect((await storage.increment(k, 1_000, 2, 1_000, 'test')).isBlocked).toBe(false); // the 2nd of 2
        expect((await storage.increment(k, 1_000, 2, 1_000, 'test')).isBlocked).toBe(true); // the 3rd
        await new Promise((r) => setTimeout(r, 1_300));
        const fresh = await storage.increment(k, 1_000, 2, 1_000, 'test');
        expect(fresh).toEqual(expect.objectContaining({ totalHits: 1, isBlocked: false }));
      });
    }
  });
});
