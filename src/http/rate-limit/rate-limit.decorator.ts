import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { AppException } from '../../errors/app.exception';
import { ApiThrottled } from '../openapi/api-errors.decorator';
import type { RateLimitName } from './rate-limits';

export const RATE_LIMIT_KEY = 'jishi:rate-limit';

export interface RateLimitRoute {
  name: RateLimitName;
  /** the route's own 429 problem, given the seconds to wait and the limit */
  refusal: (seconds: number, limit: number) => AppException;
}

/**
 * Limits a route with one of the named limits of `rate-limits.ts` instead of the default
 * `api` limit (@nestjs/throttler under the global RateLimitGuard): X-RateLimit-Limit/-Remaining/-Reset on the responses it lets through,
 * `refusal` (429 problem+json with Retry-After) beyond the limit, both documented (429 and
 * the headers in the OpenAPI document through @ApiThrottled).
 */
export function RateLimit(name: Exclude<RateLimitName, 'api'>, refusal: RateLimitRoute['refusal']): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(RATE_LIMIT_KEY, { name, refusal } satisfies RateLimitRoute), ApiThrottled());
}
