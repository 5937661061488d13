import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { Page, toPage } from '../../src/http/pagination';
import { maskPhone } from '../../src/privacy/mask';
import type { Actor } from '../../src/tenancy/request-context';
import { AttachmentOwners, AttachmentsService } from '../attachments';
import { isAllowed } from '../../src/auth/permissions';
import type { Role } from '../../src/auth/roles';
import { AuditService } from '../audit';
import { ReferenceDataService } from '../reference-data';
import { countsWithinWindow } from './cooperation-window';
import { COOPERATION_KIND_LABELS, CooperationKind, CooperationView, CreateCooperationDto } from './dto/cooperation.dto';
import {
  ChangeProposalView,
  EnterpriseListQuery,
  EnterpriseProfileFields,
  EnterpriseView,
  OverrideRegisterEnterpriseDto,
  ProfileChangesDto,
  ProposeChangeDto,
  RegisterEnterpriseDto,
  RegisterEnterpriseResult,
  UpdateEnterpriseDto,
} from './dto/enterprise.dto';
import { Enterprise, PROFILE_FIELDS, ProfileChanges, REVENUE_BAND_LABELS } from './enterprise.entity';
import { CriterionResult, EnterpriseCriteriaService } from './enterprise-criteria.service';
import { EnterpriseErrors } from './enterprises.errors';
import { CooperationRow, EnterprisesRepository, ProposalRow } from './enterprises.repository';
import { checkUscc } from './uscc';
import { chinaToday } from '../../src/time/china-date';
import { assertNotFuture } from '../../src/time/not-future';

/** Full contact number only for the enterprise's own admin and province admins (PIPL, QUALITY §4). */
function seesContact(actor: Actor | undefined, e: Enterprise): boolean {
  if (!actor) return false;
  return actor.role === 'province-admin' || (actor.role === 'enterprise-admin' && actor.enterpriseId === e.id);
}

