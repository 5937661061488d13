import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REDIS, RedisClient } from './redis.module';

/**
 * Fixed-window counters for login throttling: Redis when configured, else an UNLOGGED
 * PostgreSQL table (the embedded demo). Both count atomically across processes.
 */
@Injectable()
export class CounterStore {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly dataSource: DataSource,
  ) {}

  /** Adds one hit and returns the count in the current window. */
  async hit(key: string, windowSeconds: number): Promise<number> {
    if (this.redis) {
      const [[, count]] = (await this.redis
        .multi()
        .incr(key)
        .expire(key, windowSeconds, 'NX')
        .exec()) as [[null, number], unknown];
      return count;
    }
    const rows = await this.dataSource.query(
      `INSERT INTO rate_counters (key, hits, expires_at) VALUES ($1, 1, now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_counters.expires_at <= now() THEN 1 ELSE rate_counters.hits + 1 END,
         expires_at = CASE WHEN rate_counters.expires_at <= now() THEN EXCLUDED.expires_at ELSE rate_counters.expires_at END
       RETURNING hits`,
      [key, windowSeconds],
    );
    return rows[0].hits;
  }

  async count(key: string): Promise<number> {
    if (this.redis) return Number((await this.redis.get(key)) ?? 0);
    const rows = await this.dataSource.query('SELECT hits FROM rate_counters WHERE key = $1 AND expires_at > now()', [key]);
    return rows[0]?.hits ?? 0;
  }

  /** Seconds until the window of `key` ends (0 when none). */
  async ttl(key: string): Promise<number> {
    if (this.redis) return Math.max(0, await this.redis.ttl(key));
    const rows = await this.dataSource.query(
      'SELECT ceil(extract(epoch FROM expires_at - now()))::int AS ttl FROM rate_counters WHERE key = $1 AND expires_at > now()',
      [key],
    );
    return rows[0]?.ttl ?? 0;
  }

  async reset(key: string): Promise<void> {
    if (this.redis) await this.redis.del(key);
    else await this.dataSource.query('DELETE FROM rate_counters WHERE key = $1', [key]);
  }
}
