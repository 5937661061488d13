import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { Page, toPage } from '../../src/http/pagination';
import { maskIdNumber, maskPhone } from '../../src/privacy/mask';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { CounterStore } from '../../src/redis/counter-store';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit';
import { CohortRow, CohortsService } from '../cohorts';

import { InputProblem, StudentInput, validateStudent, ValidStudent } from './domain/student-input';
import { CreateStudentDto, RevealView, StatusChangeDto, StudentListQuery, StudentView } from './dto/student.dto';
import { PiiCipher } from './pii-cipher';
import { StudentErrors } from './students.errors';
import { NewStudentRow, StudentRow, StudentsRepository } from './students.repository';
import { chinaToday } from '../../src/time/china-date';
import { assertNotFuture } from '../../src/time/not-future';

export function toStudentView(r: StudentRow): StudentView {
  return {
    id: r.id,
    cohortId: r.cohortId,
    cohortName: r.cohortName,
    programmeId: r.programmeId,
    name: r.name,
    gender: r.gender,
    dateOfBirth: r.dateOfBirth,
    idNumber: r.idNumberMasked,
    mobile: r.mobileMasked,
    entryLevel: r.entryLevel,
    status: r.lifecycleStatus,
    admittedOn: r.admittedOn,
    enrolledOn: r.enrolledOn,
    technicianStageFrom: r.seniorWorkerStageEnd,
    expectedGraduation: r.expectedGraduation,
    leftOn: r.leftOn,
    leftReason: r.leftReason,
    streaming: r.streamingDecision ? { decision: r.streamingDecision, reason: r.streamingReason!, checkpointOn: r.streamingCheckpointOn! } : null,
    version: r.version,
  };
}

/** The problems of one record as a 422 (every field at once). */
export function invalid(problems: InputProblem[]): AppException {
  return new AppException(
    StudentErrors.INVALID,
    { reasons: problems.map((p) => p.zh).join('；') },
    problems.map((p) => ({ field: p.column, constraint: 'student', zh: p.zh, en: p.en })),
  );
}

/**
 * Students (issue 5): PIPL-safe records (QUALITY §4) — ID and mobile numbers encrypted at
 * rest, a blind index keeps an ID unique in the college, every response masks them, and a
 * reveal needs students.reveal-pii and writes an audit row with the reason. The stage is
 * derived from the cohort's dates (DOMAIN §5); recorded transitions are dated.
 */
@Injectable()
export class StudentsService {
  constructor(
    private readonly students: StudentsRepository,
    private readonly cohorts: CohortsService,
    private readonly cipher: PiiCipher,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
  ) {}

  /** Validates one record for the cohort (R-TRK-3 included). */
  validate(input: StudentInput, cohort: CohortRow): ValidStudent | InputProblem[] {
    return validateStudent(input, { code: cohort.trackCode, flexible: cohort.trackFlexible }, chinaToday());
  }

  /** Encrypts and masks a valid record into a row; admitted, or enrolled when the cohort has started. */
  seal(v: ValidStudent, cohort: CohortRow, admittedOn: string, applicantId: string | null = null): NewStudentRow {
    const enrolled = cohort.status === 'started';
    return {
      cohortId: cohort.id,
      programmeId: cohort.programmeId,
      applicantId,
      name: v.name,
      gender: v.gender,
      dateOfBirth: v.dateOfBirth,
      idNumberEnc: this.cipher.encrypt(v.idNumber),
      idNumberHash: this.cipher.idNumberHash(v.idNumber),
      idNumberMasked: maskIdNumber(v.idNumber)!,
      mobileEnc: v.mobile ? this.cipher.encrypt(v.mobile) : null,
      mobileMasked: v.mobile ? maskPhone(v.mobile) : null,
      entryLevel: v.entryLevel,
      status: enrolled ? 'enrolled' : 'admitted',
      admittedOn,
      enrolledOn: enrolled ? (admittedOn > cohort.startDate ? admittedOn : cohort.startDate) : null,
    };
  }

  @Transactional()
  async create(cohortId: string, dto: CreateStudentDto): Promise<StudentView> {
    const actor = this.context.requireActor();
    const cohort = await this.cohorts.requireRow(cohortId);
    if (cohort.status === 'completed') throw new AppException(StudentErrors.COHORT_CLOSED);
    const valid = this.validate(dto, cohort);
    if (Array.isArray(valid)) throw invalid(valid);
    assertNotFuture(dto.admittedOn, 'admittedOn', '录取日期', 'The admission date');
    const row = this.seal(valid, cohort, dto.admittedOn ?? chinaToday());
    const existing = (await this.students.byIdHashes([row.idNumberHash])).get(row.idNumberHash.toString('hex'));
    if (existing) throw new AppException(StudentErrors.DUPLICATE_ID_NUMBER, { where: existing.cohortName, whereEn: existing.cohortName });
    const [id] = await this.students.insertMany([row], actor.userId, '登记入学');
    await this.audit.record({ entity: 'student', entityId: id, action: 'create', after: { cohortId, name: row.name, idNumber: row.idNumberMasked, status: row.status } });
    return toStudentView((await this.students.findRow(id))!);
  }

