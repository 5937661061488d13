import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { Page, toPage } from '../../src/http/pagination';
import { OutboxService } from '../../src/queue';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { chinaToday } from '../../src/time/china-date';
import { AuditService } from '../audit';
import { PartnershipsService } from '../partnerships';
import { ProgrammeEligibilityService, ProgrammesService } from '../programmes';
import { TeamComplianceService } from '../teams';
import { TrainingPlansService } from '../training-plans';
import { ManagementScheme, MANAGEMENT_SCHEME_ITEMS, PartnerMaterials, statusAfterDecisions, STATUS_ZH } from './domain/process';
import {
  ApplicationListQuery,
  ApplicationProgrammeDto,
  ApplicationSummaryView,
  ApplicationView,
  AssignExpertDto,
  CreateApplicationDto,
  CreatePilotReviewDto,
  CreateSiteCheckDto,
  DecideDto,
  TeachingCommitteeDto,
  UpdateApplicationDto,
  VersionDto,
} from './dto/pilots.dto';
import { PilotErrors } from './pilots.errors';
import { ApplicationRow, PilotsRepository } from './pilots.repository';

interface Reason {
  field: string;
  zh: string;
  en: string;
}

function summary(a: ApplicationRow): ApplicationSummaryView {
  return {
    id: a.id,
    tenantId: a.tenantId,
    collegeName: a.collegeName,
    noticeId: a.noticeId,
    year: a.year,
    status: a.status,
    programmeCount: a.programmeCount ?? 0,
    submittedAt: a.submittedAt ? new Date(a.submittedAt).toISOString() : null,
    version: a.version,
    createdAt: new Date(a.createdAt).toISOString(),
  };
}

function partnersOf(dto: ApplicationProgrammeDto): PartnerMaterials[] {
  return dto.partners.map((p) => ({ enterpriseId: p.enterpriseId, qualificationAttachmentIds: p.qualificationAttachmentIds, agreementId: p.agreementId ?? null }));
}

function committeeOf(dto: TeachingCommitteeDto | undefined) {
  return dto ? { decidedOn: dto.decidedOn, decision: dto.decision, notes: dto.notes ?? null } : null;
}

