import { Injectable, OnModuleInit } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AuthStateCache } from '../../src/auth/auth-state.cache';
import { hashPassword, passwordProblems } from '../../src/auth/password';
import { HashingBusyError, PasswordHasher } from '../../src/auth/password-hasher';
import { AppException } from '../../src/errors/app.exception';
import { AuditService } from '../audit';
import { ChangePasswordDto, MembershipView, SessionView } from './dto/auth.dto';
import { IdentityErrors } from './identity.errors';
import { IdentityRepository, MembershipRow } from './identity.repository';
import { LoginAudit } from './login-audit.service';
import { LoginThrottle } from './login-throttle.service';
import { hashToken, TokenService } from './token.service';
import type { User } from './user.entity';

export function isUsable(m: MembershipRow): boolean {
  return m.status === 'active' && (m.tenantStatus === null || m.tenantStatus === 'active');
}

export function toMembershipView(m: MembershipRow): MembershipView {
  return {
    id: m.id,
    scope: m.scope,
    role: m.role,
    status: m.status,
    tenantId: m.tenantId,
    tenantName: m.tenantName,
    enterpriseId: m.enterpriseId,
    enterpriseName: m.enterpriseName,
    usable: isUsable(m),
  };
}

type RotateOutcome = { ok: SessionView } | { reused: true } | { invalid: true } | { ended: true };

/** Sign-in, token rotation, sign-out, membership switch and password change (issue 2 item 5). */
@Injectable()
export class AuthService implements OnModuleInit {
  /** verified against when the account does not exist, so both answers take as long */
  private dummyHash = '';

  constructor(
    private readonly repository: IdentityRepository,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly authStates: AuthStateCache,
    private readonly hasher: PasswordHasher,
    private readonly loginAudit: LoginAudit,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hashPassword('dummy-password-for-timing-1');
  }

  /**
   * The password is verified outside any transaction (issue 8 item 16): a short read, then
   * argon2 with no connection held, then a second short transaction that opens the session.
   * Hashing beyond the process's cap answers 503 with Retry-After at once.
   */
  async login(identifier: string, password: string, membershipId?: string): Promise<SessionView> {
    const admitted = this.busyAsProblem(() => this.hasher.admit()); // a flood is turned away before it costs a query
    try {
      await this.throttle.beforeAttempt(identifier).catch(async (e: unknown) => {
        await this.loginAudit.refused(identifier, 'account-locked');
        throw e;
      });
      const user = await this.credentials(identifier);
      const valid = await this.checkPassword(user?.passwordHash ?? this.dummyHash, password);
      const outcome = !user || !user.passwordHash || !valid || user.status !== 'active' ? 'bad-credentials' : await this.openSession(user.id, user.passwordHash, membershipId);
      if (outcome === 'bad-credentials') {
        await this.throttle.failed(identifier);
        await this.loginAudit.refused(identifier, 'bad-credentials'); // issue 9 item 8: after the verdict, outside the transaction
        throw new AppException(IdentityErrors.INVALID_CREDENTIALS);
      }
      await this.throttle.succeeded(identifier);
      return outcome;
    } finally {
      admitted();
    }
  }

  private checkPassword(hash: string, password: string): Promise<boolean> {
    return this.busyAsProblem(() => this.hasher.verify(hash, password));
  }

  /** Hashing at capacity → 503 IDENTITY.LOGIN_BUSY with Retry-After. */
  private busyAsProblem<T>(work: () => T): T {
    const asProblem = (e: unknown): never => {
      if (e instanceof HashingBusyError) {
        throw new AppException(IdentityErrors.LOGIN_BUSY, { seconds: e.retryAfterSeconds }, [], { 'Retry-After': String(e.retryAfterSeconds) });
      }
      throw e;
    };
    try {
      const out = work();
      return (out instanceof Promise ? out.catch(asProblem) : out) as T;
    } catch (e) {
      return asProblem(e);
    }
  }

  @Transactional()
  private credentials(identifier: string): Promise<(User & { passwordHash: string | null }) | null> {
    return this.repository.findUserByLogin(identifier);
  }

  /** Re-reads the user: a password changed or an account suspended meanwhile is a failed login. */
  @Transactional()
  private async openSession(userId: string, verifiedHash: string, membershipId?: string): Promise<SessionView | 'bad-credentials'> {
    const user = await this.repository.findUserWithHash(userId);
    if (!user || user.passwordHash !== verifiedHash || user.status !== 'active') return 'bad-credentials';
    const memberships = await this.repository.membershipsOfUser(user.id);
    const chosen = membershipId
      ? memberships.find((m) => m.id === membershipId && isUsable(m))
      : memberships.find(isUsable);
    if (!chosen) {
      throw new AppException(membershipId ? IdentityErrors.MEMBERSHIP_NOT_FOUND : IdentityErrors.NO_ACTIVE_MEMBERSHIP);
    }
    return this.session(user, chosen, memberships);
  }