  /** College users: their college; enterprise users: students of programmes they partner with. */
  @Transactional()
  async list(query: StudentListQuery): Promise<Page<StudentView>> {
    const actor = this.context.requireActor();
    const rows = await this.students.list({ ...query, partnerEnterpriseId: actor.scope === 'enterprise' ? actor.enterpriseId : undefined });
    return toPage(rows, query.limit, (r) => [r.name, r.id], toStudentView);
  }

  @Transactional()
  async get(id: string): Promise<StudentView> {
    const row = await this.requireVisible(id);
    return { ...toStudentView(row), history: await this.students.history(id) };
  }

  /** QUALITY §4: the full numbers, for college admins and staff, with the reason in the audit log (never the numbers). */
  @Transactional()
  async reveal(id: string, reason: string): Promise<RevealView> {
    const sealed = await this.students.sealed(id);
    if (!sealed) throw new AppException(StudentErrors.NOT_FOUND);
    await this.flagRevealBurst();
    await this.audit.record({ entity: 'student', entityId: id, action: 'reveal-pii', after: { reason, fields: sealed.mobileEnc ? ['idNumber', 'mobile'] : ['idNumber'] } });
    return { studentId: id, idNumber: this.cipher.decrypt(sealed.idNumberEnc), mobile: sealed.mobileEnc ? this.cipher.decrypt(sealed.mobileEnc) : null };
  }

  /**
   * Issue 9 item 6: the hourly limit per user is @RateLimit('reveal') on the route (429 with
   * Retry-After before this runs); a burst above REVEAL_BURST_PER_MINUTE is flagged in the
   * audit log once per minute (action reveal-burst), for the college admin to review.
   */
  private async flagRevealBurst(): Promise<void> {
    const actor = this.context.requireActor();
    const minute = await this.counters.hit(`${this.config.QUEUE_PREFIX}:reveal:m:${actor.userId}`, 60);
    if (minute === this.config.REVEAL_BURST_PER_MINUTE + 1) {
      await this.audit.record({ entity: 'user', entityId: actor.userId, action: 'reveal-burst', after: { revealsInMinute: minute, threshold: this.config.REVEAL_BURST_PER_MINUTE } });
    }
  }

  /** DOMAIN §5: graduated from the technician route (enrolled); withdrawn from any enrolled state. Dated. */
  @Transactional()
  async changeStatus(id: string, dto: StatusChangeDto): Promise<StudentView> {
    const actor = this.context.requireActor();
    const student = await this.students.findForUpdate(id);
    if (!student) throw new AppException(StudentErrors.NOT_FOUND);
    if (student.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: student.version });
    const from = student.status;
    const allowed = dto.to === 'graduated' ? from === 'enrolled' : from === 'admitted' || from === 'enrolled';
    if (!allowed) throw new AppException(StudentErrors.TRANSITION_NOT_ALLOWED, { from, to: dto.to });
    if (student.enrolledOn && dto.on < student.enrolledOn) throw new AppException(StudentErrors.DATE_BEFORE_ENROLMENT, { on: student.enrolledOn });
    assertNotFuture(dto.on, 'on', dto.to === 'graduated' ? '毕业日期' : '退学日期', dto.to === 'graduated' ? 'The graduation date' : 'The withdrawal date');
    student.status = dto.to;
    student.leftOn = dto.on;
    student.leftReason = dto.reason ?? null;
    await this.students.save(student);
    await this.students.recordChange(id, from, dto.to, dto.on, dto.reason ?? null, actor.userId);
    await this.audit.record({ entity: 'student', entityId: id, action: dto.to === 'graduated' ? 'graduate' : 'withdraw', before: { status: from }, after: { status: dto.to, on: dto.on } });
    return this.get(id);
  }

  async requireVisible(id: string): Promise<StudentRow> {
    const actor = this.context.requireActor();
    const row = await this.students.findRow(id);
    if (!row) throw new AppException(StudentErrors.NOT_FOUND);
    if (actor.scope === 'enterprise' && !(await this.students.enterpriseMayRead(id, actor.enterpriseId!))) throw new AppException(StudentErrors.NOT_FOUND);
    return row;
  }
}
