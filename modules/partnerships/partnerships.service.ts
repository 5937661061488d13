import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { Page, toPage } from '../../src/http/pagination';
import type { Actor } from '../../src/tenancy/request-context';
import { AttachmentOwners, AttachmentsService } from '../attachments';
import { isAllowed } from '../../src/auth/permissions';
import type { Role } from '../../src/auth/roles';
import { AuditService } from '../audit';
import { EnterprisesService } from '../enterprises';
import { agreementInForce, MAX_ACTIVE_PARTNERS } from './agreement-status';
import {
  ActivatePartnershipDto,
  AgreementView,
  CreateAgreementDto,
  CreatePartnershipDto,
  EndPartnershipDto,
  PartnershipListQuery,
  PartnershipView,
  SignAgreementDto,
  TerminateAgreementDto,
  UpdateAgreementDto,
} from './dto/partnership.dto';
import { PartnershipErrors } from './partnerships.errors';
import { AgreementRow, PartnershipRow, PartnershipsRepository } from './partnerships.repository';
import { chinaToday } from '../../src/time/china-date';
import { assertNotFuture } from '../../src/time/not-future';

export interface ActivePartner {
  partnershipId: string;
  enterpriseId: string;
  enterpriseName: string;
  agreementInForce: boolean;
}

const STATUS_ZH: Record<string, string> = { proposed: '拟合作', active: '合作中', ended: '已结束', draft: '草稿', signed: '已签署', terminated: '已终止' };

function toPartnershipView(p: PartnershipRow): PartnershipView {
  return {
    id: p.id,
    programmeId: p.programmeId,
    programmeName: p.programmeName,
    enterpriseId: p.enterpriseId,
    enterpriseName: p.enterpriseName,
    status: p.status,
    startedOn: p.startedOn,
    endedOn: p.endedOn,
    version: p.version,
    createdAt: new Date(p.createdAt).toISOString(),
  };
}

function toAgreementView(a: AgreementRow, today: string): AgreementView {
  return {
    id: a.id,
    partnershipId: a.partnershipId,
    collegePartyName: a.collegePartyName,
    enterprisePartyName: a.enterprisePartyName,
    signedOn: a.signedOn,
    termStart: a.termStart,
    termEnd: a.termEnd,
    rightsAndDuties: a.rightsAndDuties,
    signedFileAttachmentId: a.signedFileAttachmentId,
    status: a.status,
    inForce: agreementInForce(a, today),
    terminatedOn: a.terminatedOn,
    terminationReason: a.terminationReason,
    version: a.version,
    createdAt: new Date(a.createdAt).toISOString(),
  };
}

const pSnapshot = (p: PartnershipRow) => ({ programmeId: p.programmeId, enterpriseId: p.enterpriseId, status: p.status, startedOn: p.startedOn, endedOn: p.endedOn });
const aSnapshot = (a: AgreementRow) => ({
  partnershipId: a.partnershipId,
  status: a.status,
  termStart: a.termStart,
  termEnd: a.termEnd,
  signedOn: a.signedOn,
  signedFileAttachmentId: a.signedFileAttachmentId,
  terminatedOn: a.terminatedOn,
  terminationReason: a.terminationReason,
});

/**
 * Partnerships (college × enterprise × programme) and joint-training agreements
 * (R-TRN-1, R-PRG-3). College staff manage them; enterprise users read their own
 * enterprise's only (another enterprise's → 404).
 */
@Injectable()
export class PartnershipsService {
  constructor(
    private readonly repository: PartnershipsRepository,
    private readonly audit: AuditService,
    private readonly enterprises: EnterprisesService,
    private readonly attachments: AttachmentsService,
    owners: AttachmentOwners,
  ) {
    // POST /attachments may name an agreement the uploader manages (issue 9 item 2).
    owners.register('agreement', async (actor, agreementId) => {
      if (!isAllowed(actor.role as Role, 'partnerships.manage')) return null;
      const a = await this.requireAgreement(actor, agreementId);
      return { enterpriseId: a.enterpriseId };
    });
  }

  // ---- public contract (runs in the caller's @Transactional() context)

  /** The programme's active partners and whether each has an agreement in force on `today` (R-PRG-3, R-TRN-1). */
  async activePartnersOf(programmeId: string, today: string): Promise<ActivePartner[]> {
    const active = await this.repository.activeOf(programmeId);
    const signed = await this.repository.signedAgreementsOf(active.map((p) => p.id));
    return active.map((p) => ({
      partnershipId: p.id,
      enterpriseId: p.enterpriseId,
      enterpriseName: p.enterpriseName,
      agreementInForce: signed.some((a) => a.partnershipId === p.id && agreementInForce(a, today)),
    }));
  }

