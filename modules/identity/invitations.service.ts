import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../../config/app-config';
import { hashPassword, passwordProblems, verifyPassword } from '../../src/auth/password';
import { Role, scopeOfRole } from '../../src/auth/roles';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import type { Actor } from '../../src/tenancy/request-context';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { chinaDateOf } from '../../src/time/clock';
import { AuditService } from '../audit';
import { DeliveryService, maskEmail, maskPhone } from '../notifications';
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
      // issue 9: its own enterprise only; another one named is refused, not silently replaced by its own
      if (dto.enterpriseId && dto.enterpriseId !== actor.enterpriseId) throw new AppException(IdentityErrors.ENTERPRISE_NOT_FOUND);
      return { tenantId: actor.tenantId!, enterpriseId: actor.enterpriseId! };
    default:
      throw forbid();
  }
}

/** Chinese role names, for the invitation the invitee reads. */
export const ROLE_NAMES: Record<Role, string> = {
  'province-admin': '省级管理员',
  'province-expert': '省级评审专家',
  'province-viewer': '省级查看人员',
  'college-admin': '院校管理员',
  'college-staff': '院校教务人员',
  'college-mentor': '院校导师',
  'enterprise-admin': '企业管理员',
  'enterprise-mentor': '企业导师',
};

@Injectable()
export class InvitationsService {
  constructor(
    private readonly repository: IdentityRepository,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly partnerships: PartnershipsService,
    private readonly delivery: DeliveryService,
    private readonly context: TenantContext,
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
    // Issue 13: the token goes to the invitee (e-mail link, or an SMS code when only a mobile is known), never back to the inviter.
    const place = await this.repository.placeName(target.tenantId, target.enterpriseId);
    const roleName = ROLE_NAMES[dto.role];
    const expires = chinaDateOf(invitation.expiresAt);
    if (dto.email) {
      await this.delivery.sendDirect({
        tenantId: this.context.tenantId ?? null,
        purpose: 'invitation',
        channel: 'email',
        address: dto.email,
        subject: `邀请您加入技师学院试点管理平台（${roleName}）`,
        body: [
          `${dto.displayName}，您好：`,
          '',
          `${actor.displayName ?? '平台管理员'}邀请您以“${roleName}”身份加入技师学院试点管理平台${place ? `（${place}）` : ''}。`,
          `请在 ${expires} 前打开以下链接设置密码并接受邀请（链接仅可使用一次）：`,
          `${this.config.APP_PUBLIC_URL}/invitations/accept?token=${token}`,
          '',
          `邀请码：${token}`,
          '',
          '如果您并不认识邀请人，请忽略本邮件。',
          '—— 技师学院试点管理平台（本邮件由系统发送，请勿直接回复）',
        ].join('\n'),
      });
    } else {
      await this.delivery.sendDirect({
        tenantId: this.context.tenantId ?? null,
        purpose: 'invitation',
        channel: 'sms',
        address: dto.phone!,
        subject: '邀请短信',
        body: `【技师学院试点平台】${dto.displayName}您好，您被邀请为“${roleName}”${place ? `（${place}）` : ''}，邀请码：${token}，${expires}前有效，请在平台“接受邀请”页输入。`,
      });
    }
    return {
      id: invitation.id,
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
      deliveredBy: dto.email ? 'email' : 'sms',
      sentTo: dto.email ? maskEmail(dto.email) : maskPhone(dto.phone!),
    };
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
