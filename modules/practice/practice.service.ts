import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { CommonErrors } from '../../src/errors/common.errors';
import { AppException } from '../../src/errors/app.exception';
import { Page, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { KpiRefreshRequests } from '../kpis';

import { DEFAULT_PRACTICE_RISK_POINTS, minutesOf, stageProgress } from './domain/progress';
import {
  CreatePlacementDto,
  EditHoursDto,
  HoursEntryView,
  HoursListQuery,
  LogHoursDto,
  PlacementListQuery,
  PlacementView,
  StageProgressView,
} from './dto/practice.dto';
import { HoursEntry } from './placement.entity';
import { HOURS_STATUS_ZH, PracticeErrors, SITE_ZH } from './practice.errors';
import { EntryRow, PlacementRow, PracticeRepository, StageTotalsRow } from './practice.repository';
import { MenteeAccess } from './visibility';
import { chinaToday } from '../../src/time/china-date';

const hhmm = (t: string) => (t.startsWith('24:') ? '24:00' : t.slice(0, 5));

function toEntryView(r: EntryRow): HoursEntryView {
  return {
    id: r.id,
    placementId: r.placementId,
    student: { id: r.studentId, name: r.studentName },
    workDate: r.workDate,
    startTime: r.startsAt,
    endTime: r.endsAt,
    hours: Number(r.hours),
    activity: r.activity,
    status: r.status,
    rejectionReason: r.rejectionReason,
    decidedBy: r.decidedBy ? { id: r.decidedBy, name: r.decidedByName ?? '' } : null,
    decidedAt: r.decidedAt ? new Date(r.decidedAt).toISOString() : null,
    version: r.version,
  };
}

function entrySnapshot(h: HoursEntry) {
  return { workDate: h.workDate, startsAt: hhmm(h.startsAt), endsAt: hhmm(h.endsAt), activity: h.activity, status: h.status, rejectionReason: h.rejectionReason };
}

/**
 * R-TRN-4 multi-stage enterprise practice: placements at a partner enterprise's site or
 * the learning factory, one practice stage of the plan each; hours entries confirmed or
 * rejected by the student's enterprise mentor; progress per stage with an at-risk flag.
 */
@Injectable()
export class PracticeService {
  constructor(
    private readonly practice: PracticeRepository,
    private readonly access: MenteeAccess,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly kpiRefresh: KpiRefreshRequests,
  ) {}

  // ---- placements

  @Transactional()
  async createPlacement(dto: CreatePlacementDto): Promise<PlacementView> {
    const student = await this.practice.student(dto.studentId);
    if (!student) throw new AppException(PracticeErrors.STUDENT_NOT_FOUND);
    if (dto.endsOn < dto.startsOn) {
      throw new AppException(PracticeErrors.BAD_DATES);
    }
    // R-TRN-4: at a partner enterprise of the student's programme (an active partnership).
    const partnershipId = await this.practice.activePartnership(student.programmeId, dto.enterpriseId);
    if (!partnershipId) throw new AppException(PracticeErrors.NOT_PARTNER);
    const plan = await this.practice.plan(student.planId);
    if (!plan) throw new AppException(PracticeErrors.NO_PLAN);
    const stage = plan.content.practiceStages?.[dto.stageIndex];
    if (!stage) throw new AppException(PracticeErrors.NO_SUCH_STAGE, { stageNo: dto.stageIndex });
    const site = dto.site ?? stage.siteType;
    if (site !== stage.siteType) {
      throw new AppException(PracticeErrors.SITE_MISMATCH, { stage: stage.name, expected: stage.siteType, expectedZh: SITE_ZH[stage.siteType] });
    }
    if (dto.offeringId && !(await this.practice.isPostOffering(dto.offeringId, dto.enterpriseId))) throw new AppException(PracticeErrors.OFFERING_NOT_FOUND);
    const p = await this.practice.insertPlacement({
      studentId: student.id,
      partnershipId,
      enterpriseId: dto.enterpriseId,
      site,
      post: dto.post,
      offeringId: dto.offeringId ?? null,
      trainingPlanId: plan.id,
      stageIndex: dto.stageIndex,
      stageName: stage.name,
      plannedHours: stage.plannedHours,
      startsOn: dto.startsOn,
      endsOn: dto.endsOn,
      createdBy: this.context.requireActor().userId,
    });
    await this.audit.record({
      entity: 'placement',
      entityId: p.id,
      action: 'create',
      after: { studentId: p.studentId, enterpriseId: p.enterpriseId, site, post: p.post, stageIndex: p.stageIndex, plannedHours: p.plannedHours, startsOn: p.startsOn, endsOn: p.endsOn },
    });
    return this.placementView((await this.practice.placementRow(p.id, {}))!);
  }

  @Transactional()
  async listPlacements(query: PlacementListQuery): Promise<{ items: PlacementView[]; nextCursor: string | null }> {
    const rows = await this.practice.listPlacements(query, await this.access.visibility());
    const page = toPage(rows, query.limit, (r) => [r.startsOn, r.id], (r) => r);
    // One query for the progress of the whole page and one for the setting, never one per row.
    const [totals, riskPoints] = await Promise.all([this.practice.stageTotalsOf(page.items), page.items.length ? this.practice.riskPoints() : DEFAULT_PRACTICE_RISK_POINTS]);
    const byKey = new Map(totals.map((t) => [`${t.studentId}:${t.stageIndex}`, t]));
    return { items: page.items.map((r) => this.toPlacementView(r, byKey.get(`${r.studentId}:${r.stageIndex}`)!, riskPoints)), nextCursor: page.nextCursor };
  }

  @Transactional()
  async getPlacement(id: string): Promise<PlacementView> {
    return this.placementView(await this.visiblePlacement(id));
  }

  /** Every practice stage of a student the caller may see (404 otherwise). */
  @Transactional()
  async progress(studentId: string): Promise<StageProgressView[]> {
    const visible = await this.practice.listPlacements({ studentId, limit: 1 }, await this.access.visibility());
    if (!visible.length) throw new AppException(PracticeErrors.PLACEMENT_NOT_FOUND);
    const points = await this.practice.riskPoints();
    return (await this.practice.stageTotals(studentId)).map((t) => this.toProgress(t, points));
  }

  // ---- hours entries

  @Transactional()
  async logHours(dto: LogHoursDto): Promise<HoursEntryView> {
    const placement = await this.visiblePlacement(dto.placementId);
    await this.practice.lockStudentHours(placement.studentId);
    await this.checkSpan(placement, dto.workDate, dto.startTime, dto.endTime, null);
    const h = await this.practice.insertEntry({
      placementId: placement.id,
      studentId: placement.studentId,
      workDate: dto.workDate,
      startsAt: dto.startTime,
      endsAt: dto.endTime,
      activity: dto.activity,
      loggedBy: this.context.requireActor().userId,
    });
    await this.audit.record({ entity: 'practice-hours', entityId: h.id, action: 'log', after: entrySnapshot(h) });
    return this.entryView(h.id);
  }

  /** Any change returns the entry to pending (its confirmation or rejection is cleared). */
  @Transactional()
  async editHours(id: string, dto: EditHoursDto): Promise<HoursEntryView> {
    const row = await this.practice.entryRow(id, await this.access.visibility());
    if (!row) throw new AppException(PracticeErrors.ENTRY_NOT_FOUND);
    await this.practice.lockStudentHours(row.studentId);
    const h = await this.practice.findEntryForUpdate(id);
    if (!h) throw new AppException(PracticeErrors.ENTRY_NOT_FOUND);
    if (h.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: h.version });
    const placement = (await this.practice.placementRow(h.placementId, {}))!;
    const before = entrySnapshot(h);
    const workDate = dto.workDate ?? h.workDate;
    const start = dto.startTime ?? hhmm(h.startsAt);
    const end = dto.endTime ?? hhmm(h.endsAt);
    await this.checkSpan(placement, workDate, start, end, h.id);
    Object.assign(h, { workDate, startsAt: start, endsAt: end, activity: dto.activity ?? h.activity });
    Object.assign(h, { status: 'pending', rejectionReason: null, decidedBy: null, decidedAt: null });
    const saved = await this.practice.saveEntry(h);
    await this.audit.record({ entity: 'practice-hours', entityId: id, action: 'edit', before, after: entrySnapshot(saved) });
    return this.entryView(id);
  }

  @Transactional()
  async confirmHours(id: string): Promise<HoursEntryView> {
    return this.decide(id, 'confirmed', null);
  }

  @Transactional()
  async rejectHours(id: string, reason: string): Promise<HoursEntryView> {
    return this.decide(id, 'rejected', reason);
  }

  @Transactional()
  async listHours(query: HoursListQuery): Promise<Page<HoursEntryView>> {
    const rows = await this.practice.listEntries(query, await this.access.visibility());
    return toPage(rows, query.limit, (r) => [r.workDate, r.id], toEntryView);
  }

  // ---- for other modules (in the caller's transaction)

  /** A placement the signed-in user may see, or 404. */
  async visiblePlacement(id: string): Promise<PlacementRow> {
    const row = await this.practice.placementRow(id, await this.access.visibility());
    if (!row) throw new AppException(PracticeErrors.PLACEMENT_NOT_FOUND);
    return row;
  }

  /** The staff id of the student's active enterprise mentor (R-TRN-3), if any. */
  activeEnterpriseMentor(studentId: string): Promise<string | undefined> {
    return this.practice.activeEnterpriseMentor(studentId);
  }

  // ---- internals

  /**
   * R-TRN-4: not a future date (China), inside the placement, a span within one day, at
   * most 24 h on the date, no overlap with another non-rejected entry of the student
   * (half-open spans: 08:00–12:00 and 12:00–13:00 do not overlap). The caller holds the
   * student's hours lock; the exclusion constraint backs the overlap rule.
   */
  private async checkSpan(placement: PlacementRow, date: string, start: string, end: string, exceptId: string | null): Promise<void> {
    const today = chinaToday();
    if (date > today) throw new AppException(PracticeErrors.FUTURE_DATE, { date, today });
    if (date < placement.startsOn || date > placement.endsOn) {
      throw new AppException(PracticeErrors.OUTSIDE_PLACEMENT, { date, startsOn: placement.startsOn, endsOn: placement.endsOn });
    }
    const from = minutesOf(start);
    const to = minutesOf(end);
    if (to <= from) throw new AppException(PracticeErrors.BAD_SPAN);
    const others = await this.practice.dayEntries(placement.studentId, date, exceptId);
    const logged = others.reduce((n, e) => n + Number(e.hours), 0);
    const adding = (to - from) / 60;
    if (logged + adding > 24) throw new AppException(PracticeErrors.DAY_OVER_24H, { date, logged, adding: Math.round(adding * 100) / 100 });
    const clash = others.find((e) => minutesOf(e.startsAt) < to && from < minutesOf(e.endsAt));
    if (clash) throw new AppException(PracticeErrors.OVERLAP, { date, startsAt: clash.startsAt, endsAt: clash.endsAt });
  }

  /** Only the student's ACTIVE enterprise mentor (the signed-in user's staff record) decides (R-TRN-4). */
  private async decide(id: string, to: 'confirmed' | 'rejected', reason: string | null): Promise<HoursEntryView> {
    const row = await this.practice.entryRow(id, await this.access.visibility());
    if (!row) throw new AppException(PracticeErrors.ENTRY_NOT_FOUND);
    const me = await this.access.me();
    const mentor = await this.practice.activeEnterpriseMentor(row.studentId);
    if (!me || !mentor || me.id !== mentor) throw new AppException(PracticeErrors.NOT_ENTERPRISE_MENTOR);
    const h = await this.practice.findEntryForUpdate(id);
    if (!h) throw new AppException(PracticeErrors.ENTRY_NOT_FOUND);
    if (h.status !== 'pending') throw new AppException(PracticeErrors.NOT_PENDING, { status: h.status, statusZh: HOURS_STATUS_ZH[h.status] });
    const before = entrySnapshot(h);
    Object.assign(h, { status: to, rejectionReason: reason, decidedBy: me.id, decidedAt: new Date() });
    const saved = await this.practice.saveEntry(h);
    await this.audit.record({ entity: 'practice-hours', entityId: id, action: to === 'confirmed' ? 'confirm' : 'reject', before, after: entrySnapshot(saved) });
    if (to === 'confirmed') await this.kpiRefresh.students([row.studentId]); // confirmed hours are the practice-hours KPI (DOMAIN §4)
    return this.entryView(id);
  }

  private async entryView(id: string): Promise<HoursEntryView> {
    const row = await this.practice.entryRow(id, {});
    if (!row) throw new AppException(PracticeErrors.ENTRY_NOT_FOUND);
    return toEntryView(row);
  }

  private async placementView(r: PlacementRow): Promise<PlacementView> {
    const [totals] = await this.practice.stageTotals(r.studentId, r.stageIndex);
    return this.toPlacementView(r, totals, await this.practice.riskPoints());
  }

  private toPlacementView(r: PlacementRow, totals: StageTotalsRow, riskPoints: number): PlacementView {
    return {
      id: r.id,
      student: { id: r.studentId, name: r.studentName },
      enterprise: { id: r.enterpriseId, name: r.enterpriseName },
      site: r.site,
      post: r.post,
      offeringId: r.offeringId,
      stage: { trainingPlanId: r.trainingPlanId, index: r.stageIndex, name: r.stageName, plannedHours: r.plannedHours },
      startsOn: r.startsOn,
      endsOn: r.endsOn,
      progress: this.toProgress(totals, riskPoints),
      version: r.version,
    };
  }

  private toProgress(t: StageTotalsRow, riskPoints: number): StageProgressView {
    const p = stageProgress({
      plannedHours: t.plannedHours,
      loggedHours: Number(t.loggedHours),
      confirmedHours: Number(t.confirmedHours),
      startsOn: t.startsOn,
      endsOn: t.endsOn,
      today: chinaToday(),
      riskPoints,
    });
    return { stageIndex: t.stageIndex, stageName: t.stageName, startsOn: t.startsOn, endsOn: t.endsOn, ...p };
  }
}
