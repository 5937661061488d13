import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerGuard, ThrottlerLimitDetail, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import { AppException } from '../../errors/app.exception';
import { CommonErrors } from '../../errors/common.errors';
import { RATE_LIMIT_KEY, type RateLimitRoute } from './rate-limit.decorator';
import { RATE_LIMITS } from './rate-limits';

/** Listeners told of a refusal (e.g. the login audit records an address throttled); never delay or fail the 429. */
@Injectable()
export class RateLimitRefusals {
  private readonly logger = new Logger('RateLimit');
  private readonly listeners = new Map<string, Array<(req: Record<string, any>) => Promise<void>>>();

  on(name: keyof typeof RATE_LIMITS, listener: (req: Record<string, any>) => Promise<void>): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }

  async refused(name: string, req: Record<string, any>): Promise<void> {
    for (const listener of this.listeners.get(name) ?? []) {
      await listener(req).catch((err: unknown) => this.logger.error({ err }, `rate-limit listener for ${name} failed`));
    }
  }
}

const SUFFIX = new RegExp(`-(${Object.keys(RATE_LIMITS).join('|')})$`);

/**
 * @nestjs/throttler's guard with the API's conventions: only the limit the route names
 * (else `api`) counts; the headers carry no throttler suffix (one limit per route, so clients read the
 * plain X-RateLimit-* and Retry-After names the document lists); a refusal is the route's own
 * 429 problem+json in the caller's language.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly refusals: RateLimitRefusals,
  ) {
    super(options, storage, reflector);
  }

  protected override setResponseHeader(res: Record<string, any>, name: string, value: string | number): void {
    super.setResponseHeader(res, name.replace(SUFFIX, ''), value);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const route = this.reflector.getAllAndOverride<RateLimitRoute | undefined>(RATE_LIMIT_KEY, [context.getHandler(), context.getClass()]);
    const seconds = Math.max(1, detail.timeToBlockExpire);
    if (route) await this.refusals.refused(route.name, context.switchToHttp().getRequest());
    const problem = route ? route.refusal(seconds, detail.limit) : new AppException(CommonErrors.TOO_MANY_REQUESTS, { seconds, limit: detail.limit });
    Object.assign(problem.headers, { 'Retry-After': String(seconds) });
    throw problem;
  }
}
