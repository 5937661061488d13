import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { RateLimitRefusals } from '../../src/http/rate-limit';
import { AuditService } from '../audit';
import { IdentityRepository } from './identity.repository';

export type LoginRefusal = 'bad-credentials' | 'account-locked' | 'ip-throttled';

/**
 * Issue 9 item 8: failed logins and lockouts in the audit log, with the identifier as
 * typed and the caller's IP (never the password). Called once, after the login's verdict,
 * outside the login transaction; a failure to write is logged and never changes the answer.
 * Rows go to every college the account belongs to (its admins read them) and to the province.
 */
@Injectable()
export class LoginAudit implements OnModuleInit {
  private readonly logger = new Logger('LoginAudit');

  constructor(
    private readonly repository: IdentityRepository,
    private readonly audit: AuditService,
    private readonly rateLimits: RateLimitRefusals,
  ) {}

  onModuleInit(): void {
    // the per-address limit refuses in @nestjs/throttler's guard, before the body is validated
    this.rateLimits.on('login-ip', (req) => this.refused(typeof req.body?.identifier === 'string' ? req.body.identifier : '', 'ip-throttled'));
  }

  async refused(identifier: string, why: LoginRefusal): Promise<void> {
    try {
      const login = identifier.trim().toLowerCase().slice(0, 254);
      const { userId, tenantIds } = await this.accountOf(login);
      await this.audit.recordSecurityEvent(
        { entity: 'login', entityId: userId, action: why === 'bad-credentials' ? 'login-failed' : `login-refused-${why}`, after: { identifier: login, reason: why }, userId },
        tenantIds,
      );
    } catch (e) {
      this.logger.error({ err: e }, 'login audit failed');
    }
  }

  @Transactional()
  private async accountOf(login: string): Promise<{ userId: string | null; tenantIds: string[] }> {
    const user = await this.repository.findUserByLogin(login);
    if (!user) return { userId: null, tenantIds: [] };
    const memberships = await this.repository.membershipsOfUser(user.id);
    return { userId: user.id, tenantIds: memberships.map((m) => m.tenantId).filter((x): x is string => !!x) };
  }
}
