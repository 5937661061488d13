import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AUTH_STATE_PORT, AuthState, AuthStatePort } from './auth-state.port';

/**
 * Membership state for the access guard, cached for a few seconds so an authenticated
 * call needs no database round trip. Changes made in this process invalidate at once;
 * another process sees them within AUTH_STATE_CACHE_SECONDS.
 */
@Injectable()
export class AuthStateCache {
  private readonly entries = new Map<string, { state: AuthState | undefined; until: number }>();

  constructor(
    @Inject(AUTH_STATE_PORT) private readonly port: AuthStatePort,
    private readonly config: AppConfig,
  ) {}

  async get(membershipId: string): Promise<AuthState | undefined> {
    const now = Date.now();
    const hit = this.entries.get(membershipId);
    if (hit && hit.until > now) return hit.state;
    const state = await this.port.load(membershipId);
    if (this.config.AUTH_STATE_CACHE_SECONDS > 0) {
      if (this.entries.size > 50_000) this.entries.clear();
      this.entries.set(membershipId, { state, until: now + this.config.AUTH_STATE_CACHE_SECONDS * 1000 });
    }
    return state;
  }

  /** Forget everything: a tenant was suspended, a password changed, a membership revoked. */
  invalidateAll(): void {
    this.entries.clear();
  }
}
