import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AppException } from '../../src/errors/app.exception';
import { CounterStore } from '../../src/redis/counter-store';
import { IdentityErrors } from './identity.errors';

const DURABLE = { durable: true } as const;

/**
 * Login throttling (QUALITY §2), per account: a lock after N failures within the lock
 * window. Keys use the login as typed (normalised), so the answer is the same whether or
 * not the account exists. The failures are always counted in PostgreSQL (durable: a Redis
 * outage or restart must not reset a lockout). The per-address window is
 * @RateLimit('login-ip') on the route (@nestjs/throttler, src/http/rate-limit).
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
  ) {}

  private accountKey(login: string): string {
    return `${this.config.QUEUE_PREFIX}:login:fail:${login.trim().toLowerCase()}`;
  }

  async beforeAttempt(login: string): Promise<void> {
    const failures = await this.counters.count(this.accountKey(login), DURABLE);
    if (failures >= this.config.LOGIN_MAX_FAILURES) {
      const seconds = Math.max(1, await this.counters.ttl(this.accountKey(login), DURABLE));
      throw new AppException(IdentityErrors.ACCOUNT_LOCKED, { minutes: Math.ceil(seconds / 60) }, [], {
        'Retry-After': String(seconds),
      });
    }
  }

  async failed(login: string): Promise<void> {
    await this.counters.hit(this.accountKey(login), this.config.LOGIN_LOCK_MINUTES * 60, DURABLE);
  }

  async succeeded(login: string): Promise<void> {
    await this.counters.reset(this.accountKey(login), DURABLE);
  }
}
