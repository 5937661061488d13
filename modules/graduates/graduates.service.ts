import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { Page, toPage } from '../../src/http/pagination';
import { chinaToday } from '../../src/time/china-date';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { addMonths } from '../cohorts';
import { checkUscc, normalizeUscc } from '../enterprises';
import { KpiRefreshRequests } from '../kpis';
import { missingForGraduation } from './domain/graduation';
import {
  CohortGraduationView,
  CompleteCohortView,
  EmploymentListQuery,
  EmploymentRecordDto,
  EmploymentRecordView,
  EndEmploymentDto,
  FollowUpDto,
  FollowUpView,
  GraduateDto,
  GraduateView,
  GraduationCheckView,
} from './dto/graduates.dto';
import { EMPLOYED_OUTCOMES, OUTCOME_NAMES } from './employment-record.entity';
import { GraduateErrors } from './graduates.errors';
import { EmploymentRow, FollowUpRow, GraduatesRepository, OutcomeRow } from './graduates.repository';

export const DEFAULT_FOLLOW_UP_MONTHS = [0, 6, 12];

function toCheck(o: OutcomeRow, failedItems: string[] = []): GraduationCheckView {
  const missing = missingForGraduation(o, failedItems);
  return {
    studentId: o.studentId,
    name: o.name,
    status: o.status,
    eligible: missing.length === 0,
    missing,
    courseItems: o.courseItems,
    courseItemsPassed: o.courseItemsPassed,
    practiceMet: o.practiceMet,
    graduatedOn: o.status === 'graduated' ? o.graduatedOn : null,
  };
}