/**
 * The college's application (R-APP-2, R-APP-3, R-APP-7) and the province's review and
 * decision (R-APP-4). Province writes run pinned to the application's college.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly repo: PilotsRepository,
    private readonly programmes: ProgrammesService,
    private readonly eligibility: ProgrammeEligibilityService,
    private readonly teams: TeamComplianceService,
    private readonly partnerships: PartnershipsService,
    private readonly plans: TrainingPlansService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly outbox: OutboxService,
  ) {}

  // ------------------------------------------------------------ college

  @Transactional()
  async create(dto: CreateApplicationDto): Promise<ApplicationView> {
    const tenantId = this.context.requireTenantId();
    const notice = await this.repo.notice(dto.noticeId);
    if (!notice || !(await this.repo.recipient(dto.noticeId, tenantId))) throw new AppException(PilotErrors.NOT_A_RECIPIENT);
    if (await this.repo.applicationExists(dto.noticeId)) throw new AppException(PilotErrors.APPLICATION_EXISTS);
    await this.checkProgrammes(dto.programmes, null);
    await this.checkAttachments(dto.managementScheme, dto.programmes);
    const id = await this.repo.insertApplication({
      noticeId: dto.noticeId,
      managementScheme: { ...(dto.managementScheme ?? {}) },
      committee: committeeOf(dto.teachingCommittee),
      createdBy: this.context.requireActor().userId,
    });
    await this.repo.replaceProgrammes(
      id,
      dto.programmes.map((p) => ({ programmeId: p.programmeId, partners: partnersOf(p) })),
    );
    await this.audit.record({ entity: 'pilot-application', entityId: id, action: 'create', after: { noticeId: dto.noticeId, programmes: dto.programmes } });
    return this.view(id);
  }

  /**
   * Issue 9 item 2: a draft names only files of this college (another college's attachment id
   * would be a dangling reference to a file the college cannot read): 422 naming the id.
   */
  private async checkAttachments(scheme: object | undefined, programmes: { partners?: { qualificationAttachmentIds?: string[] }[] }[] | undefined): Promise<void> {
    const ids = [
      ...Object.values(scheme ?? {}).filter((x): x is string => typeof x === 'string'),
      ...(programmes ?? []).flatMap((p) => (p.partners ?? []).flatMap((x) => x.qualificationAttachmentIds ?? [])),
    ];
    if (!ids.length) return;
    const existing = await this.repo.existingAttachments(ids);
    const missing = ids.find((x) => !existing.has(x));
    if (missing) throw new AppException(PilotErrors.ATTACHMENT_NOT_FOUND, { id: missing });
  }

  /** Drafts and returned applications change; the version guards against lost updates. */
  @Transactional()
  async update(id: string, dto: UpdateApplicationDto): Promise<ApplicationView> {
    const app = await this.requireOwn(id, true);
    if (app.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: app.version });
    if (app.status !== 'draft' && app.status !== 'returned') throw new AppException(PilotErrors.NOT_EDITABLE, { status: STATUS_ZH[app.status] ?? app.status });
    await this.checkAttachments(dto.managementScheme, dto.programmes);
    if (dto.programmes) {
      await this.checkProgrammes(dto.programmes, id);
      await this.repo.replaceProgrammes(id, dto.programmes.map((p) => ({ programmeId: p.programmeId, partners: partnersOf(p) })));
    }
    await this.repo.updateApplication(id, app.tenantId, {
      managementScheme: dto.managementScheme ? { ...app.managementScheme, ...dto.managementScheme } : undefined,
      committee: committeeOf(dto.teachingCommittee) ?? undefined,
    });
    await this.audit.record({ entity: 'pilot-application', entityId: id, action: 'update', before: { version: app.version }, after: { ...dto } });
    return this.view(id);
  }

  /**
   * R-APP-3 / R-PRG-5 / R-EVA-2 / R-TRN-1 / R-APP-7: every programme meets its checklist,
   * its team is compliant, each partner's agreement is in force and its materials are
   * attached; the teaching committee approved; the deadline has not passed (or the province
   * reopened it for this college). Then the application is frozen in a snapshot and each
   * programme becomes `applied`.
   */
  @Transactional()
  async submit(id: string, dto: VersionDto): Promise<ApplicationView> {
    const app = await this.requireOwn(id, true);
    if (app.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: app.version });
    if (app.status !== 'draft' && app.status !== 'returned') {
      throw new AppException(PilotErrors.WRONG_STATUS, { status: STATUS_ZH[app.status] ?? app.status, action: '提交', actionEn: 'submit' });
    }
    const today = chinaToday();
    const recipient = await this.repo.recipient(app.noticeId, app.tenantId);
    if (today > app.deadline && !(recipient?.reopenedUntil && today <= recipient.reopenedUntil)) {
      throw new AppException(PilotErrors.DEADLINE_PASSED, { deadline: recipient?.reopenedUntil ?? app.deadline });
    }
    const reasons: Reason[] = [];
    // R-APP-3: the teaching steering committee approved, on a date not in the future
    if (!app.committeeDecidedOn || app.committeeDecision !== 'approved') {
      reasons.push({ field: 'teachingCommittee', zh: 'R-APP-3：尚未记录教学指导委员会同意申报的决定（日期、结论）', en: 'R-APP-3: no teaching-committee approval (date, decision) recorded' });
    } else if (app.committeeDecidedOn > today) {
      reasons.push({ field: 'teachingCommittee.decidedOn', zh: 'R-APP-3：教学指导委员会审议日期不能晚于今天', en: 'R-APP-3: the committee date cannot be in the future' });
    }
    // R-APP-7 ③: the management scheme
    const scheme = app.managementScheme ?? {};
    const schemeIds = MANAGEMENT_SCHEME_ITEMS.map((i) => scheme[i.key]).filter((x): x is string => !!x);
    const items = (await this.repo.applicationProgrammes([id])).filter((p) => p.stage === 'pending' || p.stage === 'returned');
    const materialIds = items.flatMap((p) => p.partners.flatMap((x) => x.qualificationAttachmentIds));
    const existing = await this.repo.existingAttachments([...schemeIds, ...materialIds]);
    for (const i of MANAGEMENT_SCHEME_ITEMS) {
      const value = scheme[i.key];
      if (!value || !existing.has(value)) {
        reasons.push({ field: `managementScheme.${i.key}`, zh: `R-APP-7：管理方案缺少${i.zh}`, en: `R-APP-7: the management scheme lacks the ${i.en}` });
      }
    }
    const frozen: Record<string, unknown>[] = [];
    for (const item of items) {
      const programme = await this.programmes.requireVisible(item.programmeId);
      const label = `“${programme.name}”`;
      // R-PRG-5: R-PRG-1…3 met (R-PRG-3 includes each partner's agreement in force, R-TRN-1)
      const check = await this.eligibility.evaluate(programme, today);
      for (const c of check.criteria.filter((x) => x.mandatory && !x.met)) {
        reasons.push({
          field: `programmes.${item.programmeId}.${c.rule}`,
          zh: `${label}${c.rule}：${c.reasons.map((r) => r.zh).join('；')}`,
          en: `${programme.name} ${c.rule}: ${c.reasons.map((r) => r.en).join('; ')}`,
        });
      }
      // R-EVA-2: the teaching and assessment team
      const team = await this.teams.check(item.programmeId);
      if (!team.compliant) {
        reasons.push({
          field: `programmes.${item.programmeId}.R-EVA-2`,
          zh: `${label}R-EVA-2：${team.missing.map((m) => m.zh).join('；')}`,
          en: `${programme.name} R-EVA-2: ${team.missing.map((m) => m.en).join('; ')}`,
        });
      }
      // R-APP-7 ②: per active partner, qualification documents and its agreement
      const partners = await this.partnerships.activePartnersOf(item.programmeId, today);
      for (const partner of partners) {
        const m = item.partners.find((x) => x.enterpriseId === partner.enterpriseId);
        const docsOk = !!m && m.qualificationAttachmentIds.length > 0 && m.qualificationAttachmentIds.every((a) => existing.has(a));
        if (!docsOk) {
          reasons.push({
            field: `programmes.${item.programmeId}.partners.${partner.enterpriseId}.qualificationAttachmentIds`,
            zh: `${label}R-APP-7：缺少合作企业“${partner.enterpriseName}”的资质材料`,
            en: `${programme.name} R-APP-7: qualification documents of ${partner.enterpriseName} are missing`,
          });
        }
        if (!m?.agreementId || !(await this.repo.agreementOf(m.agreementId, item.programmeId, partner.enterpriseId))) {
          reasons.push({
            field: `programmes.${item.programmeId}.partners.${partner.enterpriseId}.agreementId`,
            zh: `${label}R-APP-7：缺少与“${partner.enterpriseName}”的联合培养协议`,
            en: `${programme.name} R-APP-7: the joint-training agreement with ${partner.enterpriseName} is missing`,
          });
        }
      }
      const plan = await this.plans.currentPlanReview(item.programmeId);
      frozen.push({
        applicationProgrammeId: item.id,
        programmeId: programme.id,
        code: programme.code,
        name: programme.name,
        clusterCodes: programme.clusterCodes,
        talentGap: { evidence: programme.talentGapEvidence, number: programme.talentGapNumber },
        priorityExperience: programme.priorityExperience,
        planVersionNo: plan.current?.versionNo ?? null,
        planReview: plan.current?.latestReview ?? null,
        eligibility: check.criteria.map((c) => ({ rule: c.rule, met: c.met })),
        team,
        partners: partners.map((p) => ({ ...p, materials: item.partners.find((x) => x.enterpriseId === p.enterpriseId) ?? null })),
      });
    }
    if (reasons.length) {
      throw new AppException(
        PilotErrors.NOT_SUBMITTABLE,
        { reasons: reasons.map((r) => r.zh).join('；'), reasonsEn: reasons.map((r) => r.en).join('; ') },
        reasons.map((r) => ({ field: r.field, constraint: 'submission', zh: r.zh, en: r.en })),
      );
    }
    const snapshot = {
      takenOn: today,
      managementScheme: scheme,
      teachingCommittee: { decidedOn: app.committeeDecidedOn, decision: app.committeeDecision, notes: app.committeeNotes },
      programmes: frozen,
    };
    for (const item of items) {
      const f = frozen.find((x) => x.applicationProgrammeId === item.id)!;
      await this.repo.setProgrammeStage(item.id, app.tenantId, { stage: 'pending', reason: null, planVersionNo: f.planVersionNo as number | null });
      // the process drives the pilot status: candidate → applied
      await this.programmes.moveByProcess(item.programmeId, 'applied', { cause: 'application-submitted', applicationId: id });
    }
    await this.repo.updateApplication(id, app.tenantId, { status: 'submitted', submittedAt: new Date(), snapshot });
    await this.audit.record({ entity: 'pilot-application', entityId: id, action: 'submit', before: { status: app.status }, after: { status: 'submitted' } });
    return this.view(id);
  }

  // ------------------------------------------------------------ reads

  @Transactional()
  async list(query: ApplicationListQuery): Promise<Page<ApplicationSummaryView>> {
    const actor = this.context.requireActor();
    const province = actor.scope === 'province';
    const rows = await this.repo.listApplications({
      tenantId: province ? query.tenantId : this.context.requireTenantId(),
      noticeId: query.noticeId,
      status: query.status,
      expertUserId: actor.role === 'province-expert' ? actor.userId : undefined,
      limit: query.limit,
      cursor: query.cursor,
    });
    return toPage(rows, query.limit, (a) => [new Date(a.createdAt).toISOString(), a.id], summary);
  }

  @Transactional()
  async get(id: string): Promise<ApplicationView> {
    await this.requireVisible(id);
    return this.view(id);
  }

  // ------------------------------------------------------------ province: review and decision

  /**
   * R-APP-4 conflict check: an expert is *linked* to an application when any membership of
   * theirs (active or revoked) is in the applying college (any role), or belongs to one of
   * the application's partner enterprises (named in its materials or an active partner of
   * one of its programmes). docs/adr/0009-pilot-process-ownership.md.
   */
  async assignExpert(id: string, dto: AssignExpertDto): Promise<ApplicationView> {
    const app = await this.requireVisibleTx(id);
    return this.context.runAsTenant(app.tenantId, () => this.assignExpertTx(id, dto));
  }

  @Transactional()
  private async assignExpertTx(id: string, dto: AssignExpertDto): Promise<ApplicationView> {
    const app = (await this.repo.application(id, { lock: true }))!;
    if (app.status !== 'submitted' && app.status !== 'under-review') {
      throw new AppException(PilotErrors.WRONG_STATUS, { status: STATUS_ZH[app.status] ?? app.status, action: '分配专家', actionEn: 'assign experts' });
    }
    const memberships = await this.repo.membershipsOf(dto.expertUserId);
    if (!memberships.some((m) => m.role === 'province-expert' && m.status === 'active')) throw new AppException(PilotErrors.EXPERT_NOT_FOUND);
    if (memberships.some((m) => m.tenantId === app.tenantId)) {
      throw new AppException(PilotErrors.EXPERT_CONFLICT, { link: `申报院校“${app.collegeName}”`, linkEn: `the applying college ${app.collegeName}` });
    }
    const items = await this.repo.applicationProgrammes([id]);
    const enterprises = new Map<string, string>();
    for (const item of items) {
      for (const p of item.partners) enterprises.set(p.enterpriseId, enterprises.get(p.enterpriseId) ?? '');
      for (const p of await this.partnerships.activePartnersOf(item.programmeId, chinaToday())) enterprises.set(p.enterpriseId, p.enterpriseName);
    }
    const linked = memberships.find((m) => m.enterpriseId && enterprises.has(m.enterpriseId));
    if (linked) {
      const name = enterprises.get(linked.enterpriseId!) || linked.enterpriseId!;
      throw new AppException(PilotErrors.EXPERT_CONFLICT, { link: `合作企业“${name}”`, linkEn: `the partner enterprise ${name}` });
    }
    if ((await this.repo.assignments([id])).some((a) => a.expertUserId === dto.expertUserId)) throw new AppException(PilotErrors.EXPERT_ALREADY_ASSIGNED);
    await this.repo.insertAssignment(id, dto.expertUserId, this.context.requireActor().userId);
    if (app.status === 'submitted') await this.repo.updateApplication(id, app.tenantId, { status: 'under-review' });
    await this.audit.record({ entity: 'pilot-application', entityId: id, action: 'assign-expert', after: { expertUserId: dto.expertUserId } });
    return this.view(id);
  }

  /** R-APP-4: an assigned expert scores a programme on every criterion of the notice. */
  async review(id: string, dto: CreatePilotReviewDto): Promise<ApplicationView> {
    const actor = this.context.requireActor();
    const app = await this.requireVisibleTx(id);
    return this.context.runAsTenant(app.tenantId, () => this.reviewTx(id, dto, actor.userId));
  }

  @Transactional()
  private async reviewTx(id: string, dto: CreatePilotReviewDto, expertUserId: string): Promise<ApplicationView> {
    const app = (await this.repo.application(id, { lock: true, expertUserId }))!;
    if (!app) throw new AppException(PilotErrors.APPLICATION_NOT_FOUND);
    if (app.status !== 'under-review') {
      throw new AppException(PilotErrors.WRONG_STATUS, { status: STATUS_ZH[app.status] ?? app.status, action: '评审', actionEn: 'review' });
    }
    const item = (await this.repo.applicationProgrammes([id])).find((p) => p.id === dto.applicationProgrammeId);
    if (!item || item.stage !== 'pending') throw new AppException(PilotErrors.APPLICATION_PROGRAMME_NOT_FOUND, { id: dto.applicationProgrammeId });
    const codes = app.reviewCriteria.map((c) => c.code);
    const keys = Object.keys(dto.scores ?? {});
    const valid =
      keys.length === codes.length &&
      codes.every((c) => Number.isInteger(dto.scores[c]) && dto.scores[c] >= 0 && dto.scores[c] <= 100);
    if (!valid) throw new AppException(PilotErrors.BAD_SCORES, { codes: codes.join('、') });
    const total = Math.round((codes.reduce((s, c) => s + dto.scores[c], 0) / codes.length) * 100) / 100;
    const reviewId = await this.repo.insertReview({ applicationProgrammeId: item.id, expertUserId, scores: dto.scores, total, comments: dto.comments, recommendation: dto.recommendation });
    await this.audit.record({ entity: 'pilot-review', entityId: reviewId, action: 'create', after: { applicationId: id, applicationProgrammeId: item.id, total, recommendation: dto.recommendation } });
    return this.view(id);
  }

  /** R-APP-4: an on-site check (date, findings), by the province admin or an assigned expert. */
  async siteCheck(id: string, dto: CreateSiteCheckDto): Promise<ApplicationView> {
    const app = await this.requireVisibleTx(id);
    return this.context.runAsTenant(app.tenantId, () => this.siteCheckTx(id, dto));
  }

  @Transactional()
  private async siteCheckTx(id: string, dto: CreateSiteCheckDto): Promise<ApplicationView> {
    const app = (await this.repo.application(id, { lock: true }))!;
    if (app.status !== 'submitted' && app.status !== 'under-review') {
      throw new AppException(PilotErrors.WRONG_STATUS, { status: STATUS_ZH[app.status] ?? app.status, action: '记录实地核查', actionEn: 'record an on-site check' });
    }
    const checkId = await this.repo.insertSiteCheck(id, dto.checkedOn, dto.findings, this.context.requireActor().userId);
    await this.audit.record({ entity: 'pilot-site-check', entityId: checkId, action: 'create', after: { applicationId: id, checkedOn: dto.checkedOn } });
    return this.view(id);
  }

  /**
   * R-APP-4: the province decides per programme — approve, reject or return for revision
   * (reasons required for the last two). A rejected programme goes back to `candidate`.
   */
  async decide(id: string, dto: DecideDto): Promise<ApplicationView> {
    const app = await this.requireVisibleTx(id);
    return this.context.runAsTenant(app.tenantId, () => this.decideTx(id, dto));
  }

  @Transactional()
  private async decideTx(id: string, dto: DecideDto): Promise<ApplicationView> {
    const app = (await this.repo.application(id, { lock: true }))!;
    if (app.status !== 'under-review') {
      throw new AppException(PilotErrors.WRONG_STATUS, { status: STATUS_ZH[app.status] ?? app.status, action: '作出决定', actionEn: 'decide' });
    }
    const items = await this.repo.applicationProgrammes([id]);
    for (const d of dto.decisions) {
      const item = items.find((i) => i.id === d.applicationProgrammeId);
      if (!item || item.stage !== 'pending') throw new AppException(PilotErrors.APPLICATION_PROGRAMME_NOT_FOUND, { id: d.applicationProgrammeId });
      if (d.decision !== 'approve' && !d.reason) throw new AppException(PilotErrors.REASON_REQUIRED);
    }
    const pending = items.filter((i) => i.stage === 'pending');
    const missing = pending.filter((i) => !dto.decisions.some((d) => d.applicationProgrammeId === i.id));
    if (missing.length) throw new AppException(PilotErrors.DECISIONS_INCOMPLETE, { names: missing.map((m) => m.programmeName).join('、') });
    for (const d of dto.decisions) {
      const item = items.find((i) => i.id === d.applicationProgrammeId)!;
      const stage = d.decision === 'approve' ? 'approved' : d.decision === 'reject' ? 'rejected' : 'returned';
      await this.repo.setProgrammeStage(item.id, app.tenantId, { stage, reason: d.reason ?? null, decided: true });
      item.stage = stage;
      if (stage === 'rejected') await this.programmes.moveByProcess(item.programmeId, 'candidate', { cause: 'application-rejected', applicationId: id, reason: d.reason });
    }
    const status = statusAfterDecisions(items.map((i) => i.stage));
    await this.repo.updateApplication(id, app.tenantId, { status });
    await this.audit.record({ entity: 'pilot-application', entityId: id, action: 'decide', before: { status: app.status }, after: { status, decisions: dto.decisions } });
    await this.outbox.enqueue('notifications', 'notifications.pilot-event', { tenantId: app.tenantId, event: `application-${status}`, subjectId: id });
    return this.view(id);
  }

  // ------------------------------------------------------------ helpers

  private async checkProgrammes(list: ApplicationProgrammeDto[], applicationId: string | null): Promise<void> {
    const ids = list.map((p) => p.programmeId);
    if (new Set(ids).size !== ids.length) throw new AppException(PilotErrors.DUPLICATE_PROGRAMME);
    const found = await this.repo.programmesOfCollege(ids);
    const unknown = ids.find((id) => !found.some((p) => p.id === id));
    if (unknown) throw new AppException(PilotErrors.PROGRAMME_NOT_FOUND, { programmeId: unknown });
    const taken = await this.repo.programmesInOtherOpenApplications(ids, applicationId);
    if (taken.length) throw new AppException(PilotErrors.PROGRAMME_IN_OTHER_APPLICATION, { name: found.find((p) => p.id === taken[0])!.name });
    // Issue 9: a partner row names an enterprise that partners (or partnered) with that programme of
    // this college, and an agreement of that partnership; anything else (another college's
    // enterprise or agreement, another programme's) is a reference the college cannot see: 422.
    for (const p of list) {
      for (const x of p.partners) {
        if (!(await this.partnerships.isPartnerOfProgramme(p.programmeId, x.enterpriseId))) {
          throw new AppException(PilotErrors.PARTNER_NOT_FOUND, { enterpriseId: x.enterpriseId });
        }
        if (x.agreementId && !(await this.repo.agreementOf(x.agreementId, p.programmeId, x.enterpriseId))) {
          throw new AppException(PilotErrors.AGREEMENT_NOT_FOUND, { id: x.agreementId });
        }
      }
    }
  }

  private async requireOwn(id: string, lock = false): Promise<ApplicationRow> {
    const app = await this.repo.application(id, { lock });
    if (!app || app.tenantId !== this.context.requireTenantId()) throw new AppException(PilotErrors.APPLICATION_NOT_FOUND);
    return app;
  }

  @Transactional()
  private async requireVisibleTx(id: string): Promise<ApplicationRow> {
    return this.requireVisible(id);
  }

  /** A college its own; an expert only the applications assigned to them; other province roles all. */
  private async requireVisible(id: string): Promise<ApplicationRow> {
    const actor = this.context.requireActor();
    const app = await this.repo.application(id, { expertUserId: actor.role === 'province-expert' ? actor.userId : undefined });
    if (!app) throw new AppException(PilotErrors.APPLICATION_NOT_FOUND);
    return app;
  }

  /** The full view; reviews and experts are the province's (an expert sees only their own review). */
  private async view(id: string): Promise<ApplicationView> {
    const actor = this.context.requireActor();
    const app = (await this.repo.application(id))!;
    const items = await this.repo.applicationProgrammes([id]);
    const province = actor.scope === 'province';
    const reviews = province ? await this.repo.reviews(items.map((i) => i.id)) : [];
    const visibleReviews = actor.role === 'province-expert' ? reviews.filter((r) => r.expertUserId === actor.userId) : reviews;
    const experts = province ? await this.repo.assignments([id]) : [];
    const checks = await this.repo.siteChecks([id]);
    return {
      id: app.id,
      tenantId: app.tenantId,
      collegeName: app.collegeName,
      noticeId: app.noticeId,
      noticeTitle: app.noticeTitle,
      year: app.year,
      status: app.status,
      managementScheme: app.managementScheme as ManagementScheme,
      teachingCommittee: app.committeeDecidedOn ? { decidedOn: app.committeeDecidedOn, decision: app.committeeDecision!, notes: app.committeeNotes } : null,
      submittedAt: app.submittedAt ? new Date(app.submittedAt).toISOString() : null,
      snapshot: app.snapshot,
      programmes: items.map((i) => ({
        id: i.id,
        programmeId: i.programmeId,
        programmeCode: i.programmeCode,
        programmeName: i.programmeName,
        pilotStatus: i.pilotStatus,
        planVersionNo: i.planVersionNo,
        partners: i.partners,
        stage: i.stage,
        decisionReason: i.decisionReason,
        batchId: i.batchId,
        reviews: visibleReviews
          .filter((r) => r.applicationProgrammeId === i.id)
          .map((r) => ({
            id: r.id,
            expertUserId: r.expertUserId,
            expertName: r.expertName,
            scores: r.scores,
            total: Number(r.total),
            comments: r.comments,
            recommendation: r.recommendation,
            createdAt: new Date(r.createdAt).toISOString(),
          })),
      })),
      experts: actor.role === 'province-expert' ? [] : experts.map((e) => ({ expertUserId: e.expertUserId, expertName: e.expertName, assignedAt: new Date(e.assignedAt).toISOString() })),
      siteChecks: checks.map((c) => ({ id: c.id, checkedOn: c.checkedOn, findings: c.findings })),
      version: app.version,
      createdAt: new Date(app.createdAt).toISOString(),
    };
  }
}