  /** An enterprise is an active partner of the current college when one of its partnerships is active. */
  isActivePartner(enterpriseId: string): Promise<boolean> {
    return this.repository.isActivePartner(enterpriseId);
  }

  /** Whether the enterprise partners (activeOnly: actively) with the programme of the current college. */
  isPartnerOfProgramme(programmeId: string, enterpriseId: string, activeOnly = false): Promise<boolean> {
    return this.repository.isPartnerOfProgramme(programmeId, enterpriseId, activeOnly);
  }

  // ---- partnerships
  @Transactional()
  async create(actor: Actor, dto: CreatePartnershipDto): Promise<PartnershipView> {
    const programme = await this.repository.lockProgramme(dto.programmeId);
    if (!programme) throw new AppException(PartnershipErrors.PROGRAMME_NOT_FOUND);
    const enterprise = await this.enterprises.ensureLinkedToCollege(dto.enterpriseId, actor.userId);
    if (!enterprise) throw new AppException(PartnershipErrors.ENTERPRISE_NOT_FOUND);
    if (await this.repository.findPair(dto.programmeId, dto.enterpriseId)) {
      throw new AppException(PartnershipErrors.DUPLICATE, { programme: programme.name });
    }
    const p = await this.repository.insert(dto.programmeId, dto.enterpriseId);
    await this.audit.record({ entity: 'partnership', entityId: p.id, action: 'create', after: pSnapshot(p) });
    return toPartnershipView(p);
  }

  @Transactional()
  async list(actor: Actor, query: PartnershipListQuery): Promise<Page<PartnershipView>> {
    if (actor.scope === 'enterprise' && query.enterpriseId && query.enterpriseId !== actor.enterpriseId) return { items: [], nextCursor: null };
    const enterpriseId = actor.scope === 'enterprise' ? actor.enterpriseId : query.enterpriseId;
    const rows = await this.repository.list({ ...query, enterpriseId });
    return toPage(rows, query.limit, (p) => [new Date(p.createdAt).toISOString(), p.id], toPartnershipView);
  }

  @Transactional()
  async get(actor: Actor, id: string): Promise<PartnershipView> {
    return toPartnershipView(await this.requireVisible(actor, id));
  }