export function toEmploymentView(r: EmploymentRow): EmploymentRecordView {
  return {
    id: r.id,
    studentId: r.studentId,
    studentName: r.studentName,
    enterpriseId: r.enterpriseId,
    employerName: r.employerName,
    employerUscc: r.employerUscc,
    post: r.post,
    city: r.city,
    startedOn: r.startedOn,
    endedOn: r.endedOn,
    monthlyPay: r.monthlyPay,
    technicianEquivalent: r.technicianEquivalent,
    matched: r.matched,
    matchReason: r.matchReason,
    source: r.source,
    benchmark: r.benchmark,
    // R-EVA-4: strictly above the benchmark
    aboveBenchmark: r.benchmark === null ? null : r.monthlyPay > r.benchmark,
    version: r.version,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

function toFollowUpView(f: FollowUpRow): FollowUpView {
  return {
    id: f.id,
    checkpointMonths: f.checkpointMonths,
    outcome: f.outcome,
    outcomeName: OUTCOME_NAMES[f.outcome],
    followedUpOn: f.followedUpOn,
    employmentRecordId: f.employmentRecordId,
    note: f.note,
    recordedBy: f.recordedByName,
  };
}

/** A list of month numbers from settings, or the default. */
function monthsSetting(value: unknown): number[] {
  if (Array.isArray(value) && value.length && value.every((v) => Number.isInteger(v) && v >= 0 && v <= 120)) return [...new Set(value as number[])].sort((a, b) => a - b);
  return DEFAULT_FOLLOW_UP_MONTHS;
}

/**
 * Graduation (R-EVA-3, DOMAIN §5), cohort completion and graduate tracking (R-EVA-4).
 * The assessment facts are part A's (student_evaluation_outcomes_v, read through
 * graduate_outcomes_v); nothing here writes assessments or certificates.
 */
@Injectable()
export class GraduatesService {
  constructor(
    private readonly graduates: GraduatesRepository,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly kpiRefresh: KpiRefreshRequests,
  ) {}

  @Transactional()
  async check(studentId: string): Promise<GraduationCheckView> {
    const o = await this.graduates.outcomeOf(studentId);
    if (!o) throw new AppException(GraduateErrors.STUDENT_NOT_FOUND);
    return toCheck(o, o.allCoursesPassed ? [] : await this.graduates.openCourseItems(studentId));
  }

  /** R-EVA-3 + DOMAIN §5: an enrolled student who passed every course and met practice graduates. */
  @Transactional()
  async graduate(studentId: string, dto: GraduateDto): Promise<GraduationCheckView> {
    const student = await this.graduates.lockStudent(studentId);
    if (!student) throw new AppException(GraduateErrors.STUDENT_NOT_FOUND);
    // streamed-out and withdrawn students are never graduates of the technician class
    if (student.status !== 'enrolled') throw new AppException(GraduateErrors.NOT_ENROLLED, { status: student.status });
    const on = dto.graduatedOn ?? chinaToday();
    if (on > chinaToday() || (student.enrolledOn && on < student.enrolledOn)) throw new AppException(GraduateErrors.GRADUATION_DATE);
    const check = await this.check(studentId);
    if (!check.eligible) {
      throw new AppException(
        GraduateErrors.NOT_ELIGIBLE,
        { reasons: check.missing.map((m) => m.zh).join('；'), reasonsEn: check.missing.map((m) => m.en).join('; ') },
        check.missing.map((m, i) => ({ field: `missing.${i}`, constraint: 'R-EVA-3', zh: m.zh, en: m.en })),
      );
    }
    await this.graduates.graduate(studentId, on, this.context.requireActor().userId, student.status);
    await this.kpiRefresh.students([studentId]);
    await this.audit.record({ entity: 'student', entityId: studentId, action: 'graduate', before: { status: student.status }, after: { status: 'graduated', graduatedOn: on } });
    return this.check(studentId);
  }

  @Transactional()
  async cohort(cohortId: string): Promise<CohortGraduationView> {
    const cohort = await this.graduates.cohort(cohortId);
    if (!cohort) throw new AppException(GraduateErrors.COHORT_NOT_FOUND);
    const students = (await this.graduates.cohortOutcomes(cohortId)).map((o) => toCheck(o));
    const unfinished = students.filter((s) => s.status === 'admitted' || s.status === 'enrolled').length;
    return {
      cohortId,
      name: cohort.name,
      status: cohort.status,
      completedOn: cohort.completedOn,
      unfinished,
      canComplete: cohort.status === 'started' && unfinished === 0,
      students,
    };
  }

  /** DOMAIN §5: the college completes a cohort when every student graduated, left or was streamed out. */
  @Transactional()
  async complete(cohortId: string): Promise<CompleteCohortView> {
    const cohort = await this.graduates.lockCohort(cohortId);
    if (!cohort) throw new AppException(GraduateErrors.COHORT_NOT_FOUND);
    if (cohort.status === 'completed') throw new AppException(GraduateErrors.COHORT_ALREADY_COMPLETED);
    if (cohort.status !== 'started') throw new AppException(GraduateErrors.COHORT_NOT_STARTED);
    const open = await this.graduates.unfinishedStudents(cohortId);
    if (open.length) {
      const names = open.slice(0, 10).map((s) => s.name).join('、') + (open.length > 10 ? '…' : '');
      throw new AppException(GraduateErrors.COHORT_NOT_FINISHED, { count: open.length, names });
    }
    const on = chinaToday();
    await this.graduates.completeCohort(cohortId, on, this.context.requireActor().userId);
    await this.audit.record({ entity: 'cohort', entityId: cohortId, action: 'complete', before: { status: cohort.status }, after: { status: 'completed', completedOn: on } });
    return { cohortId, status: 'completed', completedOn: on };
  }

  @Transactional()
  async graduateView(studentId: string): Promise<GraduateView> {
    const o = await this.graduates.outcomeOf(studentId);
    if (!o) throw new AppException(GraduateErrors.STUDENT_NOT_FOUND);
    // one transaction, one connection: the queries run one after the other
    const records = await this.graduates.recordsOf(studentId);
    const followUps = await this.graduates.followUpsOf(studentId);
    const settings = await this.graduates.settings();
    const done = new Set(followUps.map((f) => f.checkpointMonths));
    return {
      studentId,
      name: o.name,
      status: o.status,
      graduatedOn: o.graduate ? o.graduatedOn : null,
      technicianLevel: o.attained,
      routes: { nationalCertificate: o.route1, industryCertificate: o.route2, terminalJudgement: o.route3, hiredAsTechnician: o.route3Hired },
      employed: o.employed,
      employment: records.map(toEmploymentView),
      followUps: followUps.map(toFollowUpView),
      schedule:
        o.graduate && o.graduatedOn
          ? monthsSetting(settings.followUpMonths).map((m) => ({ checkpointMonths: m, dueOn: addMonths(o.graduatedOn!, m), done: done.has(m) }))
          : [],
    };
  }

  /**
   * R-EVA-4 employment record. College staff record any graduate's employment; an
   * enterprise reports hires of graduates it employs (its own records only, for students of
   * programmes it partners with or hosted in practice).
   */
  @Transactional()
  async addEmployment(studentId: string, dto: EmploymentRecordDto): Promise<EmploymentRecordView> {
    const actor = this.context.requireActor();
    const enterpriseScope = actor.scope === 'enterprise';
    const o = await this.graduates.outcomeOf(studentId);
    if (!o) throw new AppException(GraduateErrors.STUDENT_NOT_FOUND);
    // issue 9: an enterprise names only itself as the employer; another enterprise named is refused, not silently replaced
    if (enterpriseScope && dto.enterpriseId && dto.enterpriseId !== actor.enterpriseId) throw new AppException(GraduateErrors.EMPLOYER_NOT_FOUND);
    const enterpriseId = enterpriseScope ? actor.enterpriseId! : (dto.enterpriseId ?? null);
    let employerName = dto.employerName ?? null;
    let employerUscc: string | null = null;
    let partner = false;
    if (enterpriseId) {
      const employer = await this.graduates.employerFacts(studentId, enterpriseId);
      if (!employer) throw new AppException(GraduateErrors.EMPLOYER_NOT_FOUND);
      // an enterprise sees only the students it works with: another college's or programme's student is 404
      if (enterpriseScope && !employer.partner) throw new AppException(GraduateErrors.STUDENT_NOT_FOUND);
      employerName = employer.name;
      employerUscc = employer.uscc;
      partner = employer.partner;
    } else {
      if (!employerName) throw new AppException(GraduateErrors.EMPLOYER_REQUIRED);
      if (dto.employerUscc) {
        employerUscc = normalizeUscc(dto.employerUscc);
        const verdict = checkUscc(employerUscc); // R-ENT-0, GB 32100-2015
        if (!verdict.ok) throw new AppException(GraduateErrors.BAD_USCC, { reason: verdict.reason.zh, reasonEn: verdict.reason.en });
      }
    }
    if (!o.graduate) throw new AppException(GraduateErrors.NOT_A_GRADUATE);
    if (dto.endedOn && dto.endedOn < dto.startedOn) throw new AppException(GraduateErrors.RECORD_DATES);
    if (o.enrolledOn && dto.startedOn < o.enrolledOn) throw new AppException(GraduateErrors.RECORD_BEFORE_GRADUATION);
    const programme = await this.graduates.programmeOf(studentId);
    const byDefault = this.defaultMatch(dto.post, partner, programme);
    const matched = dto.matched ?? byDefault.matched;
    const matchReason = dto.matchReason ?? (dto.matched === undefined || dto.matched === byDefault.matched ? byDefault.reason : dto.matched ? '院校判定对口' : '院校判定不对口');
    const id = await this.graduates.insertEmployment({
      studentId,
      enterpriseId,
      employerName: employerName!,
      employerUscc,
      post: dto.post,
      city: dto.city,
      startedOn: dto.startedOn,
      endedOn: dto.endedOn ?? null,
      monthlyPay: dto.monthlyPay,
      technicianEquivalent: dto.technicianEquivalent,
      matched,
      matchReason,
      source: enterpriseScope ? 'enterprise' : 'college',
      createdBy: actor.userId,
    });
    await this.audit.record({
      entity: 'employment-record',
      entityId: id,
      action: 'create',
      after: { studentId, enterpriseId, employerName, post: dto.post, city: dto.city, startedOn: dto.startedOn, monthlyPay: dto.monthlyPay, matched, technicianEquivalent: dto.technicianEquivalent },
    });
    await this.kpiRefresh.students([studentId]);
    return toEmploymentView((await this.graduates.record(id))!);
  }

  /** Default "matched" from the programme's occupation: a partner employer or a post naming the occupation. */
  private defaultMatch(post: string, partner: boolean, programme?: { occupationCode: string; occupationName: string; programmeName: string }): { matched: boolean; reason: string } {
    if (!programme) return { matched: false, reason: '未找到专业信息' };
    if (partner) return { matched: true, reason: `用人单位为${programme.programmeName}专业的合作企业` };
    if (post.includes(programme.occupationName)) return { matched: true, reason: `岗位与专业职业（${programme.occupationName} ${programme.occupationCode}）一致` };
    return { matched: false, reason: `岗位与专业职业（${programme.occupationName} ${programme.occupationCode}）不一致，可由院校人工判定` };
  }

  /** The end of an employment (or its undoing); versioned so no change is lost. */
  @Transactional()
  async endEmployment(id: string, dto: EndEmploymentDto): Promise<EmploymentRecordView> {
    const actor = this.context.requireActor();
    const row = await this.graduates.lockRecord(id);
    if (!row || (actor.scope === 'enterprise' && row.enterpriseId !== actor.enterpriseId)) throw new AppException(GraduateErrors.RECORD_NOT_FOUND);
    if (row.version !== dto.version) throw new AppException(GraduateErrors.STALE_VERSION);
    const endedOn = dto.endedOn ?? null;
    if (endedOn && endedOn < row.startedOn) throw new AppException(GraduateErrors.RECORD_DATES);
    await this.graduates.endRecord(id, endedOn);
    await this.kpiRefresh.students([row.studentId]);
    await this.audit.record({ entity: 'employment-record', entityId: id, action: 'end', before: { endedOn: row.endedOn }, after: { endedOn } });
    return toEmploymentView((await this.graduates.record(id))!);
  }

  @Transactional()
  async listEmployment(query: EmploymentListQuery): Promise<Page<EmploymentRecordView>> {
    const actor = this.context.requireActor();
    const rows = await this.graduates.listRecords({ ...query, enterpriseId: actor.scope === 'enterprise' ? actor.enterpriseId : undefined });
    return toPage(rows, query.limit, (r) => [r.startedOn, r.id], toEmploymentView);
  }

  @Transactional()
  async getEmployment(id: string): Promise<EmploymentRecordView> {
    const actor = this.context.requireActor();
    const row = await this.graduates.record(id, actor.scope === 'enterprise' ? actor.enterpriseId : undefined);
    if (!row) throw new AppException(GraduateErrors.RECORD_NOT_FOUND);
    return toEmploymentView(row);
  }

  /** R-EVA-4 follow-up at a configured checkpoint (default graduation, +6, +12 months): dated, by whom. */
  @Transactional()
  async addFollowUp(studentId: string, dto: FollowUpDto): Promise<GraduateView> {
    const o = await this.graduates.outcomeOf(studentId);
    if (!o) throw new AppException(GraduateErrors.STUDENT_NOT_FOUND);
    if (!o.graduate || !o.graduatedOn) throw new AppException(GraduateErrors.NOT_A_GRADUATE);
    const allowed = monthsSetting((await this.graduates.settings()).followUpMonths);
    if (!allowed.includes(dto.checkpointMonths)) throw new AppException(GraduateErrors.FOLLOW_UP_CHECKPOINT, { allowed: allowed.join('、') });
    if (dto.followedUpOn < o.graduatedOn || dto.followedUpOn > chinaToday()) throw new AppException(GraduateErrors.FOLLOW_UP_DATE);
    const recordId = dto.employmentRecordId ?? null;
    if (EMPLOYED_OUTCOMES.includes(dto.outcome) && !recordId) throw new AppException(GraduateErrors.FOLLOW_UP_RECORD);
    if (recordId && !(await this.graduates.recordBelongsTo(recordId, studentId))) throw new AppException(GraduateErrors.FOLLOW_UP_RECORD);
    if (await this.graduates.followUpExists(studentId, dto.checkpointMonths)) throw new AppException(GraduateErrors.FOLLOW_UP_EXISTS, { months: dto.checkpointMonths });
    const id = await this.graduates.insertFollowUp({
      studentId,
      checkpointMonths: dto.checkpointMonths,
      outcome: dto.outcome,
      followedUpOn: dto.followedUpOn,
      employmentRecordId: recordId,
      note: dto.note ?? null,
      recordedBy: this.context.requireActor().userId,
    });
    await this.audit.record({ entity: 'graduate-follow-up', entityId: id, action: 'create', after: { studentId, ...dto } });
    await this.kpiRefresh.students([studentId]); // employed or stable at the follow-up (DOMAIN §4)
    return this.graduateView(studentId);
  }
}
