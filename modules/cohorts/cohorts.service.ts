import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import type { FieldError } from '../../src/errors/app.exception';
import { Page, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { PartnershipsService } from '../partnerships';
import { ReferenceDataService } from '../reference-data';
import { TeamComplianceService } from '../teams';
import { DEFAULT_CLASS_SIZE_WARNING } from '../training-plans';
import { Cohort } from './cohort.entity';
import { CohortErrors } from './cohorts.errors';
import { CohortRow, CohortsRepository } from './cohorts.repository';
import { scheduleOf, streamingCheckpoint } from './domain/track-dates';
import { CohortListQuery, CohortView, CohortWarningView, CreateCohortDto } from './dto/cohort.dto';
import { chinaToday } from '../../src/time/china-date';

/** R-TRN-2 advice, not a rule: more students than the college's setting (default 30) is a warning. */
export function classSizeWarning(count: number, threshold: number): CohortWarningView | null {
  if (count <= threshold) return null;
  return {
    code: 'COHORTS.CLASS_SIZE_ABOVE_RECOMMENDED',
    zh: `班级现有学生 ${count} 人，超过建议的 ${threshold} 人；学制技师培养提倡小班化、项目化教学（R-TRN-2）`,
    en: `The cohort has ${count} students, above the recommended ${threshold}; small classes and project teaching are encouraged (R-TRN-2)`,
  };
}

export interface CollegeSettings {
  /** R-TRN-2: class size above this is a warning (default 30) */
  classSizeWarning: number;
  /** R-EVA-1: months after the start; null = the end of the senior-worker stage */
  streamingCheckpointMonths: number | null;
}

function snapshot(c: Cohort) {
  return {
    programmeId: c.programmeId,
    planVersionId: c.planVersionId,
    name: c.name,
    intakeYear: c.intakeYear,
    trackCode: c.trackCode,
    startDate: c.startDate,
    durationMonths: c.durationMonths,
    seniorWorkerStageMonths: c.seniorWorkerStageMonths,
    assistantEngineer: c.assistantEngineer,
    status: c.status,
  };
}

/**
 * Cohorts (学制技师班, issue 5): programme + plan version + intake year + track + start date.
 * Duration, the end of the senior-worker stage and the expected graduation are derived
 * from the track (R-TRK-1) or the flexible track's own split (R-TRK-2); a cohort starts
 * only with an in-force agreement (R-TRN-1) and a compliant team (R-EVA-2).
 */
const PILOT_STATUS_ZH: Record<string, string> = { candidate: '候选', applied: '已申报', suspended: '暂停', revoked: '已撤销', completed: '已结业' };

@Injectable()
export class CohortsService {
  constructor(
    private readonly cohorts: CohortsRepository,
    private readonly referenceData: ReferenceDataService,
    private readonly partnerships: PartnershipsService,
    private readonly teams: TeamComplianceService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
  ) {}

  @Transactional()
  async create(dto: CreateCohortDto): Promise<CohortView> {
    const actor = this.context.requireActor();
    if (!(await this.cohorts.programmeExists(dto.programmeId))) throw new AppException(CohortErrors.PROGRAMME_NOT_FOUND);
    const plan = await this.cohorts.planVersion(dto.planVersionId);
    if (!plan || plan.programmeId !== dto.programmeId || !['current', 'superseded'].includes(plan.status)) {
      throw new AppException(CohortErrors.PLAN_VERSION_INVALID);
    }
    const track = (await this.referenceData.schoolingTracks()).find((t) => t.code === dto.trackCode);
    if (!track) throw new AppException(CohortErrors.TRACK_UNKNOWN, { track: dto.trackCode });
    const schedule = scheduleOf(track, dto.startDate, dto.flexible ?? null);
    if (typeof schedule === 'string') throw new AppException(CohortErrors[schedule], { track: track.entryLevelZh });
    if (await this.cohorts.nameTaken(dto.intakeYear, dto.name)) {
      throw new AppException(CohortErrors.DUPLICATE_NAME, { year: dto.intakeYear, name: dto.name });
    }
    const cohort = await this.cohorts.insert({
      programmeId: dto.programmeId,
      planVersionId: dto.planVersionId,
      name: dto.name,
      intakeYear: dto.intakeYear,
      trackCode: dto.trackCode,
      startDate: dto.startDate,
      durationMonths: schedule.durationMonths,
      seniorWorkerStageMonths: schedule.seniorWorkerStageMonths,
      flexibleJustification: track.flexible ? dto.flexible!.justification : null,
      assistantEngineer: dto.assistantEngineer ?? false,
      createdBy: actor.userId,
    });
    await this.audit.record({ entity: 'cohort', entityId: cohort.id, action: 'create', after: snapshot(cohort) });
    return this.view(cohort.id);
  }

  /** College users: their college; enterprise users: cohorts of programmes they partner with; province: any college. */
  @Transactional()
  async list(query: CohortListQuery): Promise<Page<CohortView>> {
    const actor = this.context.requireActor();
    const rows = await this.cohorts.list({
      ...query,
      tenantId: actor.scope === 'province' ? query.tenantId : this.context.requireTenantId(),
      partnerEnterpriseId: actor.scope === 'enterprise' ? actor.enterpriseId : undefined,
    });
    const page = toPage(rows, query.limit, (r) => [r.intakeYear, r.name, r.id], (r) => r);
    const settings = new Map<string, Promise<CollegeSettings>>();
    const of = (tenantId: string) => settings.get(tenantId) ?? settings.set(tenantId, this.settings(tenantId)).get(tenantId)!;
    const items: CohortView[] = [];
    for (const r of page.items) items.push(this.toView(r, await of(r.tenantId)));
    return { items, nextCursor: page.nextCursor };
  }

  @Transactional()
  async get(id: string): Promise<CohortView> {
    const row = await this.requireVisible(id);
    return this.toView(row, await this.settings(row.tenantId));
  }

  /**
   * R-GOV-3 + R-TRN-1 + R-EVA-2: refused with 422 and every reason unless the programme is an active
   * pilot (issue 12), has a partner
   * with an in-force agreement today and its (or the cohort's) team is compliant. Admitted
   * students are enrolled, dated by the start date.
   */
  @Transactional()
  async start(id: string): Promise<CohortView> {
    const actor = this.context.requireActor();
    const cohort = await this.cohorts.findForUpdate(id);
    if (!cohort) throw new AppException(CohortErrors.NOT_FOUND);
    if (cohort.status !== 'planned') throw new AppException(CohortErrors.ALREADY_STARTED);
    const reasons: FieldError[] = [];
    // issue 12 / R-GOV-3, DOMAIN §5: only an active pilot (announced, or mid-term passed) opens cohorts;
    // a candidate, applied, suspended, revoked or completed programme admits no new class
    const pilotStatus = await this.cohorts.programmePilotStatus(cohort.programmeId);
    if (pilotStatus !== 'active' && pilotStatus !== 'midterm-passed') {
      reasons.push({
        field: 'pilotStatus',
        constraint: 'R-GOV-3',
        zh: `该专业不是在试点中的专业（当前试点状态：${PILOT_STATUS_ZH[pilotStatus ?? ''] ?? pilotStatus}），不能开班（R-GOV-3）`,
        en: `The programme is not an active pilot (pilot status: ${pilotStatus}) and cannot open a cohort (R-GOV-3)`,
      });
    }
    const partners = await this.partnerships.activePartnersOf(cohort.programmeId, chinaToday());
    if (!partners.some((p) => p.agreementInForce)) {
      reasons.push({
        field: 'agreement',
        constraint: 'R-TRN-1',
        zh: '该专业没有已签署且在有效期内的校企合作协议（R-TRN-1）',
        en: 'The programme has no signed joint-training agreement in force (R-TRN-1)',
      });
    }
    const team = await this.teams.check(cohort.programmeId, cohort.id);
    if (!team.compliant) {
      const missing = team.missing.length ? team.missing : [{ zh: '尚未组建教学和考评团队', en: 'No teaching and assessment team yet' }];
      missing.forEach((m, i) =>
        reasons.push({ field: `team.missing.${i}`, constraint: 'R-EVA-2', zh: `教学和考评团队不达标：${m.zh}（R-EVA-2）`, en: `Team not compliant: ${m.en} (R-EVA-2)` }),
      );
    }
    if (reasons.length) {
      throw new AppException(
        CohortErrors.START_REFUSED,
        { reasons: reasons.map((r) => r.zh).join('；'), reasonsEn: reasons.map((r) => r.en).join('; ') },
        reasons,
      );
    }
    const before = snapshot(cohort);
    cohort.status = 'started';
    cohort.startedAt = new Date();
    cohort.startedBy = actor.userId;
    const saved = await this.cohorts.save(cohort);
    const enrolled = await this.cohorts.enrolAdmitted(id, cohort.startDate, actor.userId);
    await this.audit.record({ entity: 'cohort', entityId: id, action: 'start', before, after: { ...snapshot(saved), enrolled } });
    return this.view(id);
  }

  /** For other modules: the cohort locked for the rest of the transaction (imports and admissions of one cohort queue up), or 404. */
  async lockRow(id: string): Promise<CohortRow> {
    if (!(await this.cohorts.findForUpdate(id))) throw new AppException(CohortErrors.NOT_FOUND);
    return (await this.cohorts.findRow(id))!;
  }

  /** For other modules: the cohort (own college) or 404. */
  async requireRow(id: string): Promise<CohortRow> {
    const row = await this.cohorts.findRow(id);
    if (!row) throw new AppException(CohortErrors.NOT_FOUND);
    return row;
  }

  /** The college's settings the cohort rules read (tenants.settings). */
  async settings(tenantId: string): Promise<CollegeSettings> {
    return {
      classSizeWarning: (await this.cohorts.setting('classSizeWarning', tenantId)) ?? DEFAULT_CLASS_SIZE_WARNING,
      streamingCheckpointMonths: await this.cohorts.setting('streamingCheckpointMonths', tenantId),
    };
  }

  /** The streaming checkpoint of the cohort (R-EVA-1). */
  checkpointOf(row: CohortRow, settings: CollegeSettings): string {
    return streamingCheckpoint(row.startDate, row, settings.streamingCheckpointMonths);
  }

  classSizeWarnings(count: number, settings: CollegeSettings): CohortWarningView[] {
    const w = classSizeWarning(count, settings.classSizeWarning);
    return w ? [w] : [];
  }

  private async requireVisible(id: string): Promise<CohortRow> {
    const actor = this.context.requireActor();
    const row = await this.cohorts.findRow(id);
    if (!row) throw new AppException(CohortErrors.NOT_FOUND);
    if (actor.scope === 'enterprise' && !(await this.cohorts.enterpriseMayRead(id, actor.enterpriseId!))) {
      throw new AppException(CohortErrors.NOT_FOUND);
    }
    return row;
  }

  private async view(id: string): Promise<CohortView> {
    const row = (await this.cohorts.findRow(id))!;
    return this.toView(row, await this.settings(row.tenantId));
  }

  toView(r: CohortRow, settings: CollegeSettings): CohortView {
    return {
      id: r.id,
      tenantId: r.tenantId,
      programmeId: r.programmeId,
      programmeName: r.programmeName,
      planVersionId: r.planVersionId,
      planVersionNo: r.planVersionNo,
      name: r.name,
      intakeYear: r.intakeYear,
      track: { code: r.trackCode, entryLevelZh: r.trackEntryLevelZh, flexible: r.trackFlexible },
      startDate: r.startDate,
      durationMonths: r.durationMonths,
      seniorWorkerStageMonths: r.seniorWorkerStageMonths,
      seniorWorkerStageEnd: r.seniorWorkerStageEnd,
      expectedGraduation: r.expectedGraduation,
      streamingCheckpoint: this.checkpointOf(r, settings),
      flexibleJustification: r.flexibleJustification,
      assistantEngineer: r.assistantEngineer,
      status: r.status,
      startedAt: r.startedAt ? new Date(r.startedAt).toISOString() : null,
      studentCount: r.studentCount,
      warnings: this.classSizeWarnings(r.studentCount, settings),
      version: r.version,
      createdAt: new Date(r.createdAt).toISOString(),
      updatedAt: new Date(r.updatedAt).toISOString(),
    };
  }
}
