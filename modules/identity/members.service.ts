import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AuthStateCache } from '../../src/auth/auth-state.cache';
import { AppException } from '../../src/errors/app.exception';
import { Page, toPage } from '../../src/http/pagination';
import { maskEmail, maskPhone } from '../../src/privacy/mask';
import type { Actor } from '../../src/tenancy/request-context';
import { AuditService } from '../audit';
import { MemberListQuery, MemberView } from './dto/invitation.dto';
import { IdentityErrors } from './identity.errors';
import { IdentityRepository, MemberListFilter, MembershipRow } from './identity.repository';

/** Which memberships an admin manages: their own college, their own enterprise, or (province) anywhere. */
function scopeFilter(actor: Actor, query: MemberListQuery): Pick<MemberListFilter, 'tenantId' | 'enterpriseId' | 'provinceOnly'> {
  if (actor.scope === 'province') return query.tenantId ? { tenantId: query.tenantId } : {};
  if (actor.scope === 'college') return { tenantId: actor.tenantId! };
  return { tenantId: actor.tenantId!, enterpriseId: actor.enterpriseId! };
}

function manages(actor: Actor, m: MembershipRow): boolean {
  if (actor.scope === 'province') return true;
  if (actor.scope === 'college') return m.tenantId === actor.tenantId;
  return m.tenantId === actor.tenantId && m.enterpriseId === actor.enterpriseId;
}

@Injectable()
export class MembersService {
  constructor(
    private readonly repository: IdentityRepository,
    private readonly audit: AuditService,
    private readonly authStates: AuthStateCache,
  ) {}

  /** Contact details are masked: an admin needs to recognise a person, not read their number. */
  @Transactional()
  async list(actor: Actor, query: MemberListQuery): Promise<Page<MemberView>> {
    const rows = await this.repository.listMembers({ ...query, ...scopeFilter(actor, query) });
    return toPage(
      rows,
      query.limit,
      (r) => [new Date(r.createdAt).toISOString(), r.id],
      (r) => ({
        membershipId: r.id,
        userId: r.userId,
        displayName: r.displayName,
        email: maskEmail(r.email),
        phone: maskPhone(r.phone),
        role: r.role,
        status: r.status,
        tenantId: r.tenantId,
        enterpriseId: r.enterpriseId,
        enterpriseName: r.enterpriseName,
        createdAt: new Date(r.createdAt).toISOString(),
      }),
    );
  }

  @Transactional()
  async setStatus(actor: Actor, membershipId: string, status: 'active' | 'revoked'): Promise<void> {
    const m = await this.repository.membership(membershipId);
    // Another college's membership answers 404: its existence is not revealed.
    if (!m || !manages(actor, m)) throw new AppException(IdentityErrors.MEMBERSHIP_NOT_FOUND);
    if (m.id === actor.membershipId) throw new AppException(IdentityErrors.CANNOT_REVOKE_SELF);
    if (m.status === status) return;
    await this.repository.setMembershipStatus(m.id, status);
    if (status === 'revoked') await this.repository.revokeAllOfMembership(m.id, 'membership-revoked');
    await this.audit.record({
      entity: 'membership',
      entityId: m.id,
      action: status === 'revoked' ? 'revoke' : 'restore',
      before: { status: m.status, role: m.role },
      after: { status, role: m.role },
    });
    this.authStates.invalidateAll();
  }
}
