import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { maskIdNumber, maskPhone } from '../../src/privacy/mask';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { CohortsService } from '../cohorts';

import { ApplicantRow, ApplicantsRepository } from './applicants.repository';
import { AdmissionDto, AdmissionResultView, ApplicantListView, ApplicantView, CreateApplicantDto } from './dto/student.dto';
import { PiiCipher } from './pii-cipher';
import { StudentErrors } from './students.errors';
import { NewStudentRow, StudentsRepository } from './students.repository';
import { invalid, StudentsService } from './students.service';
import { chinaToday } from '../../src/time/china-date';
import { assertNotFuture } from '../../src/time/not-future';

/** R-EVA-1 ranking: total score, high first; ties go to the earlier registration. */
export const TIE_RULE = '按总分从高到低录取；同分者以报名登记时间先者优先';

export function toApplicantView(a: ApplicantRow): ApplicantView {
  return {
    id: a.id,
    cohortId: a.cohortId,
    name: a.name,
    gender: a.gender,
    dateOfBirth: a.dateOfBirth,
    idNumber: a.idNumberMasked,
    mobile: a.mobileMasked,
    entryLevel: a.entryLevel,
    scores: a.scores,
    totalScore: Number(a.totalScore),
    result: a.result,
    resultReason: a.resultReason,
    admissionRank: a.admissionRank,
    studentId: a.studentId,
  };
}

/**
 * Applicants and admission by merit (R-EVA-1): screening scores, a ranking with a stated tie
 * rule, the top N admitted as students (R-TRK-3 checked at registration), the others rejected
 * with their rank as the reason.
 */
@Injectable()
export class ApplicantsService {
  constructor(
    private readonly applicants: ApplicantsRepository,
    private readonly students: StudentsRepository,
    private readonly studentsService: StudentsService,
    private readonly cohorts: CohortsService,
    private readonly cipher: PiiCipher,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
  ) {}

  @Transactional()
  async create(cohortId: string, dto: CreateApplicantDto): Promise<ApplicantView> {
    const actor = this.context.requireActor();
    const cohort = await this.cohorts.requireRow(cohortId);
    const valid = this.studentsService.validate(dto, cohort);
    if (Array.isArray(valid)) throw invalid(valid);
    const scores = Object.entries(dto.scores ?? {});
    const bad = scores.filter(([k, v]) => !k.trim() || typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1000);
    if (!scores.length || bad.length) {
      throw invalid([{ column: 'name', zh: '甄别成绩须为“科目: 分数”（0–1000 的数字），至少一项', en: 'Scores must be subject: number (0–1000), at least one' }]);
    }
    const hash = this.cipher.idNumberHash(valid.idNumber);
    if (await this.applicants.hashTaken(cohortId, hash)) throw new AppException(StudentErrors.DUPLICATE_APPLICANT);
    const id = await this.applicants.insert({
      cohortId,
      name: valid.name,
      gender: valid.gender,
      dateOfBirth: valid.dateOfBirth,
      idNumberEnc: this.cipher.encrypt(valid.idNumber),
      idNumberHash: hash,
      idNumberMasked: maskIdNumber(valid.idNumber)!,
      mobileEnc: valid.mobile ? this.cipher.encrypt(valid.mobile) : null,
      mobileMasked: valid.mobile ? maskPhone(valid.mobile) : null,
      entryLevel: valid.entryLevel,
      scores: Object.fromEntries(scores),
      totalScore: Math.round(scores.reduce((s, [, v]) => s + v, 0) * 100) / 100,
      createdBy: actor.userId,
    });
    await this.audit.record({ entity: 'applicant', entityId: id, action: 'create', after: { cohortId, name: valid.name } });
    return toApplicantView((await this.applicants.find(id))!);
  }

  @Transactional()
  async list(cohortId: string): Promise<ApplicantListView> {
    await this.cohorts.requireRow(cohortId);
    return { items: (await this.applicants.ofCohort(cohortId)).map(toApplicantView) };
  }

  @Transactional()
  async reject(id: string, reason: string): Promise<ApplicantView> {
    const actor = this.context.requireActor();
    const a = await this.applicants.lock(id);
    if (!a) throw new AppException(StudentErrors.APPLICANT_NOT_FOUND);
    if (a.result !== 'pending') throw new AppException(StudentErrors.APPLICANT_DECIDED, { result: a.result });
    await this.applicants.decide(id, 'rejected', reason, null, actor.userId);
    await this.audit.record({ entity: 'applicant', entityId: id, action: 'reject', after: { reason } });
    return toApplicantView((await this.applicants.find(id))!);
  }

  /** Admits the top `count` pending applicants by rank as students; the rest are rejected with their rank. */
  @Transactional()
  async admit(cohortId: string, dto: AdmissionDto): Promise<AdmissionResultView> {
    const actor = this.context.requireActor();
    const cohort = await this.cohorts.requireRow(cohortId);
    if (cohort.status === 'completed') throw new AppException(StudentErrors.COHORT_CLOSED);
    const ranked = await this.applicants.pendingRanked(cohortId);
    if (!ranked.length) throw new AppException(StudentErrors.NO_PENDING_APPLICANTS);
    const chosen = ranked.slice(0, dto.count);
    const existing = await this.students.byIdHashes(chosen.map((a) => a.idNumberHash));
    if (existing.size) {
      throw new AppException(StudentErrors.ADMISSION_CONFLICTS, { names: chosen.filter((a) => existing.has(a.idNumberHash.toString('hex'))).map((a) => a.name).join('、') });
    }
    assertNotFuture(dto.admittedOn, 'admittedOn', '录取日期', 'The admission date');
    const on = dto.admittedOn ?? chinaToday();
    const enrolled = cohort.status === 'started';
    const rows: NewStudentRow[] = chosen.map((a) => ({
      cohortId,
      programmeId: cohort.programmeId,
      applicantId: a.id,
      name: a.name,
      gender: a.gender,
      dateOfBirth: a.dateOfBirth,
      idNumberEnc: a.idNumberEnc,
      idNumberHash: a.idNumberHash,
      idNumberMasked: a.idNumberMasked,
      mobileEnc: a.mobileEnc,
      mobileMasked: a.mobileMasked,
      entryLevel: a.entryLevel,
      status: enrolled ? 'enrolled' : 'admitted',
      admittedOn: on,
      enrolledOn: enrolled ? (on > cohort.startDate ? on : cohort.startDate) : null,
    }));
    await this.students.insertMany(rows, actor.userId, '择优录取');
    for (const [i, a] of ranked.entries()) {
      if (i < dto.count) await this.applicants.decide(a.id, 'admitted', null, i + 1, actor.userId);
      else await this.applicants.decide(a.id, 'rejected', `未达录取名次（第 ${i + 1} 名，录取 ${dto.count} 名）`, i + 1, actor.userId);
    }
    await this.audit.record({ entity: 'cohort', entityId: cohortId, action: 'admit', after: { count: dto.count, admitted: chosen.length, rejected: ranked.length - chosen.length } });
    const after = await this.applicants.ofCohort(cohortId);
    const decided = new Set(ranked.map((a) => a.id));
    const settings = await this.cohorts.settings(cohort.tenantId);
    return {
      admitted: after.filter((a) => decided.has(a.id) && a.result === 'admitted').map(toApplicantView),
      rejected: after.filter((a) => decided.has(a.id) && a.result === 'rejected').map(toApplicantView),
      tieRule: TIE_RULE,
      warnings: this.cohorts.classSizeWarnings((await this.cohorts.requireRow(cohortId)).studentCount, settings),
    };
  }
}
