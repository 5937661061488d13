import type Redis from 'ioredis';
import { assertNoEviction, RedisPolicyError } from './redis.module';

const redisWithPolicy = (policy: string) => ({ config: async () => ['maxmemory-policy', policy] }) as unknown as Redis;

describe('Redis eviction policy check', () => {
  it('accepts noeviction', async () => {
    await expect(assertNoEviction(redisWithPolicy('noeviction'))).resolves.toBeUndefined();
  });

  it('refuses to start on an evicting Redis, naming the policy', async () => {
    await expect(assertNoEviction(redisWithPolicy('allkeys-lru'))).rejects.toThrow(RedisPolicyError);
    await expect(assertNoEviction(redisWithPolicy('allkeys-lru'))).rejects.toThrow(/allkeys-lru/);
  });
});
