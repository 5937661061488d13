import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REDIS, RedisClient } from './redis.module';

/** A hit on a window that blocks its key once the limit is passed (rate limits). */
export interface BlockingHit {
  hits: number;
  windowLeftMs: number;
  /** > 0 while the key is blocked */
  blockLeftMs: number;
}

/**
 * One fixed window per key: the first hit starts it (PEXPIRE only then), the hit above the
 * limit opens a block of ARGV[3] ms on KEYS[2]; while the block lasts the window is not counted
 * further. One script, so concurrent hits from several processes never race between INCR and
 * PEXPIRE. Returns { hits, window ms left, block ms left }.
 */
const BLOCKING_HIT_SCRIPT = `
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

export interface CounterOptions {
  /**
   * Always in PostgreSQL, whatever Redis does: for counters whose loss would weaken
   * security (the per-account login lockout). Default: Redis when it answers.
   */
  durable?: boolean;
}

/**
 * Fixed-window counters for login throttling and rate limits: Redis when configured and answering, else an
 * UNLOGGED PostgreSQL table. Both count atomically across processes. A Redis that is down
 * or slow never stalls a caller (issue 8 item 13): a client that is not connected is not
 * asked at all, and a command is bounded by REDIS_COMMAND_TIMEOUT_MS; either way the
 * counter is kept in PostgreSQL meanwhile, so logins work with Redis gone.
 */
@Injectable()
export class CounterStore {
  private readonly logger = new Logger('CounterStore');
  private lastFallbackLog = 0;
  /** How often a counter was served by PostgreSQL because Redis did not answer (for tests and metrics). */
  fallbacks = 0;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly dataSource: DataSource,
  ) {}

  /** Redis if it is connected and answers in time; otherwise `postgres()`. */
  private async either<T>(options: CounterOptions | undefined, redis: (r: NonNullable<RedisClient>) => Promise<T>, postgres: () => Promise<T>): Promise<T> {
    const client = this.redis;
    if (!client || options?.durable) return postgres();
    if (client.status === 'ready') {
      try {
        return await redis(client);
      } catch (error) {
        this.noteFallback(error);
      }
    } else this.noteFallback(new Error(`Redis is ${client.status}`));
    return postgres();
  }

  private noteFallback(error: unknown): void {
    this.fallbacks += 1;
    if (Date.now() - this.lastFallbackLog > 10_000) {
      this.lastFallbackLog = Date.now();
      this.logger.warn(`Redis unavailable for counters (${(error as Error)?.message ?? error}); counting in PostgreSQL`);
    }
  }

  /** Adds one hit and returns the count in the current window. */
  hit(key: string, windowSeconds: number, options?: CounterOptions): Promise<number> {
    return this.either(
      options,
      async (r) => {
        const [[, count]] = (await r.multi().incr(key).expire(key, windowSeconds, 'NX').exec()) as [[null, number], unknown];
        return count;
      },
      async () => {
        const rows = await this.dataSource.query(
          `INSERT INTO rate_counters (key, hits, expires_at) VALUES ($1, 1, now() + make_interval(secs => $2))
           ON CONFLICT (key) DO UPDATE SET
             hits = CASE WHEN rate_counters.expires_at <= now() THEN 1 ELSE rate_counters.hits + 1 END,
             expires_at = CASE WHEN rate_counters.expires_at <= now() THEN EXCLUDED.expires_at ELSE rate_counters.expires_at END
           RETURNING hits`,
          [key, windowSeconds],
        );
        return rows[0].hits;
      },
    );
  }

  /**
   * Adds one hit to a `windowMs` window that, once past `limit`, blocks the key for `blockMs`
   * (the block lives on `<key>:block`). PostgreSQL keeps the same semantics, row locks
   * serialising concurrent hits.
   */
  hitBlocking(key: string, windowMs: number, limit: number, blockMs: number): Promise<BlockingHit> {
    const blockKey = `${key}:block`;
    return this.either(
      undefined,
      async (r) => {
        const [hits, windowLeftMs, blockLeftMs] = (await r.eval(BLOCKING_HIT_SCRIPT, 2, key, blockKey, windowMs, limit, blockMs)) as number[];
        return { hits: Number(hits), windowLeftMs: Number(windowLeftMs), blockLeftMs: Number(blockLeftMs) };
      },
      async () => {
        // clock_timestamp(), not now(): a hit that waited on another's row lock started earlier than the window it joins
        const msLeft = 'ceil(extract(epoch FROM expires_at - clock_timestamp()) * 1000)::bigint';
        const [block] = await this.dataSource.query(`SELECT ${msLeft} AS left_ms FROM rate_counters WHERE key = $1 AND expires_at > now()`, [blockKey]);
        if (block) {
          const [window] = await this.dataSource.query(`SELECT hits, ${msLeft} AS left_ms FROM rate_counters WHERE key = $1 AND expires_at > now()`, [key]);
          return { hits: (window?.hits ?? limit) + 1, windowLeftMs: Number(window?.left_ms ?? 0), blockLeftMs: Number(block.left_ms) };
        }
        const [window] = await this.dataSource.query(
          `INSERT INTO rate_counters (key, hits, expires_at) VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
           ON CONFLICT (key) DO UPDATE SET
             hits = CASE WHEN rate_counters.expires_at <= now() THEN 1 ELSE rate_counters.hits + 1 END,
             expires_at = CASE WHEN rate_counters.expires_at <= now() THEN EXCLUDED.expires_at ELSE rate_counters.expires_at END
           RETURNING hits, ${msLeft} AS left_ms`,
          [key, windowMs],
        );
        if (window.hits <= limit) return { hits: window.hits, windowLeftMs: Number(window.left_ms), blockLeftMs: 0 };
        await this.dataSource.query(
          `INSERT INTO rate_counters (key, hits, expires_at) VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
           ON CONFLICT (key) DO UPDATE SET hits = 1, expires_at = EXCLUDED.expires_at`,
          [blockKey, blockMs],
        );
        return { hits: window.hits, windowLeftMs: Number(window.left_ms), blockLeftMs: blockMs };
      },
    );
  }

  count(key: string, options?: CounterOptions): Promise<number> {
    return this.either(
      options,
      async (r) => Number((await r.get(key)) ?? 0),
      async () => {
        const rows = await this.dataSource.query('SELECT hits FROM rate_counters WHERE key = $1 AND expires_at > now()', [key]);
        return rows[0]?.hits ?? 0;
      },
    );
  }

  /** Seconds until the window of `key` ends (0 when none). */
  ttl(key: string, options?: CounterOptions): Promise<number> {
    return this.either(
      options,
      async (r) => Math.max(0, await r.ttl(key)),
      async () => {
        const rows = await this.dataSource.query(
          'SELECT ceil(extract(epoch FROM expires_at - now()))::int AS ttl FROM rate_counters WHERE key = $1 AND expires_at > now()',
          [key],
        );
        return rows[0]?.ttl ?? 0;
      },
    );
  }

  async reset(key: string, options?: CounterOptions): Promise<void> {
    await this.either(
      options,
      async (r) => void (await r.del(key)),
      async () => void (await this.dataSource.query('DELETE FROM rate_counters WHERE key = $1', [key])),
    );
  }
}
