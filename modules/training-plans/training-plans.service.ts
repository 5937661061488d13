import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { Page, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AttachmentErrors, AttachmentsService } from '../attachments';
import { AuditService } from '../audit';

import { changedAreas, classSizeWarning, contentProblems, isMajor, MAJOR_AREAS, normalizeContent, PlanContent, PlanContentInput, totalsOf } from './domain/plan-content';
import {
  AdoptPlanDto,
  CreatePlanDto,
  CreateReviewDto,
  DecisionView,
  FilingListItemView,
  FilingListQuery,
  PartyDecisionDto,
  PlanChangeDto,
  PlanFilingDto,
  PlanListQuery,
  PlanSummaryView,
  PlanView,
  ReviewView,
  UpdateDraftDto,
} from './dto/plan.dto';
import { TrainingPlan } from './training-plan.entity';
import { AREA_ZH, PlanErrors, STATUS_ZH } from './training-plans.errors';
import { DecisionRow, FilingRow, ReviewRow, TrainingPlansRepository } from './training-plans.repository';
import { chinaToday } from '../../src/time/china-date';

/** What R-PRG-2 needs to know about a programme's plan (for the eligibility checklist). */
export interface CurrentPlanReview {
  /** the current version, or null when none is in force */
  current: { versionNo: number; latestReview: { reviewedOn: string; conclusion: string } | null } | null;
  /** versions other than the current one whose latest review passed */
  passedOtherVersions: number[];
}

function statusParams(plan: TrainingPlan) {
  return { versionNo: plan.versionNo, status: plan.status, statusZh: STATUS_ZH[plan.status] ?? plan.status };
}

