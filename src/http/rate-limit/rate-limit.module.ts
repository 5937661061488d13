import { Global, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../../config/app-config';
import { DataSource } from 'typeorm';
import { CounterStore } from '../../redis/counter-store';
import { REDIS, RedisClient } from '../../redis/redis.module';
import { RATE_LIMIT_KEY, type RateLimitRoute } from './rate-limit.decorator';
import { RateLimitGuard, RateLimitRefusals } from './rate-limit.guard';
import { rateLimitOptions } from './rate-limits';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * Rate limits with @nestjs/throttler (issue 10), stored in Redis through our own storage
 * (PostgreSQL while Redis is away). Every route counts against the `api` limit unless it
 * names its own with @RateLimit(name, refusal). Imported after AuthModule: its global guard
 * runs after the access guard, so signed-in callers are counted per user.
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, Reflector, REDIS, DataSource],
      useFactory: (config: AppConfig, reflector: Reflector, redis: RedisClient, dataSource: DataSource) => ({
        ...rateLimitOptions(config, (context) => reflector.getAllAndOverride<RateLimitRoute | undefined>(RATE_LIMIT_KEY, [context.getHandler(), context.getClass()])?.name),
        storage: new RedisThrottlerStorage(new CounterStore(redis, dataSource)),
      }),
    }),
  ],
  providers: [RateLimitRefusals, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [RateLimitRefusals],
})
export class RateLimitModule {}
