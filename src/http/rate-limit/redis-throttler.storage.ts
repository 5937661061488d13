import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { REDIS, RedisClient } from '../../redis/redis.module';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One fixed window per key: the first hit starts it (PEXPIRE only then), the hit above the
 * limit opens a block of `blockDuration` ms on `<key>:block`; while the block lasts the window
 * is not counted further. All in one script, so concurrent hits from several API processes
 * never race between INCR and PEXPIRE.
 * Returns { hits, window ms left, block ms left }.
 */
const HIT_SCRIPT = `
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  local hits = tonumber(redis.call('GET', KEYS[1]) or ARGV[2]) + 1
  return { hits, math.max(redis.call('PTTL', KEYS[1]), 0), blockLeft }
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local windowLeft = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return { hits, windowLeft, tonumber(ARGV[3]) }
end
return { hits, windowLeft, 0 }
`;

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * @nestjs/throttler's storage on the project's ioredis connection (issue 10): the published
 * Redis storage peers only Nest ≤ 11. While Redis is not connected or does not answer within
 * REDIS_COMMAND_TIMEOUT_MS, the same window and block are kept in PostgreSQL (the UNLOGGED
 * `rate_counters` table), so a limited route neither hangs nor fails open nor answers 500
 * during a Redis outage (issue 8 item 13, test/e2e/login-outages.e2e-spec.ts).
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private lastFallbackLog = 0;
  /** Hits counted in PostgreSQL because Redis did not answer (tests and metrics). */
  fallbacks = 0;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly dataSource: DataSource,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, _throttlerName?: string): Promise<ThrottlerStorageRecord> {
    const client = this.redis;
    if (client?.status === 'ready') {
      try {
        const [hits, windowLeft, blockLeft] = (await client.eval(HIT_SCRIPT, 2, key, `${key}:block`, ttl, limit, blockDuration)) as number[];
        return this.record(hits, windowLeft, blockLeft);
      } catch (error) {
        this.noteFallback(error);
      }
    } else if (client) this.noteFallback(new Error(`Redis is ${client.status}`));
    return this.incrementInPostgres(key, ttl, limit, blockDuration);
  }

  private record(hits: number, windowLeftMs: number, blockLeftMs: number): ThrottlerStorageRecord {
    return { totalHits: Number(hits), timeToExpire: seconds(windowLeftMs), isBlocked: blockLeftMs > 0, timeToBlockExpire: seconds(blockLeftMs) };
  }

  /** The same semantics as HIT_SCRIPT in one statement per key (row locks serialise concurrent hits). */
  private async incrementInPostgres(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const blockKey = `${key}:block`;
    const [block] = await this.dataSource.query(
      'SELECT ceil(extract(epoch FROM expires_at - now()) * 1000)::bigint AS left_ms FROM rate_counters WHERE key = $1 AND expires_at > now()',
      [blockKey],
    );
    if (block) {
      const [window] = await this.dataSource.query(
        'SELECT hits, ceil(extract(epoch FROM expires_at - now()) * 1000)::bigint AS left_ms FROM rate_counters WHERE key = $1 AND expires_at > now()',
        [key],
      );
      return this.record((window?.hits ?? limit) + 1, Number(window?.left_ms ?? 0), Number(block.left_ms));
    }
    const [window] = await this.dataSource.query(
      `INSERT INTO rate_counters (key, hits, expires_at) VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_counters.expires_at <= now() THEN 1 ELSE rate_counters.hits + 1 END,
         expires_at = CASE WHEN rate_counters.expires_at <= now() THEN EXCLUDED.expires_at ELSE rate_counters.expires_at END
       RETURNING hits, ceil(extract(epoch FROM expires_at - now()) * 1000)::bigint AS left_ms`,
      [key, ttl],
    );
    if (window.hits > limit) {
      await this.dataSource.query(
        `INSERT INTO rate_counters (key, hits, expires_at) VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
         ON CONFLICT (key) DO UPDATE SET hits = 1, expires_at = EXCLUDED.expires_at`,
        [blockKey, blockDuration],
      );
      return this.record(window.hits, Number(window.left_ms), blockDuration);
    }
    return this.record(window.hits, Number(window.left_ms), 0);
  }

  private noteFallback(error: unknown): void {
    this.fallbacks += 1;
    if (Date.now() - this.lastFallbackLog > 10_000) {
      this.lastFallbackLog = Date.now();
      this.logger.warn(`Redis unavailable for rate limits (${(error as Error)?.message ?? error}); counting in PostgreSQL`);
    }
  }
}
