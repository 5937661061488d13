import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { Page, toPage } from '../../src/http/pagination';
import type { Actor } from '../../src/tenancy/request-context';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { StaffDepartureHandler } from './domain/departure';
import type { ExpertBasis } from './domain/expert';
import {
  CertificateDto,
  CreateStaffDto,
  LeaveResultView,
  LeaveStaffDto,
  StaffListQuery,
  StaffView,
  TitleDto,
  UpdateStaffDto,
} from './dto/staff.dto';
import { ExpertRule } from './expert-rule';
import { Certificate, StaffMember } from './staff-member.entity';
import { StaffErrors } from './staff.errors';
import { StaffRepository, StaffRow } from './staff.repository';
import { assertNotFuture } from '../../src/time/not-future';

export function toStaffView(r: StaffRow): StaffView {
  const basis: ExpertBasis[] = [];
  if (r.expertByTitle) basis.push('title');
  if (r.expertBySkillLevel) basis.push('skill-level');
  const standardTitle = r.titleSeries === 'theory' ? r.theoryTitle : r.titleSeries === 'practice' ? r.practiceTitle : null;
  return {
    id: r.id,
    tenantId: r.tenantId,
    side: r.side,
    enterprise: r.enterpriseId ? { id: r.enterpriseId, name: r.enterpriseName ?? '' } : null,
    name: r.name,
    gender: r.gender,
    title:
      r.titleSeries && r.titleLevelCode
        ? {
            series: r.titleSeries,
            levelCode: r.titleLevelCode,
            levelNameZh: r.titleLevelNameZh ?? r.titleLevelCode,
            bandZh: r.titleBandZh ?? '',
            name: r.titleName ?? standardTitle ?? r.titleLevelNameZh ?? r.titleLevelCode,
            senior: r.titleSenior === true,
          }
        : null,
    skillLevel: r.skillLevelCode
      ? { code: r.skillLevelCode, nameZh: r.skillLevelNameZh ?? r.skillLevelCode, technicianOrAbove: r.skillTechnicianOrAbove === true }
      : null,
    field: r.field,
    certificates: r.certificates,
    expert: r.expert,
    expertBasis: basis,
    userId: r.userId,
    status: r.status,
    leftOn: r.leftOn,
    leftReason: r.leftReason,
    confirmation: r.confirmation,
    rejectionReason: r.rejectionReason,
    version: r.version,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

function snapshot(s: StaffMember) {
  return {
    side: s.side,
    enterpriseId: s.enterpriseId,
    name: s.name,
    gender: s.gender,
    titleSeries: s.titleSeries,
    titleName: s.titleName,
    titleLevelCode: s.titleLevelCode,
    skillLevelCode: s.skillLevelCode,
    field: s.field,
    certificates: s.certificates,
    userId: s.userId,
    status: s.status,
    leftOn: s.leftOn,
    confirmation: s.confirmation,
  };
}

function certificates(list: CertificateDto[] | undefined): Certificate[] {
  (list ?? []).forEach((c, i) => assertNotFuture(c.issuedOn, `certificates.${i}.issuedOn`, '证书发证日期', 'The issue date'));
  return (list ?? []).map((c) => ({
    name: c.name,
    level: c.level ?? null,
    number: c.number ?? null,
    issuedOn: c.issuedOn ?? null,
    attachmentId: c.attachmentId ?? null,
  }));
}

/**
 * College teachers and enterprise mentors (R-ENT-2, issue 4). College users manage their
 * college's staff; an enterprise admin adds its own mentors (confirmed at once) and
 * confirms or rejects the ones a college added for it. The expert flag is derived (R-EVA-2).
 */
@Injectable()
export class StaffService {
  private readonly departureHandlers: StaffDepartureHandler[] = [];

  constructor(
    private readonly staff: StaffRepository,
    private readonly expertRule: ExpertRule,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
  ) {}

  /** Modules that hold a person's open items (mentorships; issue 5: hours, work orders) register here. */
  registerDepartureHandler(handler: StaffDepartureHandler): void {
    this.departureHandlers.push(handler);
  }

  @Transactional()
  async create(dto: CreateStaffDto): Promise<StaffView> {
    const actor = this.context.requireActor();
    let enterpriseId = dto.enterpriseId ?? null;
    let confirmation: StaffMember['confirmation'] = 'confirmed';
    if (actor.scope === 'enterprise') {
      // An enterprise admin adds its own mentors, confirmed at once.
      if (dto.side !== 'enterprise' || (enterpriseId && enterpriseId !== actor.enterpriseId)) {
        throw new AppException(StaffErrors.OWN_ENTERPRISE_ONLY);
      }
      enterpriseId = actor.enterpriseId!;
    } else if (dto.side === 'enterprise') {
      if (!enterpriseId) throw new AppException(StaffErrors.ENTERPRISE_REQUIRED);
      confirmation = 'pending-confirmation';
    } else if (enterpriseId) {
      throw new AppException(StaffErrors.ENTERPRISE_NOT_ALLOWED);
    }
    if (enterpriseId && !(await this.staff.isPartnerEnterprise(enterpriseId))) throw new AppException(StaffErrors.NOT_PARTNER);

    await this.expertRule.evaluate(dto.title?.levelCode ?? null, dto.skillLevelCode ?? null); // validates both codes
    const certs = certificates(dto.certificates);
    await this.assertAttachments(actor, certs);
    if (dto.userId) await this.assertUser(dto.userId, enterpriseId);

    const member = await this.staff.insert({
      side: dto.side,
      enterpriseId,
      name: dto.name,
      gender: dto.gender,
      ...this.titleColumns(dto.title),
      skillLevelCode: dto.skillLevelCode ?? null,
      field: dto.field,
      certificates: certs,
      userId: dto.userId ?? null,
      confirmation,
      createdBy: actor.userId,
    });
    await this.audit.record({ entity: 'staff-member', entityId: member.id, action: 'create', after: snapshot(member) });
    return this.view(member.id);
  }

  /** College users: their college; enterprise users: their enterprise's mentors; province: any college (optionally one). */
  @Transactional()
  async list(query: StaffListQuery): Promise<Page<StaffView>> {
    const actor = this.context.requireActor();
    if (actor.scope === 'enterprise' && query.enterpriseId && query.enterpriseId !== actor.enterpriseId) {
      return { items: [], nextCursor: null };
    }
    const rows = await this.staff.list({
      ...query,
      tenantId: actor.scope === 'province' ? query.tenantId : this.context.requireTenantId(),
      enterpriseId: actor.scope === 'enterprise' ? actor.enterpriseId : query.enterpriseId,
    });
    return toPage(rows, query.limit, (r) => [r.name, r.id], toStaffView);
  }

  @Transactional()
  async get(id: string): Promise<StaffView> {
    return toStaffView(await this.requireVisible(id));
  }

  /** Version-checked. An enterprise admin edits only its own mentors; a rejected mentor edited by the college asks again. */
  @Transactional()
  async update(id: string, dto: UpdateStaffDto): Promise<StaffView> {
    const actor = this.context.requireActor();
    const member = await this.requireManageable(actor, id);
    if (member.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: member.version });
    const before = snapshot(member);
    if (dto.name !== undefined) member.name = dto.name;
    if (dto.gender !== undefined) member.gender = dto.gender;
    if (dto.field !== undefined) member.field = dto.field;
    if (dto.title !== undefined) Object.assign(member, this.titleColumns(dto.title ?? undefined));
    if (dto.skillLevelCode !== undefined) member.skillLevelCode = dto.skillLevelCode;
    await this.expertRule.evaluate(member.titleLevelCode, member.skillLevelCode);
    if (dto.certificates !== undefined) {
      member.certificates = certificates(dto.certificates);
      await this.assertAttachments(actor, member.certificates);
    }
    if (dto.userId !== undefined && dto.userId !== member.userId) {
      if (dto.userId) await this.assertUser(dto.userId, member.enterpriseId, member.id);
      member.userId = dto.userId;
    }
    if (actor.scope === 'college' && member.confirmation === 'rejected') {
      member.confirmation = 'pending-confirmation';
      member.rejectionReason = null;
    }
    const saved = await this.staff.save(member);
    await this.audit.record({ entity: 'staff-member', entityId: id, action: 'update', before, after: snapshot(saved) });
    return this.view(id);
  }

  /** The enterprise admin confirms a mentor the college added on its behalf. */
  @Transactional()
  async confirm(id: string): Promise<StaffView> {
    return this.decide(id, 'confirmed', null);
  }

  @Transactional()
  async reject(id: string, reason: string): Promise<StaffView> {
    return this.decide(id, 'rejected', reason);
  }

  /**
   * The person leaves: their open items (active mentorships; later pending hours and work
   * orders) move to the successor, who must be an active, confirmed member of the same
   * side (and enterprise). Without open items no successor is needed.
   */
  @Transactional()
  async leave(id: string, dto: LeaveStaffDto): Promise<LeaveResultView> {
    const actor = this.context.requireActor();
    const member = await this.requireManageable(actor, id);
    if (member.status === 'left') throw new AppException(StaffErrors.ALREADY_LEFT);
    assertNotFuture(dto.leftOn, 'leftOn', '离任日期', 'The departure date');
    const open = (await Promise.all(this.departureHandlers.map((h) => h.openItems(id)))).filter((o) => o.count > 0);
    if (dto.successorId) {
      const successor = await this.staff.findForUpdate(dto.successorId);
      if (
        !successor ||
        successor.id === id ||
        successor.status !== 'active' ||
        successor.confirmation !== 'confirmed' ||
        successor.side !== member.side ||
        successor.enterpriseId !== member.enterpriseId
      ) {
        throw new AppException(StaffErrors.SUCCESSOR_INVALID);
      }
    } else if (open.length) {
      throw new AppException(StaffErrors.SUCCESSOR_REQUIRED, {
        items: open.map((o) => o.zh).join('、'),
        itemsEn: open.map((o) => o.en).join(', '),
      });
    }
    const handedOver: { kind: string; count: number }[] = [];
    if (dto.successorId) {
      for (const handler of this.departureHandlers) {
        const { kind } = await handler.openItems(id);
        const count = await handler.handOver(id, dto.successorId, dto.leftOn, dto.reason);
        if (count) handedOver.push({ kind, count });
      }
    }
    const before = snapshot(member);
    member.status = 'left';
    member.leftOn = dto.leftOn;
    member.leftReason = dto.reason;
    const saved = await this.staff.save(member);
    await this.audit.record({
      entity: 'staff-member',
      entityId: id,
      action: 'leave',
      before,
      after: { ...snapshot(saved), successorId: dto.successorId ?? null, handedOver },
    });
    return { staff: await this.view(id), handedOver };
  }

  // ---- public contract for other modules (runs in the caller's transaction)

  /** Rows of the current college by id, with the derived expert flag. */
  rowsOf(ids: string[]): Promise<StaffRow[]> {
    return this.staff.findRows(ids);
  }

  /** The staff record the user's account is linked to in the current college, if any. */
  rowOfUser(userId: string): Promise<StaffRow | undefined> {
    return this.staff.findByUser(userId);
  }

  /** Whether an enterprise is a partner of the current college (an active partnership). */
  isPartnerEnterprise(enterpriseId: string): Promise<boolean> {
    return this.staff.isPartnerEnterprise(enterpriseId);
  }

  // ---- internals

  private async decide(id: string, to: 'confirmed' | 'rejected', reason: string | null): Promise<StaffView> {
    const actor = this.context.requireActor();
    const member = await this.staff.findForUpdate(id);
    if (!member || member.enterpriseId !== actor.enterpriseId) throw new AppException(StaffErrors.NOT_FOUND);
    if (member.confirmation !== 'pending-confirmation') throw new AppException(StaffErrors.NOT_PENDING);
    const before = snapshot(member);
    member.confirmation = to;
    member.rejectionReason = reason;
    member.decidedBy = actor.userId;
    member.decidedAt = new Date();
    const saved = await this.staff.save(member);
    await this.audit.record({
      entity: 'staff-member',
      entityId: id,
      action: to === 'confirmed' ? 'confirm' : 'reject',
      before,
      after: { ...snapshot(saved), rejectionReason: reason },
    });
    return this.view(id);
  }

  private titleColumns(title: TitleDto | undefined) {
    return {
      titleSeries: title?.series ?? null,
      titleLevelCode: title?.levelCode ?? null,
      titleName: title?.name ?? null,
    };
  }

  private async view(id: string): Promise<StaffView> {
    const row = await this.staff.findRow(id);
    if (!row) throw new AppException(StaffErrors.NOT_FOUND);
    return toStaffView(row);
  }

  /** Visible: own college (enterprise users: only their enterprise's mentors); province: any. */
  private async requireVisible(id: string): Promise<StaffRow> {
    const actor = this.context.requireActor();
    const row = await this.staff.findRow(id);
    if (!row || (actor.scope === 'enterprise' && row.enterpriseId !== actor.enterpriseId)) {
      throw new AppException(StaffErrors.NOT_FOUND);
    }
    return row;
  }

  private async requireManageable(actor: Actor, id: string): Promise<StaffMember> {
    const member = await this.staff.findForUpdate(id);
    if (!member || (actor.scope === 'enterprise' && member.enterpriseId !== actor.enterpriseId)) {
      throw new AppException(StaffErrors.NOT_FOUND);
    }
    return member;
  }

  /** Issue 9 item 2: a certificate names a file the caller can see (an enterprise user: its own enterprise's files). */
  private async assertAttachments(actor: Actor, certs: Certificate[]): Promise<void> {
    const ids = [...new Set(certs.map((c) => c.attachmentId).filter((x): x is string => !!x))];
    const found = await this.staff.existingAttachments(ids, actor.scope === 'enterprise' ? actor.enterpriseId! : null);
    const missing = ids.find((x) => !found.has(x));
    if (missing) throw new AppException(StaffErrors.ATTACHMENT_MISSING, { id: missing });
  }

  private async assertUser(userId: string, enterpriseId: string | null, exceptId?: string): Promise<void> {
    if (!(await this.staff.userBelongs(userId, enterpriseId))) throw new AppException(StaffErrors.USER_NOT_MEMBER);
    if (await this.staff.userLinkedElsewhere(userId, exceptId)) throw new AppException(StaffErrors.USER_LINKED);
  }
}
