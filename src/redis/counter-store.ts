import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REDIS, RedisClient } from './redis.module';

export interface CounterOptions {
  /**
   * Always in PostgreSQL, whatever Redis does: for counters whose loss would weaken
   * security (the per-account login lockout). Default: Redis when it answers.
   */
  durable?: boolean;
}

/**
 * Fixed-window counters for login throttling: Redis when configured and answering, else an
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
