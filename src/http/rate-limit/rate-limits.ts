import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions, ThrottlerOptions } from '@nestjs/throttler';
import type { AppConfig } from '../../../config/app-config';
import type { Actor } from '../../tenancy/request-context';

const byActorOrAddress = (req: Record<string, any>) => {
  const actor = req.user as Actor | undefined;
  return actor?.userId ? `user:${actor.userId}` : `ip:${req.ip}`;
};

/**
 * The limits of the API. `api` applies to every route that names no other limit (per user
 * when signed in, else per client address: OWASP API4, unrestricted resource consumption);
 * a route that names a limit with @RateLimit is counted by that limit alone.
 */
export const RATE_LIMITS = {
  api: (config: AppConfig): ThrottlerOptions => ({ ttl: 60_000, limit: config.API_RATE_LIMIT_PER_MINUTE, getTracker: byActorOrAddress }),
  /** QUALITY §2: sign-in attempts per client address and minute (the per-account lockout stays in modules/identity) */
  'login-ip': (config: AppConfig): ThrottlerOptions => ({ ttl: 60_000, limit: config.LOGIN_IP_LIMIT_PER_MINUTE }),
  /** issue 9 item 6: reveals of personal data per user and hour */
  reveal: (config: AppConfig): ThrottlerOptions => ({
    ttl: 3_600_000,
    limit: config.REVEAL_LIMIT_PER_HOUR,
    getTracker: byActorOrAddress,
  }),
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;

/** The limit that counts a route's requests: the one it names, else `api`. */
export function rateLimitOptions(config: AppConfig, routeLimit: (context: ExecutionContext) => string | undefined): ThrottlerModuleOptions {
  return {
    throttlers: Object.entries(RATE_LIMITS).map(([name, of]) => ({
      ...of(config),
      name,
      skipIf: (context: ExecutionContext) => (routeLimit(context) ?? 'api') !== name,
    })),
    // keys carry the deployment's prefix (tests and environments share a Redis)
    generateKey: (_context: ExecutionContext, tracker: string, name: string) => `${config.QUEUE_PREFIX}:rl:${name}:${tracker}`,
  };
}
