import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AppException } from '../../src/errors/app.exception';
import { CounterStore } from '../../src/redis/counter-store';
import { IdentityErrors } from './identity.errors';

const DURABLE = { durable: true } as const;

/**
 * Login throttling (QUALITY §2): per IP, a fixed window of attempts per minute; per
 * account, a lock after N failures within the lock window. Keys use the login as typed
 * (normalised), so the answer is the same whether or not the account exists.
 * The per-account failures are always counted in PostgreSQL (durable: a Redis outage or
 * restart must not reset a lockout); the per-IP window uses Redis and falls back to
 * PostgreSQL while Redis is away, so logins never wait on Redis (issue 8 item 13).
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

  private ipKey(ip: string): string {
    return `${this.config.QUEUE_PREFIX}:login:ip:${ip}`;
  }

  async beforeAttempt(login: string, ip: string): Promise<void> {
    const ipHits = await this.counters.hit(this.ipKey(ip), 60);
    if (ipHits > this.config.LOGIN_IP_LIMIT_PER_MINUTE) {
      const seconds = Math.max(1, await this.counters.ttl(this.ipKey(ip)));
      throw new AppException(IdentityErrors.IP_THROTTLED, { seconds }, [], { 'Retry-After': String(seconds) });
    }
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
