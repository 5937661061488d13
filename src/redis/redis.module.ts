import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';

export const REDIS = Symbol('REDIS');

/** null when REDIS_URL is unset: counters and queues then live in PostgreSQL. */
export type RedisClient = Redis | null;

export class RedisPolicyError extends Error {}

/** BullMQ loses jobs under eviction; refuse to start on such a Redis (QUALITY §3). */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = (await configGetPatiently(redis, 'maxmemory-policy')) as string[];
  const policy = reply?.[1];
  if (policy && policy !== 'noeviction') {
    throw new RedisPolicyError(`Redis maxmemory-policy is "${policy}"; it must be "noeviction" for the queues`);
  }
}

/**
 * The short command timeout is for requests; at boot the event loop may be busy for longer than
 * that (module compilation, font and template loading), so a timed-out reply is asked for again.
 */
async function configGetPatiently(redis: Redis, key: string, attempts = 5): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await redis.config('GET', key);
    } catch (error) {
      if (attempt >= attempts || !/timed out/i.test((error as Error)?.message ?? '')) throw error;
    }
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig): RedisClient =>
        // Bounded: a command fails after REDIS_COMMAND_TIMEOUT_MS instead of waiting for a Redis that is gone
        // (callers fall back to PostgreSQL, issue 8 item 13); reconnects every ≤ 2 s.
        config.REDIS_URL
          ? new Redis(config.REDIS_URL, {
              lazyConnect: false,
              maxRetriesPerRequest: 1,
              enableOfflineQueue: true,
              commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
              connectTimeout: 5_000,
              retryStrategy: (times: number) => Math.min(200 * times, 2_000),
            })
          : null,
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private lastErrorLog = 0;

  constructor(@Inject(REDIS) private readonly redis: RedisClient) {
    // Connection errors while Redis is away are expected: log one a minute, never crash.
    if (typeof this.redis?.on === 'function') this.redis.on('error', (error: Error) => {
      if (Date.now() - this.lastErrorLog < 60_000) return;
      this.lastErrorLog = Date.now();
      this.logger.warn(`Redis: ${error.message}`);
    });
  }

  async onModuleInit(): Promise<void> {
    if (this.redis) await assertNoEviction(this.redis);
    else this.logger.log('REDIS_URL unset: counters and queues use PostgreSQL');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