  private async session(user: User, chosen: MembershipRow, memberships: MembershipRow[], familyId?: string): Promise<SessionView> {
    const pair = await this.tokens.issue(chosen, user, familyId);
    return { ...pair, membership: toMembershipView(chosen), memberships: memberships.map(toMembershipView) };
  }

  /** Rotation: a used token coming back revokes its whole family (the first use may have been a thief's). */
  async refresh(refreshToken: string): Promise<SessionView> {
    const outcome = await this.rotate(refreshToken);
    if ('ok' in outcome) return outcome.ok;
    if ('reused' in outcome) throw new AppException(IdentityErrors.REFRESH_REUSED);
    throw new AppException(IdentityErrors.REFRESH_INVALID);
  }

  @Transactional()
  private async rotate(refreshToken: string): Promise<RotateOutcome> {
    const row = await this.repository.findRefreshTokenForUpdate(hashToken(refreshToken));
    if (!row || row.revokedAt) return { invalid: true };
    if (row.usedAt) {
      await this.repository.revokeFamily(row.familyId, 'reuse');
      return { reused: true };
    }
    if (row.expiresAt.getTime() <= Date.now()) return { invalid: true };
    const user = await this.repository.findUser(row.userId);
    const membership = await this.repository.membership(row.membershipId);
    if (!user || user.status !== 'active' || !membership || !isUsable(membership)) {
      await this.repository.revokeFamily(row.familyId, 'ended');
      return { ended: true };
    }
    await this.repository.markRefreshTokenUsed(row.id);
    const memberships = await this.repository.membershipsOfUser(user.id);
    return { ok: await this.session(user, membership, memberships, row.familyId) };
  }

  @Transactional()
  async logout(userId: string, membershipId: string, refreshToken?: string): Promise<void> {
    if (refreshToken) {
      const row = await this.repository.findRefreshTokenForUpdate(hashToken(refreshToken));
      if (row && row.userId === userId) await this.repository.revokeFamily(row.familyId, 'logout');
    } else {
      await this.repository.revokeAllOfMembership(membershipId, 'logout');
    }
  }

  @Transactional()
  async memberships(userId: string): Promise<MembershipView[]> {
    return (await this.repository.membershipsOfUser(userId)).map(toMembershipView);
  }

  @Transactional()
  async switchMembership(userId: string, membershipId: string): Promise<SessionView> {
    const user = await this.repository.findUser(userId);
    const memberships = await this.repository.membershipsOfUser(userId);
    const target = memberships.find((m) => m.id === membershipId && isUsable(m));
    if (!user || !target) throw new AppException(IdentityErrors.MEMBERSHIP_NOT_FOUND);
    await this.audit.record({ entity: 'session', entityId: target.id, action: 'switch-membership' });
    return this.session(user, target, memberships);
  }

  /**
   * Every token issued before the change stops working (their password version no longer matches).
   * Both hashes are computed outside any transaction (issue 8 item 16); the write re-checks
   * that the password did not change meanwhile.
   */
  async changePassword(userId: string, membershipId: string, dto: ChangePasswordDto): Promise<SessionView> {
    const user = await this.userWithHash(userId);
    if (!user || !user.passwordHash) throw new AppException(IdentityErrors.WRONG_PASSWORD);
    if (!(await this.checkPassword(user.passwordHash, dto.currentPassword))) throw new AppException(IdentityErrors.WRONG_PASSWORD);
    if (dto.currentPassword === dto.newPassword) throw new AppException(IdentityErrors.SAME_PASSWORD);
    const local = user.email?.split('@')[0];
    if (passwordProblems(dto.newPassword, [local, user.phone]).length) throw new AppException(IdentityErrors.WEAK_PASSWORD);
    const newHash = await this.busyAsProblem(() => this.hasher.hash(dto.newPassword));
    return this.applyPasswordChange(user.id, user.passwordHash, newHash, membershipId);
  }

  @Transactional()
  private userWithHash(userId: string) {
    return this.repository.findUserWithHash(userId);
  }

  @Transactional()
  private async applyPasswordChange(userId: string, verifiedHash: string, newHash: string, membershipId: string): Promise<SessionView> {
    const user = await this.repository.findUserWithHash(userId);
    if (!user || user.passwordHash !== verifiedHash) throw new AppException(IdentityErrors.WRONG_PASSWORD);
    await this.repository.setPassword(user.id, newHash);
    await this.repository.revokeAllOfUser(user.id, 'password-change');
    await this.audit.record({ entity: 'user', entityId: user.id, action: 'change-password' });
    this.authStates.invalidateAll();
    const fresh = await this.repository.findUser(user.id);
    const memberships = await this.repository.membershipsOfUser(user.id);
    const current = memberships.find((m) => m.id === membershipId && isUsable(m)) ?? memberships.find(isUsable);
    if (!fresh || !current) throw new AppException(IdentityErrors.NO_ACTIVE_MEMBERSHIP);
    return this.session(fresh, current, memberships);
  }
}
