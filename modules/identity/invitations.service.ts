import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../../config/app-config';
import { hashPassword, passwordProblems, verifyPassword } from '../../src/auth/password';
import { Role, scopeOfRole } from '../../src/auth/roles';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import type { Actor } from '../../src/tenancy/request-context';
import { AuditService } from '../audit';
import { PartnershipsService } from '../partnerships';
import { SessionView } from './dto/auth.dto';
import { AcceptInvitationDto, CreateInvitationDto, InvitationCreatedView } from './dto/invitation.dto';
import { toMembershipView } from './auth.service';
import { IdentityErrors } from './identity.errors';
import { IdentityRepository } from './identity.repository';
import { hashToken, newOpaqueToken, TokenService } from './token.service';

interface Target {
  tenantId: string | null;
  enterpriseId: string | null;
}

/**
 * Who may invite whom, and into which place. Province admins invite province users and
 * the admins of colleges and enterprises; a college admin invites into their own college
 * (staff, mentors, and the mentors of an enterprise that is an active partner of the
 * college); an enterprise admin invites their own enterprise's mentors and admins.
 * See docs/adr/0008-enterprise-identity-and-consent.md.
 */
export function invitationTarget(actor: Actor, dto: CreateInvitationDto): Target {
  const role = dto.role;
  const scope = scopeOfRole(role);
  const forbid = () => new AppException(IdentityErrors.INVITE_ROLE_FORBIDDEN, { role });
  const need = (what: { zh: string }) => new AppException(IdentityErrors.INVITE_TARGET_REQUIRED, { role, what: what.zh });
  // a college or enterprise principal invites into its own college only: another college named is not theirs to see
  if (actor.role !== 'province-admin' && dto.tenantId && dto.tenantId !== actor.tenantId) throw new AppException(IdentityErrors.TENANT_NOT_FOUND);
  switch (actor.role) {
    case 'province-admin':
      if (scope === 'province') return { tenantId: null, enterpriseId: null };
      if (role !== 'college-admin' && role !== 'enterprise-admin') throw forbid();
      if (!dto.tenantId) throw need({ zh: '院校（tenantId）' });
      if (scope === 'enterprise' && !dto.enterpriseId) throw need({ zh: '企业（enterpriseId）' });
      return { tenantId: dto.tenantId, enterpriseId: scope === 'enterprise' ? dto.enterpriseId! : null };
    case 'college-admin':
      if (scope === 'college') return { tenantId: actor.tenantId!, enterpriseId: null };
      // ADR 0008: a college never creates an enterprise admin (the enterprise's consent would
      // then be the college's own); it invites mentors of its active partners only.
      if (role !== 'enterprise-mentor') throw forbid();
      if (!dto.enterpriseId) throw need({ zh: '企业（enterpriseId）' });
      return { tenantId: actor.tenantId!, enterpriseId: dto.enterpriseId };
    case 'enterprise-admin':
      if (scope !== 'enterprise') throw forbid();
      return { tenantId: actor.tenantId!, enterpriseId: actor.enterpriseId! };
    default:
      throw forbid();
  }
}

@Injectable()
export class InvitationsService {
  constructor(
    private readonly repository: IdentityRepository,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly partnerships: PartnershipsService,
  ) {}

  @Transactional()
  async invite(actor: Actor, dto: CreateInvitationDto): Promise<InvitationCreatedView> {
    if (!dto.email && !dto.phone) {
      throw new AppException(CommonErrors.VALIDATION_FAILED, {}, [
        { field: 'email', constraint: 'required', zh: '邮箱与手机号至少填一项', en: 'give an email or a mobile number' },
      ]);
    }
    const target = invitationTarget(actor, dto);
    if (target.tenantId && !(await this.repository.tenantExists(target.tenantId))) throw new AppException(IdentityErrors.TENANT_NOT_FOUND);
    if (target.enterpriseId && !(await this.repository.enterpriseExists(target.enterpriseId)))
      throw new AppException(IdentityErrors.ENTERPRISE_NOT_FOUND);
    // ADR 0008: a college invites enterprise people only for its active partners.
    if (actor.scope === 'college' && target.enterpriseId && !(await this.partnerships.isActivePartner(target.enterpriseId)))
      throw new AppException(IdentityErrors.INVITE_NOT_PARTNER);
    const token = newOpaqueToken();
    const invitation = await this.repository.insertInvitation({
      scope: scopeOfRole(dto.role),
      tenantId: target.tenantId,
      enterpriseId: target.enterpriseId,
      role: dto.role,
      email: dto.email ?? null,
      phone: dto.phone ?? null,
      displayName: dto.displayName,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + this.config.INVITATION_TTL_DAYS * 86_400_000),
      invitedBy: actor.userId,
    });
    await this.audit.record({
      entity: 'invitation',
      entityId: invitation.id,
      action: 'create',
      after: { role: dto.role, tenantId: target.tenantId, enterpriseId: target.enterpriseId, displayName: dto.displayName },
    });
    return { id: invitation.id, role: invitation.role, expiresAt: invitation.expiresAt.toISOString(), token };
  }

  /** The invitee sets a password (new account) or proves an existing one, and is signed in. */
  @Transactional()
  async accept(dto: AcceptInvitationDto): Promise<SessionView> {
    const invitation = await this.repository.findInvitationByHashForUpdate(hashToken(dto.token));
    if (!invitation) throw new AppException(IdentityErrors.INVITATION_INVALID);
    if (invitation.acceptedAt) throw new AppException(IdentityErrors.INVITATION_USED);
    if (invitation.expiresAt.getTime() <= Date.now()) throw new AppException(IdentityErrors.INVITATION_EXPIRED);

    const login = invitation.email ?? invitation.phone!;
    let user = await this.repository.findUserByLogin(login);
    if (user) {
      if (!user.passwordHash || !(await verifyPassword(user.passwordHash, dto.password))) {
        throw new AppException(IdentityErrors.WRONG_PASSWORD);
      }
    } else {
      if (passwordProblems(dto.password, [invitation.email?.split('@')[0], invitation.phone]).length) {
        throw new AppException(IdentityErrors.WEAK_PASSWORD);
      }
      user = Object.assign(
        await this.repository.insertUser({
          email: invitation.email,
          phone: invitation.phone,
          displayName: invitation.displayName,
          passwordHash: await hashPassword(dto.password),
        }),
        { passwordHash: null },
      );
    }
    const membership = {
      userId: user.id,
      scope: invitation.scope,
      tenantId: invitation.tenantId,
      enterpriseId: invitation.enterpriseId,
      role: invitation.role as Role,
    };
    if (await this.repository.membershipExists(membership)) throw new AppException(IdentityErrors.ALREADY_MEMBER);
    const created = await this.repository.insertMembership(membership);
    await this.repository.markInvitationAccepted(invitation.id, user.id);
    await this.audit.record({ entity: 'invitation', entityId: invitation.id, action: 'accept', after: { userId: user.id, membershipId: created.id } });
    const row = (await this.repository.membership(created.id))!;
    const memberships = await this.repository.membershipsOfUser(user.id);
    const pair = await this.tokens.issue(row, user);
    return { ...pair, membership: toMembershipView(row), memberships: memberships.map(toMembershipView) };
  }
}
