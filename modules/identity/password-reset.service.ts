import { randomInt } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../../config/app-config';
import { hashPassword, passwordProblems } from '../../src/auth/password';
import { AppException } from '../../src/errors/app.exception';
import { CounterStore } from '../../src/redis/counter-store';
import { currentClock } from '../../src/time/clock';
import { AuditService } from '../audit';
import { DeliveryService } from '../notifications';
import { PasswordResetConfirmDto } from './dto/password-reset.dto';
import { IdentityErrors } from './identity.errors';
import { IdentityRepository } from './identity.repository';
import { hashToken, newOpaqueToken } from './token.service';

/** Requests answered per identifier and hour; more are accepted (202) and silently not sent (no mail bombing, no enumeration). */
const REQUESTS_PER_IDENTIFIER_PER_HOUR = 5;

/** An SMS code is short: its hash is bound to the account, so equal codes of two people never collide. */
export function smsCodeHash(userId: string, code: string): Buffer {
  return hashToken(`sms:${userId}:${code}`);
}

/**
 * Forgotten password (issue 13): an e-mailed one-time link, or an SMS code through the
 * SmsSender. Single use, PASSWORD_RESET_TTL_MINUTES (30), rate-limited per identifier and
 * per IP the way logins are (CounterStore: per-IP window, durable per-identifier failure
 * count), audited, and a success revokes every session (refresh tokens; the password
 * change time invalidates access tokens).
 */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger('PasswordReset');

  constructor(
    private readonly repository: IdentityRepository,
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly delivery: DeliveryService,
  ) {}

  private key(kind: string, value: string): string {
    return `${this.config.QUEUE_PREFIX}:password-reset:${kind}:${value.trim().toLowerCase()}`;
  }

  /** Always the same answer, whether or not the account exists. */
  /** Per client address the routes share the sign-in limit (`login-ip`, AuthController). */
  async request(identifier: string, ip: string): Promise<void> {
    const login = identifier.trim().toLowerCase();
    if ((await this.counters.hit(this.key('request', login), 3600, { durable: true })) > REQUESTS_PER_IDENTIFIER_PER_HOUR) return;
    await this.issue(login, ip);
  }

  @Transactional()
  private async issue(login: string, ip: string): Promise<void> {
    const user = await this.repository.findUserByLogin(login);
    if (!user || user.status !== 'active') return;
    const bySms = !login.includes('@');
    const token = bySms ? String(randomInt(0, 1_000_000)).padStart(6, '0') : newOpaqueToken();
    const minutes = this.config.PASSWORD_RESET_TTL_MINUTES;
    await this.repository.insertPasswordReset({
      userId: user.id,
      channel: bySms ? 'sms' : 'email',
      tokenHash: bySms ? smsCodeHash(user.id, token) : hashToken(token),
      expiresAt: new Date(currentClock().now().getTime() + minutes * 60_000),
      ip,
    });
    await this.delivery.sendDirect(
      bySms
        ? {
            tenantId: null,
            purpose: 'password-reset',
            channel: 'sms',
            address: user.phone!,
            subject: '密码重置验证码',
            body: `【技师学院试点平台】您的密码重置验证码：${token}，${minutes} 分钟内有效，仅可使用一次。如非本人操作请忽略。`,
          }
        : {
            tenantId: null,
            purpose: 'password-reset',
            channel: 'email',
            address: user.email!,
            subject: '重置您的技师学院试点管理平台密码',
            body: [
              `${user.displayName}，您好：`,
              '',
              `我们收到了重置您账号密码的请求。请在 ${minutes} 分钟内打开以下链接设置新密码（链接仅可使用一次）：`,
              `${this.config.APP_PUBLIC_URL}/password-reset?token=${token}`,
              '',
              `重置令牌：${token}`,
              '',
              '如果这不是您本人的操作，请忽略本邮件，您的密码不会改变。',
              '—— 技师学院试点管理平台（本邮件由系统发送，请勿直接回复）',
            ].join('\n'),
          },
    );
    await this.audit.recordSecurityEvent({ entity: 'user', entityId: user.id, action: 'password-reset-request', after: { channel: bySms ? 'sms' : 'email' }, userId: user.id }, []);
  }

  async confirm(dto: PasswordResetConfirmDto): Promise<void> {
    // failures are counted per identifier (SMS codes) or per token (links), durably, like login failures
    const failKey = this.key('fail', dto.identifier ?? hashToken(dto.token).toString('hex'));
    if ((await this.counters.count(failKey, { durable: true })) >= this.config.LOGIN_MAX_FAILURES) {
      const seconds = Math.max(1, await this.counters.ttl(failKey, { durable: true }));
      throw new AppException(IdentityErrors.RESET_THROTTLED, { seconds }, [], { 'Retry-After': String(seconds) });
    }
    try {
      const userId = await this.apply(dto);
      await this.counters.reset(failKey, { durable: true });
      await this.audit.recordSecurityEvent({ entity: 'user', entityId: userId, action: 'password-reset', after: { sessionsRevoked: true }, userId }, []);
    } catch (error) {
      if (error instanceof AppException && [404, 409, 410].includes(error.definition.status)) {
        await this.counters.hit(failKey, this.config.LOGIN_LOCK_MINUTES * 60, { durable: true });
      }
      throw error;
    }
  }

  @Transactional()
  private async apply(dto: PasswordResetConfirmDto): Promise<string> {
    let hash = hashToken(dto.token);
    let user: Awaited<ReturnType<IdentityRepository['findUserByLogin']>> = null;
    if (dto.identifier) {
      user = await this.repository.findUserByLogin(dto.identifier.trim().toLowerCase());
      if (!user) throw new AppException(IdentityErrors.RESET_INVALID);
      hash = smsCodeHash(user.id, dto.token);
    }
    const reset = await this.repository.passwordResetForUpdate(hash);
    if (!reset || (user && reset.userId !== user.id)) throw new AppException(IdentityErrors.RESET_INVALID);
    if (reset.usedAt) throw new AppException(IdentityErrors.RESET_USED);
    if (new Date(reset.expiresAt).getTime() <= currentClock().now().getTime()) {
      throw new AppException(IdentityErrors.RESET_EXPIRED, { minutes: this.config.PASSWORD_RESET_TTL_MINUTES });
    }
    const owner = user ?? (await this.repository.findUserWithHash(reset.userId));
    if (!owner || owner.status !== 'active') throw new AppException(IdentityErrors.RESET_INVALID);
    if (passwordProblems(dto.newPassword, [owner.email?.split('@')[0], owner.phone]).length) throw new AppException(IdentityErrors.WEAK_PASSWORD);
    await this.repository.setPassword(owner.id, await hashPassword(dto.newPassword));
    await this.repository.markPasswordResetUsed(reset.id);
    await this.repository.revokeAllOfUser(owner.id, 'password-reset');
    return owner.id;
  }
}