  /**
   * R-PRG-3: at most two active partner enterprises per programme. The programme row is
   * locked first, so two concurrent activations cannot both see one free place.
   */
  @Transactional()
  async activate(actor: Actor, id: string, dto: ActivatePartnershipDto): Promise<PartnershipView> {
    const current = await this.requireVisible(actor, id);
    const programme = await this.repository.lockProgramme(current.programmeId);
    const p = (await this.repository.find(id, true))!;
    if (!programme) throw new AppException(PartnershipErrors.NOT_FOUND);
    if (p.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: p.version });
    if (p.status !== 'proposed') throw new AppException(PartnershipErrors.BAD_STATUS, { status: STATUS_ZH[p.status] });
    const active = await this.repository.activeOf(p.programmeId);
    if (active.length >= MAX_ACTIVE_PARTNERS) {
      throw new AppException(PartnershipErrors.TOO_MANY_ACTIVE, {
        programme: programme.name,
        partners: active.map((a) => a.enterpriseName).join('、'),
      });
    }
    assertNotFuture(dto.startedOn, 'startedOn', '合作开始日期', 'The start date');
    const saved = await this.repository.setStatus(id, 'active', { startedOn: dto.startedOn ?? chinaToday() });
    await this.audit.record({ entity: 'partnership', entityId: id, action: 'activate', before: pSnapshot(p), after: pSnapshot(saved) });
    return toPartnershipView(saved);
  }

  @Transactional()
  async end(actor: Actor, id: string, dto: EndPartnershipDto): Promise<PartnershipView> {
    await this.requireVisible(actor, id);
    const p = (await this.repository.find(id, true))!;
    if (p.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: p.version });
    if (p.status !== 'active') throw new AppException(PartnershipErrors.BAD_STATUS, { status: STATUS_ZH[p.status] });
    assertNotFuture(dto.endedOn, 'endedOn', '合作结束日期', 'The end date');
    const endedOn = dto.endedOn ?? chinaToday();
    if (p.startedOn && endedOn < p.startedOn) throw new AppException(PartnershipErrors.BAD_TERM);
    const saved = await this.repository.setStatus(id, 'ended', { endedOn });
    await this.audit.record({ entity: 'partnership', entityId: id, action: 'end', before: pSnapshot(p), after: pSnapshot(saved) });
    return toPartnershipView(saved);
  }

  // ---- agreements (R-TRN-1)
  @Transactional()
  async createAgreement(actor: Actor, partnershipId: string, dto: CreateAgreementDto): Promise<AgreementView> {
    const p = await this.requireVisible(actor, partnershipId);
    if (p.status === 'ended') throw new AppException(PartnershipErrors.BAD_STATUS, { status: STATUS_ZH[p.status] });
    if (dto.termEnd < dto.termStart) throw new AppException(PartnershipErrors.BAD_TERM);
    const a = await this.repository.insertAgreement({
      partnershipId,
      collegePartyName: await this.repository.collegeName(),
      enterprisePartyName: p.enterpriseName,
      termStart: dto.termStart,
      termEnd: dto.termEnd,
      rightsAndDuties: dto.rightsAndDuties,
    });
    await this.audit.record({ entity: 'agreement', entityId: a.id, action: 'create', after: aSnapshot(a) });
    return toAgreementView(a, chinaToday());
  }

  @Transactional()
  async agreementsOf(actor: Actor, partnershipId: string): Promise<AgreementView[]> {
    await this.requireVisible(actor, partnershipId);
    const today = chinaToday();
    return (await this.repository.agreementsOf(partnershipId)).map((a) => toAgreementView(a, today));
  }

  @Transactional()
  async getAgreement(actor: Actor, id: string): Promise<AgreementView> {
    return toAgreementView(await this.requireAgreement(actor, id), chinaToday());
  }

  @Transactional()
  async updateAgreement(actor: Actor, id: string, dto: UpdateAgreementDto): Promise<AgreementView> {
    const a = await this.requireAgreement(actor, id, true);
    this.checkAgreement(a, dto.version, 'draft');
    const termStart = dto.termStart ?? a.termStart;
    const termEnd = dto.termEnd ?? a.termEnd;
    if (termEnd < termStart) throw new AppException(PartnershipErrors.BAD_TERM);
    const saved = await this.repository.updateAgreement(id, { termStart: dto.termStart, termEnd: dto.termEnd, rightsAndDuties: dto.rightsAndDuties });
    await this.audit.record({ entity: 'agreement', entityId: id, action: 'update', before: aSnapshot(a), after: aSnapshot(saved) });
    return toAgreementView(saved, chinaToday());
  }

  /** Signing needs the signed file, uploaded in this college; the enterprise may then download it. */
  @Transactional()
  async sign(actor: Actor, id: string, dto: SignAgreementDto): Promise<AgreementView> {
    const a = await this.requireAgreement(actor, id, true);
    this.checkAgreement(a, dto.version, 'draft');
    assertNotFuture(dto.signedOn, 'signedOn', '签订日期', 'The signing date');
    // Issue 9 item 2: only the uploader links the file, once (ADR 0008).
    if (!(await this.attachments.claim(dto.signedFileAttachmentId, 'agreement', id, a.enterpriseId))) throw new AppException(PartnershipErrors.SIGNED_FILE_MISSING);
    const saved = await this.repository.updateAgreement(id, { status: 'signed', signedOn: dto.signedOn, signedFileAttachmentId: dto.signedFileAttachmentId });
    await this.audit.record({ entity: 'agreement', entityId: id, action: 'sign', before: aSnapshot(a), after: aSnapshot(saved) });
    return toAgreementView(saved, chinaToday());
  }

  @Transactional()
  async terminate(actor: Actor, id: string, dto: TerminateAgreementDto): Promise<AgreementView> {
    const a = await this.requireAgreement(actor, id, true);
    this.checkAgreement(a, dto.version, 'signed');
    assertNotFuture(dto.terminatedOn, 'terminatedOn', '终止日期', 'The termination date');
    const saved = await this.repository.updateAgreement(id, {
      status: 'terminated',
      terminatedOn: dto.terminatedOn ?? chinaToday(),
      terminationReason: dto.reason,
    });
    await this.audit.record({ entity: 'agreement', entityId: id, action: 'terminate', before: aSnapshot(a), after: aSnapshot(saved) });
    return toAgreementView(saved, chinaToday());
  }

  private checkAgreement(a: AgreementRow, version: number, status: AgreementRow['status']): void {
    if (a.version !== version) throw new AppException(CommonErrors.STALE_VERSION, { current: a.version });
    if (a.status !== status) throw new AppException(PartnershipErrors.AGREEMENT_BAD_STATUS, { status: STATUS_ZH[a.status] });
  }

  private async requireVisible(actor: Actor, id: string): Promise<PartnershipRow> {
    const p = await this.repository.find(id);
    if (!p || (actor.scope === 'enterprise' && p.enterpriseId !== actor.enterpriseId)) throw new AppException(PartnershipErrors.NOT_FOUND);
    return p;
  }

  private async requireAgreement(actor: Actor, id: string, lock = false): Promise<AgreementRow> {
    const a = await this.repository.findAgreement(id, lock);
    if (!a || (actor.scope === 'enterprise' && a.enterpriseId !== actor.enterpriseId)) throw new AppException(PartnershipErrors.AGREEMENT_NOT_FOUND);
    return a;
  }
}