export function toEnterpriseView(e: Enterprise, actor?: Actor): EnterpriseView {
  return {
    id: e.id,
    uscc: e.uscc,
    name: e.name,
    industry: e.industry,
    clusterCodes: e.clusterCodes ?? [],
    headcount: e.headcount,
    revenueBand: e.revenueBand,
    revenueBandLabel: e.revenueBand ? REVENUE_BAND_LABELS[e.revenueBand] : null,
    standing: e.standing,
    address: e.address,
    contactName: e.contactName,
    contactPhone: seesContact(actor, e) ? e.contactPhone : maskPhone(e.contactPhone),
    valuesSkillsTraining: e.valuesSkillsTraining,
    valuesSkillsTrainingNote: e.valuesSkillsTrainingNote,
    takesPartInAssessment: e.takesPartInAssessment,
    canPlaceGraduates: e.canPlaceGraduates,
    canPlaceGraduatesNote: e.canPlaceGraduatesNote,
    usccOverrideReason: e.usccOverrideReason,
    usccOverrideAt: e.usccOverrideAt ? e.usccOverrideAt.toISOString() : null,
    version: e.version,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** Audit snapshot: profile fields, contact number masked. */
function snapshot(e: Enterprise): Record<string, unknown> {
  const out: Record<string, unknown> = { uscc: e.uscc };
  for (const f of PROFILE_FIELDS) out[f] = e[f];
  out.contactPhone = maskPhone(e.contactPhone);
  return out;
}

/** Only the fields the client sent (undefined = unchanged). */
function changesOf(dto: EnterpriseProfileFields & { name?: string }): ProfileChanges {
  const out: Record<string, unknown> = {};
  for (const f of PROFILE_FIELDS) {
    const v = (dto as Record<string, unknown>)[f];
    if (v !== undefined) out[f] = v;
  }
  return out as ProfileChanges;
}

export function toCooperationView(c: CooperationRow, referenceDate: string): CooperationView {
  return {
    id: c.id,
    enterpriseId: c.enterpriseId,
    kind: c.kind as CooperationKind,
    kindLabel: COOPERATION_KIND_LABELS[c.kind as CooperationKind] ?? c.kind,
    partnerCollege: c.partnerCollege,
    title: c.title,
    startedOn: c.startedOn,
    endedOn: c.endedOn,
    evidence: c.evidence,
    attachmentId: c.attachmentId,
    withinLastThreeYears: countsWithinWindow(c, referenceDate),
    createdAt: new Date(c.createdAt).toISOString(),
  };
}

function toProposalView(p: ProposalRow): ChangeProposalView {
  const changes = { ...p.changes } as Record<string, unknown>;
  if (typeof changes.contactPhone === 'string') changes.contactPhone = maskPhone(changes.contactPhone);
  return {
    id: p.id,
    enterpriseId: p.enterpriseId,
    changes,
    note: p.note,
    status: p.status,
    rejectReason: p.rejectReason,
    decidedAt: p.decidedAt ? new Date(p.decidedAt).toISOString() : null,
    createdAt: new Date(p.createdAt).toISOString(),
  };
}

/**
 * The province-wide enterprise registry (R-ENT-0), profiles (R-ENT-1, R-ENT-4), change
 * proposals from colleges and cooperation history (R-ENT-1).
 *
 * Visibility: the province sees every enterprise; a college the enterprises it has linked
 * (registered, or partnered with); an enterprise user only their own enterprise, and only
 * inside the college their token is for. Anything else answers 404.
 */
@Injectable()
export class EnterprisesService {
  constructor(
    private readonly repository: EnterprisesRepository,
    private readonly audit: AuditService,
    private readonly referenceData: ReferenceDataService,
    private readonly attachments: AttachmentsService,
    private readonly criteriaService: EnterpriseCriteriaService,
    owners: AttachmentOwners,
  ) {
    // POST /attachments may name an enterprise whose profile the uploader edits (issue 9 item 2).
    owners.register('enterprise', async (actor, enterpriseId) => {
      if (!isAllowed(actor.role as Role, 'enterprises.edit-own')) return null;
      const e = await this.requireEditable(actor, enterpriseId, false);
      return { enterpriseId: e.id };
    });
  }

  /** R-ENT-1…4 for an enterprise the caller can see, against a reference date (default today, China). */
  @Transactional()
  async criteria(actor: Actor, id: string, referenceDate?: string): Promise<CriterionResult[]> {
    await this.requireVisible(actor, id);
    return this.criteriaService.evaluate(id, referenceDate ?? chinaToday());
  }

  // ---- registry
  /** R-ENT-0: a failing USCC is refused with the reason; an existing one is linked, never duplicated. */
  @Transactional()
  async register(actor: Actor, dto: RegisterEnterpriseDto): Promise<RegisterEnterpriseResult> {
    const check = checkUscc(dto.uscc);
    if (!check.ok) {
      throw new AppException(EnterpriseErrors.USCC_INVALID, {}, [{ field: 'uscc', constraint: 'uscc', ...check.reason }]);
    }
    return this.registerChecked(actor, dto, null);
  }

  /** R-ENT-0 override: a province admin records why a code that fails the check is accepted. */
  @Transactional()
  async registerWithOverride(actor: Actor, dto: OverrideRegisterEnterpriseDto): Promise<RegisterEnterpriseResult> {
    if (!/^[0-9A-Z]{18}$/.test(dto.uscc)) {
      throw new AppException(EnterpriseErrors.USCC_INVALID, {}, [
        { field: 'uscc', constraint: 'uscc', zh: '统一社会信用代码应为 18 位数字或大写字母', en: 'A USCC has 18 digits or capital letters' },
      ]);
    }
    return this.registerChecked(actor, dto, dto.usccOverrideReason);
  }

  private async registerChecked(actor: Actor, dto: RegisterEnterpriseDto, overrideReason: string | null): Promise<RegisterEnterpriseResult> {
    await this.checkClusters(dto.clusterCodes);
    const existing = await this.repository.findByUscc(dto.uscc);
    if (existing) {
      if (overrideReason !== null) throw new AppException(EnterpriseErrors.USCC_TAKEN, { uscc: dto.uscc });
      return this.linkExisting(actor, existing);
    }
    const created = await this.repository.insertUnlessExists({
      uscc: dto.uscc,
      ...changesOf(dto),
      name: dto.name,
      ...(overrideReason !== null ? { usccOverrideReason: overrideReason, usccOverrideBy: actor.userId, usccOverrideAt: new Date() } : {}),
    });
    if (!created) {
      // Registered concurrently by someone else: link to that one.
      const raced = await this.repository.findByUscc(dto.uscc);
      if (!raced || overrideReason !== null) throw new AppException(EnterpriseErrors.USCC_TAKEN, { uscc: dto.uscc });
      return this.linkExisting(actor, raced);
    }
    await this.audit.record({
      entity: 'enterprise',
      entityId: created.id,
      action: overrideReason !== null ? 'register-with-uscc-override' : 'register',
      after: { ...snapshot(created), usccOverrideReason: overrideReason },
    });
    if (actor.scope === 'college') await this.linkAudited(created.id, actor);
    return { outcome: 'created', message: '已在全省企业库中新建该企业', enterprise: toEnterpriseView(created, actor) };
  }

  private async linkExisting(actor: Actor, e: Enterprise): Promise<RegisterEnterpriseResult> {
    if (actor.scope !== 'college') {
      return { outcome: 'existing', message: '该企业已在全省企业库中，未重复创建', enterprise: toEnterpriseView(e, actor) };
    }
    const isNew = await this.linkAudited(e.id, actor);
    return isNew
      ? {
          outcome: 'linked',
          message: '该企业已在全省企业库中，已关联到本校，未重复创建；如需修改企业信息，请提交变更建议',
          enterprise: toEnterpriseView(e, actor),
        }
      : { outcome: 'already-linked', message: '该企业早已关联到本校', enterprise: toEnterpriseView(e, actor) };
  }

  private async linkAudited(enterpriseId: string, actor: Actor): Promise<boolean> {
    const isNew = await this.repository.link(enterpriseId, actor.userId);
    if (isNew) await this.audit.record({ entity: 'enterprise', entityId: enterpriseId, action: 'link-to-college' });
    return isNew;
  }

  @Transactional()
  async list(actor: Actor, query: EnterpriseListQuery): Promise<Page<EnterpriseView>> {
    const visibility = actor.scope === 'province' ? 'all' : actor.scope === 'college' ? 'tenant' : 'own';
    const rows = await this.repository.list({ ...query, visibility, enterpriseId: actor.enterpriseId });
    return toPage(rows, query.limit, (e) => [e.name, e.id], (e) => toEnterpriseView(e, actor));
  }

  @Transactional()
  async get(actor: Actor, id: string): Promise<EnterpriseView> {
    return toEnterpriseView(await this.requireVisible(actor, id), actor);
  }

  /** Enterprise admins edit their own profile; province admins any. College staff propose instead. */
  @Transactional()
  async update(actor: Actor, id: string, dto: UpdateEnterpriseDto): Promise<EnterpriseView> {
    const e = await this.requireEditable(actor, id, true);
    if (e.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: e.version });
    const saved = await this.apply(e, changesOf(dto), 'update');
    return toEnterpriseView(saved, actor);
  }

  private async apply(e: Enterprise, changes: ProfileChanges, action: string): Promise<Enterprise> {
    await this.checkClusters(changes.clusterCodes);
    const before = snapshot(e);
    Object.assign(e, changes);
    const saved = await this.repository.save(e);
    await this.audit.record({ entity: 'enterprise', entityId: e.id, action, before, after: snapshot(saved) });
    return saved;
  }

  // ---- change proposals
  @Transactional()
  async propose(actor: Actor, enterpriseId: string, dto: ProposeChangeDto): Promise<ChangeProposalView> {
    await this.requireVisible(actor, enterpriseId);
    const changes = changesOf(dto.changes as ProfileChangesDto);
    if (Object.keys(changes).length === 0) throw new AppException(EnterpriseErrors.NO_CHANGES);
    await this.checkClusters(changes.clusterCodes);
    const p = await this.repository.insertProposal(enterpriseId, changes, dto.note ?? null, actor.userId);
    const view = toProposalView(p);
    await this.audit.record({ entity: 'enterprise-change-proposal', entityId: p.id, action: 'propose', after: { ...view } });
    return view;
  }

  @Transactional()
  async listProposals(actor: Actor, enterpriseId: string): Promise<ChangeProposalView[]> {
    await this.requireVisible(actor, enterpriseId);
    return (await this.repository.listProposals(enterpriseId)).map(toProposalView);
  }

  /** The enterprise admin accepts: the changes go to the registry (audited on both records). */
  @Transactional()
  async acceptProposal(actor: Actor, proposalId: string): Promise<ChangeProposalView> {
    const p = await this.requirePendingProposal(actor, proposalId);
    const e = await this.repository.findByIdForUpdate(p.enterpriseId);
    if (!e) throw new AppException(EnterpriseErrors.NOT_FOUND);
    await this.apply(e, p.changes, 'apply-change-proposal');
    await this.repository.decideProposal(p.id, 'accepted', actor.userId, null);
    await this.audit.record({ entity: 'enterprise-change-proposal', entityId: p.id, action: 'accept', before: { status: p.status }, after: { status: 'accepted' } });
    return toProposalView((await this.repository.findProposal(p.id))!);
  }

  @Transactional()
  async rejectProposal(actor: Actor, proposalId: string, reason: string): Promise<ChangeProposalView> {
    const p = await this.requirePendingProposal(actor, proposalId);
    await this.repository.decideProposal(p.id, 'rejected', actor.userId, reason);
    await this.audit.record({
      entity: 'enterprise-change-proposal',
      entityId: p.id,
      action: 'reject',
      before: { status: p.status },
      after: { status: 'rejected', reason },
    });
    return toProposalView((await this.repository.findProposal(p.id))!);
  }

  private async requirePendingProposal(actor: Actor, id: string): Promise<ProposalRow> {
    const p = await this.repository.findProposal(id, true);
    // Only the enterprise concerned decides; for anyone else the proposal does not exist.
    if (!p || p.enterpriseId !== actor.enterpriseId) throw new AppException(EnterpriseErrors.PROPOSAL_NOT_FOUND);
    if (p.status !== 'pending') throw new AppException(EnterpriseErrors.PROPOSAL_DECIDED, { status: p.status });
    return p;
  }

  // ---- cooperation history (R-ENT-1)
  @Transactional()
  async listCooperations(actor: Actor, enterpriseId: string, referenceDate?: string): Promise<CooperationView[]> {
    await this.requireVisible(actor, enterpriseId);
    const ref = referenceDate ?? chinaToday();
    return (await this.repository.listCooperations(enterpriseId)).map((c) => toCooperationView(c, ref));
  }

  @Transactional()
  async addCooperation(actor: Actor, enterpriseId: string, dto: CreateCooperationDto): Promise<CooperationView> {
    await this.requireEditable(actor, enterpriseId, false);
    assertNotFuture(dto.startedOn, 'startedOn', '合作项目开始日期', 'The start date');
    if (dto.endedOn && dto.endedOn < dto.startedOn) {
      throw new AppException(CommonErrors.VALIDATION_FAILED, {}, [
        { field: 'endedOn', constraint: 'endedOn', zh: '结束日期不能早于开始日期', en: 'must not be before startedOn' },
      ]);
    }
    // Issue 9 item 2: the evidence is a file the caller can see (a reference, not a take-over).
    if (dto.attachmentId && !(await this.attachments.visibleTo(actor, dto.attachmentId))) throw new AppException(EnterpriseErrors.ATTACHMENT_MISSING);
    const c = await this.repository.insertCooperation({
      enterpriseId,
      kind: dto.kind,
      partnerCollege: dto.partnerCollege,
      title: dto.title,
      startedOn: dto.startedOn,
      endedOn: dto.endedOn ?? null,
      evidence: dto.evidence ?? null,
      attachmentId: dto.attachmentId ?? null,
      createdBy: actor.userId,
    });
    const view = toCooperationView(c, chinaToday());
    await this.audit.record({ entity: 'enterprise-cooperation', entityId: c.id, action: 'create', after: { ...view } });
    return view;
  }

  @Transactional()
  async removeCooperation(actor: Actor, enterpriseId: string, id: string): Promise<void> {
    await this.requireEditable(actor, enterpriseId, false);
    const c = await this.repository.findCooperation(enterpriseId, id);
    if (!c) throw new AppException(EnterpriseErrors.COOPERATION_NOT_FOUND);
    await this.repository.deleteCooperation(enterpriseId, id);
    await this.audit.record({ entity: 'enterprise-cooperation', entityId: id, action: 'delete', before: { ...c } });
  }

  // ---- for other modules (run in the caller's @Transactional() context)

  /** The enterprise, linked to the current college (a partnership makes it one of the college's enterprises); null when unknown. */
  async ensureLinkedToCollege(enterpriseId: string, userId: string | null): Promise<{ id: string; name: string } | null> {
    const e = await this.repository.findById(enterpriseId);
    if (!e) return null;
    await this.repository.link(e.id, userId);
    return { id: e.id, name: e.name };
  }

  // ---- visibility
  async requireVisible(actor: Actor, id: string): Promise<Enterprise> {
    const e = await this.repository.findById(id);
    if (!e) throw new AppException(EnterpriseErrors.NOT_FOUND);
    if (actor.scope === 'province') return e;
    if (actor.scope === 'enterprise') {
      if (e.id !== actor.enterpriseId) throw new AppException(EnterpriseErrors.NOT_FOUND);
      return e;
    }
    if (!(await this.repository.isLinked(id))) throw new AppException(EnterpriseErrors.NOT_FOUND);
    return e;
  }

  private async requireEditable(actor: Actor, id: string, lock: boolean): Promise<Enterprise> {
    const e = lock ? await this.repository.findByIdForUpdate(id) : await this.repository.findById(id);
    if (!e) throw new AppException(EnterpriseErrors.NOT_FOUND);
    if (actor.scope !== 'province' && e.id !== actor.enterpriseId) throw new AppException(EnterpriseErrors.NOT_FOUND);
    return e;
  }

  private async checkClusters(codes: string[] | undefined): Promise<void> {
    if (!codes?.length) return;
    const known = new Set((await this.referenceData.industryClusters()).map((c) => c.code));
    const unknown = codes.filter((c) => !known.has(c));
    if (unknown.length) throw new AppException(EnterpriseErrors.UNKNOWN_CLUSTER, { codes: unknown.join('、') });
  }
}
