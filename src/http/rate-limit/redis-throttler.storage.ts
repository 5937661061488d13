import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { CounterStore } from '../../redis/counter-store';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * @nestjs/throttler's storage on the project's counters (issue 10): the published Redis storage
 * peers only Nest ≤ 11. CounterStore counts in Redis and, while Redis is not connected or does not
 * answer within REDIS_COMMAND_TIMEOUT_MS, in PostgreSQL, so a limited route neither hangs nor
 * fails open nor answers 500 during a Redis outage (issue 8 item 13,
 * test/e2e/login-outages.e2e-spec.ts).
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly counters: CounterStore) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, _throttlerName?: string): Promise<ThrottlerStorageRecord> {
    const { hits, windowLeftMs, blockLeftMs } = await this.counters.hitBlocking(key, ttl, limit, blockDuration);
    return { totalHits: hits, timeToExpire: seconds(windowLeftMs), isBlocked: blockLeftMs > 0, timeToBlockExpire: seconds(blockLeftMs) };
  }
}
