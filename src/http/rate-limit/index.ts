export { RateLimit } from './rate-limit.decorator';
export { RateLimitRefusals } from './rate-limit.guard';
export { RateLimitModule } from './rate-limit.module';
export { RedisThrottlerStorage } from './redis-throttler.storage';