function toSummary(p: TrainingPlan): PlanSummaryView {
  return {
    id: p.id,
    programmeId: p.programmeId,
    tenantId: p.tenantId,
    versionNo: p.versionNo,
    status: p.status,
    changeKind: p.changeKind,
    changeSummary: p.changeSummary,
    changedAreas: p.changedAreas,
    basedOnVersion: p.basedOnVersion,
    classSize: p.classSize,
    editable: p.status === 'draft',
    effectiveAt: p.effectiveAt ? p.effectiveAt.toISOString() : null,
    supersededAt: p.supersededAt ? p.supersededAt.toISOString() : null,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

const toReview = (r: ReviewRow): ReviewView => ({
  id: r.id,
  reviewedOn: r.reviewedOn,
  experts: r.experts,
  conclusion: r.conclusion,
  notes: r.notes,
  createdAt: new Date(r.createdAt).toISOString(),
});

const toDecision = (d: DecisionRow): DecisionView => ({
  decidedOn: d.decidedOn,
  minutesAttachmentId: d.minutesAttachmentId,
  minutesFilename: d.minutesFilename,
  minutesSha256: d.minutesSha256,
  notes: d.notes,
  createdAt: new Date(d.createdAt).toISOString(),
});

const toFiling = (f: FilingRow) => ({ id: f.id, reference: f.reference, filedAt: new Date(f.filedAt).toISOString() });

/** The latest review (by date, then by when it was recorded) decides. */
const latest = (reviews: ReviewRow[]) => reviews[reviews.length - 1];

function snapshot(p: TrainingPlan) {
  return {
    programmeId: p.programmeId,
    versionNo: p.versionNo,
    status: p.status,
    changeKind: p.changeKind,
    changedAreas: p.changedAreas,
    classSize: p.classSize,
    version: p.version,
  };
}

/**
 * Versioned training plans (人才培养方案) per programme: R-TRN-2 content, R-PRG-2 reviews,
 * R-GOV-2 changes. Only drafts change in place; every change after adoption is a new
 * version (minor: in force at once; major: after a party-committee decision and a filing).
 */
@Injectable()
export class TrainingPlansService {
  constructor(
    private readonly plans: TrainingPlansRepository,
    private readonly attachments: AttachmentsService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
  ) {}

  @Transactional()
  async create(programmeId: string, dto: CreatePlanDto): Promise<PlanView> {
    await this.lockProgramme(programmeId);
    const content = this.validContent(dto.content);
    if ((await this.plans.maxVersionNo(programmeId)) > 0) throw new AppException(PlanErrors.ALREADY_EXISTS);
    const plan = await this.plans.insert({
      programmeId,
      versionNo: 1,
      status: 'draft',
      changeKind: 'initial',
      changeSummary: dto.summary ?? null,
      changedAreas: [],
      basedOnVersion: null,
      occupationCode: content.occupationStandard.code,
      classSize: content.classSize,
      content,
      createdBy: this.context.actor?.userId ?? null,
      effectiveAt: null,
    });
    await this.audit.record({ entity: 'training-plan', entityId: plan.id, action: 'create', after: snapshot(plan) });
    return this.view(plan);
  }

  @Transactional()
  async list(programmeId: string, query: PlanListQuery): Promise<Page<PlanSummaryView>> {
    await this.requireProgramme(programmeId);
    const rows = await this.plans.list(programmeId, query);
    return toPage(rows, query.limit, (p) => [p.versionNo], toSummary);
  }

  @Transactional()
  async get(programmeId: string, versionNo: number): Promise<PlanView> {
    await this.requireProgramme(programmeId);
    return this.view(await this.requireVersion(programmeId, versionNo));
  }

  /** Only drafts are edited in place (a version cohorts use is never a draft). */
  @Transactional()
  async updateDraft(programmeId: string, versionNo: number, dto: UpdateDraftDto): Promise<PlanView> {
    await this.lockProgramme(programmeId);
    const plan = await this.requireVersion(programmeId, versionNo);
    if (plan.status !== 'draft') throw new AppException(PlanErrors.NOT_EDITABLE, statusParams(plan));
    if (plan.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: plan.version });
    const before = snapshot(plan);
    const content = this.validContent(dto.content);
    plan.content = content;
    plan.occupationCode = content.occupationStandard.code;
    plan.classSize = content.classSize;
    const saved = await this.plans.save(plan);
    await this.audit.record({ entity: 'training-plan', entityId: plan.id, action: 'update', before, after: snapshot(saved) });
    return this.view(saved);
  }

  /** The first version comes into force (draft → current); later versions come from changes. */
  @Transactional()
  async adopt(programmeId: string, versionNo: number, dto: AdoptPlanDto): Promise<PlanView> {
    await this.lockProgramme(programmeId);
    const plan = await this.requireVersion(programmeId, versionNo);
    if (plan.status !== 'draft') throw new AppException(PlanErrors.NOT_DRAFT);
    if (plan.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: plan.version });
    const [current] = await this.plans.withStatus(programmeId, ['current']);
    if (current) throw new AppException(PlanErrors.CURRENT_EXISTS, { versionNo: current.versionNo });
    const before = snapshot(plan);
    plan.status = 'current';
    plan.effectiveAt = new Date();
    const saved = await this.plans.save(plan);
    await this.audit.record({ entity: 'training-plan', entityId: plan.id, action: 'adopt', before, after: snapshot(saved) });
    return this.view(saved);
  }

  /** R-PRG-2: the steering committee's review of one version (date, experts, conclusion). */
  @Transactional()
  async addReview(programmeId: string, versionNo: number, dto: CreateReviewDto): Promise<PlanView> {
    await this.lockProgramme(programmeId);
    const plan = await this.requireVersion(programmeId, versionNo);
    if (plan.status === 'superseded') throw new AppException(PlanErrors.SUPERSEDED_READ_ONLY, statusParams(plan));
    this.notInFuture(dto.reviewedOn, '评审日期', 'The review date');
    const review = await this.plans.insertReview(
      plan.id,
      {
        reviewedOn: dto.reviewedOn,
        experts: dto.experts.map((e) => ({ name: e.name, title: e.title, organisation: e.organisation })),
        conclusion: dto.conclusion,
        notes: dto.notes ?? null,
      },
      this.context.actor?.userId ?? null,
    );
    await this.audit.record({
      entity: 'training-plan',
      entityId: plan.id,
      action: 'review',
      after: { versionNo: plan.versionNo, reviewId: review.id, reviewedOn: review.reviewedOn, conclusion: review.conclusion, experts: review.experts.length },
    });
    return this.view(plan);
  }

  /**
   * R-GOV-2: a change to the current version makes a new version. Minor: in force at once
   * (the old one superseded). Major (course system, assessment arrangements, training
   * projects): `pending-filing` until a party-committee decision is recorded and filed.
   */
  @Transactional()
  async change(programmeId: string, versionNo: number, dto: PlanChangeDto): Promise<PlanView> {
    await this.lockProgramme(programmeId);
    const base = await this.requireVersion(programmeId, versionNo);
    if (base.status !== 'current') throw new AppException(PlanErrors.NOT_CURRENT, statusParams(base));
    const [open] = await this.plans.withStatus(programmeId, ['draft', 'pending-filing']);
    if (open) throw new AppException(PlanErrors.CHANGE_PENDING, statusParams(open));
    const content = this.validContent(dto.content);
    const areas = changedAreas(base.content, content);
    if (!areas.length) throw new AppException(PlanErrors.NO_CHANGE);
    if (dto.kind === 'minor' && isMajor(areas)) {
      const major = areas.filter((a) => MAJOR_AREAS.includes(a));
      throw new AppException(PlanErrors.MAJOR_CHANGE_DECLARED_MINOR, {
        areas: major.map((a) => AREA_ZH[a]).join('、'),
        areasEn: major.join(', '),
      });
    }
    const nextNo = (await this.plans.maxVersionNo(programmeId)) + 1;
    const now = new Date();
    let supersededBefore: ReturnType<typeof snapshot> | null = null;
    if (dto.kind === 'minor') {
      supersededBefore = snapshot(base);
      await this.supersede(base, now);
    }
    const plan = await this.plans.insert({
      programmeId,
      versionNo: nextNo,
      status: dto.kind === 'minor' ? 'current' : 'pending-filing',
      changeKind: dto.kind,
      changeSummary: dto.summary,
      changedAreas: areas,
      basedOnVersion: base.versionNo,
      occupationCode: content.occupationStandard.code,
      classSize: content.classSize,
      content,
      createdBy: this.context.actor?.userId ?? null,
      effectiveAt: dto.kind === 'minor' ? now : null,
    });
    await this.audit.record({ entity: 'training-plan', entityId: plan.id, action: `change-${dto.kind}`, after: { ...snapshot(plan), summary: dto.summary } });
    if (supersededBefore) {
      await this.audit.record({ entity: 'training-plan', entityId: base.id, action: 'supersede', before: supersededBefore, after: snapshot(base) });
    }
    return this.view(plan);
  }

  /** R-GOV-2: the party committee's decision on a major change, with the minutes attached. */
  @Transactional()
  async recordDecision(programmeId: string, versionNo: number, dto: PartyDecisionDto): Promise<PlanView> {
    await this.lockProgramme(programmeId);
    const plan = await this.requireVersion(programmeId, versionNo);
    if (plan.status !== 'pending-filing') throw new AppException(PlanErrors.NOT_PENDING_FILING, statusParams(plan));
    if (await this.plans.decision(plan.id)) throw new AppException(PlanErrors.DECISION_EXISTS);
    this.notInFuture(dto.decidedOn, '党委会决定日期', 'The decision date');
    // Issue 9 item 2: the minutes are the recorder's own upload, linked once (ADR 0008).
    const minutes = await this.attachments.claim(dto.minutesAttachmentId, 'training-plan', plan.id, null);
    if (!minutes) throw new AppException(AttachmentErrors.NOT_FOUND);
    const decision = await this.plans.insertDecision(
      {
        planId: plan.id,
        decidedOn: dto.decidedOn,
        minutesAttachmentId: minutes.id,
        minutesFilename: minutes.filename,
        minutesSha256: minutes.sha256,
        notes: dto.notes ?? null,
      },
      this.context.actor?.userId ?? null,
    );
    await this.audit.record({
      entity: 'training-plan',
      entityId: plan.id,
      action: 'party-decision',
      after: { versionNo: plan.versionNo, decidedOn: decision.decidedOn, minutesAttachmentId: minutes.id, minutesSha256: minutes.sha256 },
    });
    return this.view(plan);
  }

  /** R-GOV-2: filed with the province, the major change takes effect (the old version is superseded). */
  @Transactional()
  async file(programmeId: string, versionNo: number, dto: PlanFilingDto): Promise<PlanView> {
    await this.lockProgramme(programmeId);
    const plan = await this.requireVersion(programmeId, versionNo);
    if (await this.plans.filing(plan.id)) throw new AppException(PlanErrors.ALREADY_FILED);
    if (plan.status !== 'pending-filing') throw new AppException(PlanErrors.NOT_PENDING_FILING, statusParams(plan));
    if (!(await this.plans.decision(plan.id))) throw new AppException(PlanErrors.DECISION_REQUIRED);
    const filing = await this.plans.insertFiling(plan.id, programmeId, dto.reference, this.context.actor?.userId ?? null);
    const now = new Date();
    const [current] = await this.plans.withStatus(programmeId, ['current']);
    if (current) {
      const before = snapshot(current);
      await this.supersede(current, now);
      await this.audit.record({ entity: 'training-plan', entityId: current.id, action: 'supersede', before, after: snapshot(current) });
    }
    const before = snapshot(plan);
    plan.status = 'current';
    plan.effectiveAt = now;
    const saved = await this.plans.save(plan);
    await this.audit.record({
      entity: 'training-plan',
      entityId: plan.id,
      action: 'file',
      before,
      after: { ...snapshot(saved), filingId: filing.id, reference: filing.reference },
    });
    return this.view(saved);
  }

  /** Province users: every college's filings (R-GOV-2), newest first. */
  @Transactional()
  async listFilings(query: FilingListQuery): Promise<Page<FilingListItemView>> {
    const rows = await this.plans.listFilingsAcrossColleges(query);
    return toPage(
      rows,
      query.limit,
      (r) => [new Date(r.filedAt).toISOString(), r.id],
      (r) => ({ ...r, changedAreas: r.changedAreas as FilingListItemView['changedAreas'], filedAt: new Date(r.filedAt).toISOString() }),
    );
  }

  /** R-PRG-2 facts for the eligibility checklist (college or province scope). */
  @Transactional()
  async currentPlanReview(programmeId: string): Promise<CurrentPlanReview> {
    const versions = await this.plans.withStatus(programmeId, ['current', 'superseded', 'pending-filing', 'draft']);
    const reviews = await this.plans.reviews(versions.map((v) => v.id));
    const latestOf = (planId: string) => latest(reviews.filter((r) => r.planId === planId));
    const current = versions.find((v) => v.status === 'current');
    const currentReview = current ? latestOf(current.id) : undefined;
    return {
      current: current
        ? {
            versionNo: current.versionNo,
            latestReview: currentReview ? { reviewedOn: currentReview.reviewedOn, conclusion: currentReview.conclusion } : null,
          }
        : null,
      passedOtherVersions: versions.filter((v) => v !== current && latestOf(v.id)?.conclusion === 'passed').map((v) => v.versionNo),
    };
  }

  // ---- helpers

  private async supersede(plan: TrainingPlan, at: Date): Promise<void> {
    plan.status = 'superseded';
    plan.supersededAt = at;
    await this.plans.save(plan);
  }

  private async view(plan: TrainingPlan): Promise<PlanView> {
    const [reviews, decision, filing, threshold] = [
      await this.plans.reviews([plan.id]),
      await this.plans.decision(plan.id),
      await this.plans.filing(plan.id),
      await this.plans.classSizeThreshold(plan.tenantId),
    ];
    const warning = classSizeWarning(plan.classSize, threshold);
    return {
      ...toSummary(plan),
      content: plan.content,
      totals: totalsOf(plan.content),
      warnings: warning ? [warning] : [],
      reviews: reviews.map(toReview),
      reviewPassed: latest(reviews)?.conclusion === 'passed',
      partyDecision: decision ? toDecision(decision) : null,
      filing: filing ? toFiling(filing) : null,
    };
  }

  private validContent(dto: PlanContentInput): PlanContent {
    const content = normalizeContent(dto);
    const problems = contentProblems(content);
    if (problems.length) {
      throw new AppException(
        PlanErrors.CONTENT_INVALID,
        {},
        problems.map((p) => ({ field: p.field, constraint: 'PLANS.CONTENT_INVALID', zh: p.zh, en: p.en })),
      );
    }
    return content;
  }

  private notInFuture(date: string, fieldZh: string, fieldEn: string): void {
    const today = chinaToday();
    if (date > today) throw new AppException(PlanErrors.DATE_IN_FUTURE, { fieldZh, fieldEn, today });
  }

  private async requireProgramme(programmeId: string): Promise<void> {
    if (!(await this.plans.programme(programmeId))) throw new AppException(PlanErrors.PROGRAMME_NOT_FOUND);
  }

  private async lockProgramme(programmeId: string): Promise<void> {
    if (!(await this.plans.lockProgramme(programmeId))) throw new AppException(PlanErrors.PROGRAMME_NOT_FOUND);
  }

  private async requireVersion(programmeId: string, versionNo: number): Promise<TrainingPlan> {
    const plan = await this.plans.version(programmeId, versionNo);
    if (!plan) throw new AppException(PlanErrors.NOT_FOUND);
    return plan;
  }
}
