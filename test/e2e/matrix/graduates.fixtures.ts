import { randomBytes } from 'node:crypto';
import { addMonths } from '../../../modules/cohorts/domain/track-dates';
import { chinaToday } from '../../../src/time/china-date';
import type { IdentityFactory } from '../../factories/identity.factory';
import { cohortRow, programmeWithPlan } from './cohorts.fixtures';
import { asCollege, partnershipIn } from './enterprises.fixtures';
import type { Actor, MatrixWorld, RouteFixture } from './types';

const tag = () => randomBytes(3).toString('hex');

// ---- helpers shared by the graduates / KPI suites (issue 11 part B)

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A started bachelor-plus (1 year) cohort that began 13 months before the China today: its students are due to graduate. */
export async function graduatingCohort(f: IdentityFactory, tenantId: string, programme?: { programmeId: string; planId: string }) {
  const p = programme ?? (await programmeWithPlan(f, tenantId));
  const startDate = addMonths(chinaToday(), -13);
  const { cohortId } = await cohortRow(f, tenantId, { ...p, track: 'bachelor-plus', startDate, status: 'started' });
  return { cohortId, programmeId: p.programmeId, planId: p.planId, startDate };
}

/** `n` students of a cohort written in one statement; graduated (or left) a month ago unless told. */
export async function studentsIn(
  f: IdentityFactory,
  tenantId: string,
  cohortId: string,
  n: number,
  status: 'graduated' | 'enrolled' | 'streamed-out' | 'withdrawn' = 'graduated',
  leftOn = addMonths(chinaToday(), -1),
): Promise<string[]> {
  if (n === 0) return [];
  const rows = await asCollege<{ id: string }>(
    f,
    tenantId,
    `INSERT INTO students (tenant_id, cohort_id, programme_id, name, gender, date_of_birth, id_number_enc, id_number_hash, id_number_masked,
                           entry_level, status, admitted_on, enrolled_on, left_on, left_reason)
     SELECT c.tenant_id, c.id, c.programme_id, $3 || lpad(g::text, 3, '0'), 'male', DATE '2000-01-01',
            decode(md5(random()::text), 'hex'), decode(md5(random()::text) || md5(random()::text), 'hex'), '440106********0011',
            'bachelor-plus', $4::varchar, c.start_date, c.start_date,
            CASE WHEN $4::varchar = 'enrolled' THEN NULL ELSE $5::date END,
            CASE WHEN $4::varchar IN ('streamed-out','withdrawn') THEN '测试' END
     FROM cohorts c, generate_series(1, $6::int) g WHERE c.tenant_id = $1 AND c.id = $2
     RETURNING id`,
    [tenantId, cohortId, `毕业生${tag()}-`, status, leftOn, n],
  );
  return rows.map((r) => r.id);
}

export type CertificateKind = 'national-technician' | 'vocational-level-2' | 'industry-technician' | 'enterprise-technician';

/** Certificates (part A's table) for each student, written directly. */
export async function certificatesFor(f: IdentityFactory, tenantId: string, studentIds: string[], kind: CertificateKind, status: 'verified' | 'unverified' | 'rejected' = 'verified') {
  if (!studentIds.length) return;
  await asCollege(
    f,
    tenantId,
    `INSERT INTO certificates (tenant_id, student_id, kind, occupation, level, number, issuer, issued_on, status, reject_reason, verified_at)
     SELECT $1, s, $3::varchar, '车工', '二级/技师', 'NO-' || md5(random()::text), '广东省职业技能鉴定中心', CURRENT_DATE - 30, $4::varchar,
            CASE WHEN $4::varchar = 'rejected' THEN '编号查无此证' END, CASE WHEN $4::varchar <> 'unverified' THEN now() END
     FROM unnest($2::uuid[]) s`,
    [tenantId, studentIds, kind, status],
  );
}

/** A submitted terminal result judged technician level (R-EVA-3 ③), written directly. */
export async function terminalJudged(f: IdentityFactory, tenantId: string, cohortId: string, planId: string, studentIds: string[], judged = true) {
  const [sheet] = await asCollege<{ id: string }>(
    f,
    tenantId,
    `INSERT INTO assessment_sheets (tenant_id, cohort_id, plan_version_id, item_key, kind, name, scoring, pass_mark, status, submitted_at)
     VALUES ($1, $2, $3, 'terminal:0', 'terminal', '技师阶段终结性考评', 'score', 70, 'submitted', now())
     ON CONFLICT (tenant_id, cohort_id, item_key) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [tenantId, cohortId, planId],
  );
  await asCollege(
    f,
    tenantId,
    `INSERT INTO assessment_results (tenant_id, sheet_id, cohort_id, kind, student_id, status, score, passed, judged_technician, assessed_on, assessor, entered_side, submitted_at)
     SELECT $1, $2, $3, 'terminal', s, 'submitted', 85, true, $5, CURRENT_DATE - 40, '企业考评员', 'college', now() FROM unnest($4::uuid[]) s`,
    [tenantId, sheet.id, cohortId, studentIds, judged],
  );
}

/** Every course and practice item of the plan (planContent: 4 courses, 2 practice stages) submitted for a student. */
export async function assessedFor(f: IdentityFactory, tenantId: string, cohortId: string, planId: string, studentId: string, v: { failCourse?: boolean; practiceMet?: boolean } = {}) {
  const items: [string, string, string, number | null][] = [
    ['course:0:0', 'course', '普通车床零件加工', null],
    ['course:0:1', 'course', '数控车床编程与加工', null],
    ['course:1:0', 'course', '复杂轴类零件数控车削加工', null],
    ['course:1:1', 'course', '车削工艺改进与技术革新', null],
    ['practice:0', 'practice', '企业岗位实践（一）', 0],
    ['practice:1', 'practice', '企业岗位实践（二）：数控车间顶岗', 1],
  ];
  for (const [key, kind, name, stage] of items) {
    const [sheet] = await asCollege<{ id: string }>(
      f,
      tenantId,
      `INSERT INTO assessment_sheets (tenant_id, cohort_id, plan_version_id, item_key, kind, name, scoring, pass_mark, stage_index, status, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $5::varchar = 'course' THEN 'score' ELSE 'pass-fail' END, CASE WHEN $5::varchar = 'course' THEN 60 END, $7, 'submitted', now())
       ON CONFLICT (tenant_id, cohort_id, item_key) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [tenantId, cohortId, planId, key, kind, name, stage],
    );
    const passed = kind === 'course' ? !(v.failCourse && key === 'course:1:1') : v.practiceMet !== false || key !== 'practice:1';
    await asCollege(
      f,
      tenantId,
      `INSERT INTO assessment_results (tenant_id, sheet_id, cohort_id, kind, student_id, status, score, passed, assessed_on, assessor, entered_side, submitted_at)
       VALUES ($1, $2, $3, $4, $5, 'submitted', CASE WHEN $4::varchar = 'course' THEN (CASE WHEN $6 THEN 82 ELSE 45 END) END, $6, CURRENT_DATE - 20, '考评员', 'college', now())`,
      [tenantId, sheet.id, cohortId, kind, studentId, passed],
    );
  }
}

/** A pay benchmark for a city of its own (benchmarks are province-wide; a fresh city keeps suites apart). */
export async function benchmarkFor(f: IdentityFactory, monthlyPay: number, city = `测试市${tag()}`, from = addMonths(chinaToday(), -24)): Promise<string> {
  await f.query(`INSERT INTO pay_benchmarks (city, year, monthly_pay, effective_from) VALUES ($1, $2, $3, $4)`, [city, Number(from.slice(0, 4)), monthlyPay, from]);
  return city;
}

export interface EmploymentValues {
  city: string;
  monthlyPay: number;
  matched?: boolean;
  technicianEquivalent?: boolean;
  startedOn?: string;
  endedOn?: string | null;
  enterpriseId?: string | null;
}

/** One employment record per student, written directly; returns the record ids in order. */
export async function employmentFor(f: IdentityFactory, tenantId: string, studentIds: string[], v: EmploymentValues): Promise<string[]> {
  if (!studentIds.length) return [];
  const rows = await asCollege<{ id: string }>(
    f,
    tenantId,
    `INSERT INTO employment_records (tenant_id, student_id, enterprise_id, employer_name, post, city, started_on, ended_on, monthly_pay, technician_equivalent, matched, match_reason)
     SELECT $1, s, $3, '测试用人单位', '数控车工', $4, $5, $6, $7, $8, $9, '测试' FROM unnest($2::uuid[]) WITH ORDINALITY AS u(s, i) ORDER BY i RETURNING id`,
    [
      tenantId,
      studentIds,
      v.enterpriseId ?? null,
      v.city,
      v.startedOn ?? addDays(addMonths(chinaToday(), -1), 5),
      v.endedOn ?? null,
      v.monthlyPay,
      v.technicianEquivalent ?? false,
      v.matched ?? true,
    ],
  );
  return rows.map((r) => r.id);
}

export async function followUpFor(f: IdentityFactory, tenantId: string, studentIds: string[], months: number, outcome: string, on = chinaToday()) {
  if (!studentIds.length) return;
  await asCollege(
    f,
    tenantId,
    `INSERT INTO graduate_follow_ups (tenant_id, student_id, checkpoint_months, outcome, followed_up_on,
                                      employment_record_id)
     SELECT $1, s, $3, $4, $5, (SELECT r.id FROM employment_records r WHERE r.tenant_id = $1 AND r.student_id = s ORDER BY r.started_on DESC LIMIT 1)
     FROM unnest($2::uuid[]) s`,
    [tenantId, studentIds, months, outcome, on],
  );
}

// ---- matrix fixtures

/** A graduate of tenant A whose programme partners with the world's enterprise (so enterprise-admin may report the hire). */
async function partnerGraduate(w: MatrixWorld, tenantId = w.tenantA): Promise<{ studentId: string; cohortId: string; programmeId: string }> {
  const c = await graduatingCohort(w.f, tenantId);
  await partnershipIn(w.f, tenantId, w.enterpriseE, 'active', c.programmeId);
  const [studentId] = await studentsIn(w.f, tenantId, c.cohortId, 1);
  return { studentId, cohortId: c.cohortId, programmeId: c.programmeId };
}

/** Read-only routes share one graduate per college and world (fixtures stay cheap across 8 roles). */
const shared = new WeakMap<MatrixWorld, Map<string, Promise<{ studentId: string; cohortId: string; programmeId: string; recordId: string }>>>();
function sharedGraduate(w: MatrixWorld, tenantId = w.tenantA) {
  const byTenant = shared.get(w) ?? new Map();
  shared.set(w, byTenant);
  if (!byTenant.has(tenantId)) {
    byTenant.set(
      tenantId,
      (async () => {
        const g = await partnerGraduate(w, tenantId);
        const [recordId] = await employmentFor(w.f, tenantId, [g.studentId], { city: '广州市', monthlyPay: 7000, enterpriseId: w.enterpriseE });
        return { ...g, recordId };
      })(),
    );
  }
  return byTenant.get(tenantId)!;
}

async function eligibleStudent(w: MatrixWorld, tenantId = w.tenantA): Promise<string> {
  const c = await graduatingCohort(w.f, tenantId);
  const [studentId] = await studentsIn(w.f, tenantId, c.cohortId, 1, 'enrolled');
  await assessedFor(w.f, tenantId, c.cohortId, c.planId, studentId);
  return studentId;
}

const employmentBody = (city = '广州市') => ({ post: '数控车床技师', city, startedOn: addMonths(chinaToday(), -1), monthlyPay: 7600, technicianEquivalent: true });

async function recordOfWorld(w: MatrixWorld, tenantId = w.tenantA): Promise<{ id: string }> {
  const g = await partnerGraduate(w, tenantId);
  const [id] = await employmentFor(w.f, tenantId, [g.studentId], { city: '广州市', monthlyPay: 7000, enterpriseId: w.enterpriseE });
  return { id };
}

export const GRADUATES_FIXTURES: Record<string, RouteFixture> = {
  'GET /api/v1/graduation/students/:studentId': {
    build: async (w) => ({ path: `/api/v1/graduation/students/${(await sharedGraduate(w)).studentId}` }),
    foreign: async (w) => ({ path: `/api/v1/graduation/students/${(await sharedGraduate(w, w.tenantB)).studentId}` }),
  },
  'POST /api/v1/graduation/students/:studentId': {
    build: async (w) => ({ path: `/api/v1/graduation/students/${await eligibleStudent(w)}`, body: {} }),
    foreign: async (w) => ({ path: `/api/v1/graduation/students/${await eligibleStudent(w, w.tenantB)}`, body: {} }),
  },
  'GET /api/v1/graduation/cohorts/:cohortId': {
    build: async (w) => ({ path: `/api/v1/graduation/cohorts/${(await sharedGraduate(w)).cohortId}` }),
    foreign: async (w) => ({ path: `/api/v1/graduation/cohorts/${(await sharedGraduate(w, w.tenantB)).cohortId}` }),
  },
  'POST /api/v1/graduation/cohorts/:cohortId/complete': {
    build: async (w) => ({ path: `/api/v1/graduation/cohorts/${(await partnerGraduate(w)).cohortId}/complete` }),
    foreign: async (w) => ({ path: `/api/v1/graduation/cohorts/${(await partnerGraduate(w, w.tenantB)).cohortId}/complete` }),
  },
  'GET /api/v1/graduates/:studentId': {
    build: async (w) => ({ path: `/api/v1/graduates/${(await sharedGraduate(w)).studentId}` }),
    foreign: async (w) => ({ path: `/api/v1/graduates/${(await sharedGraduate(w, w.tenantB)).studentId}` }),
  },
  'POST /api/v1/graduates/:studentId/employment-records': {
    build: async (w, a: Actor) => ({
      path: `/api/v1/graduates/${(await partnerGraduate(w)).studentId}/employment-records`,
      body: a.role.startsWith('enterprise-') ? employmentBody() : { ...employmentBody(), employerName: '广州数控设备有限公司' },
    }),
    foreign: async (w) => ({ path: `/api/v1/graduates/${(await partnerGraduate(w, w.tenantB)).studentId}/employment-records`, body: { ...employmentBody(), employerName: '某公司' } }),
  },
  'POST /api/v1/graduates/:studentId/follow-ups': {
    build: async (w) => ({ path: `/api/v1/graduates/${(await partnerGraduate(w)).studentId}/follow-ups`, body: { checkpointMonths: 0, outcome: 'further-study', followedUpOn: chinaToday() } }),
    foreign: async (w) => ({
      path: `/api/v1/graduates/${(await partnerGraduate(w, w.tenantB)).studentId}/follow-ups`,
      body: { checkpointMonths: 0, outcome: 'further-study', followedUpOn: chinaToday() },
    }),
  },
  'GET /api/v1/employment-records': { build: async () => ({ path: '/api/v1/employment-records' }) },
  'GET /api/v1/employment-records/:id': {
    build: async (w) => ({ path: `/api/v1/employment-records/${(await sharedGraduate(w)).recordId}` }),
    foreign: async (w) => ({ path: `/api/v1/employment-records/${(await sharedGraduate(w, w.tenantB)).recordId}` }),
  },
  'PATCH /api/v1/employment-records/:id': {
    build: async (w) => ({ path: `/api/v1/employment-records/${(await recordOfWorld(w)).id}`, body: { endedOn: chinaToday(), version: 1 } }),
    foreign: async (w) => ({ path: `/api/v1/employment-records/${(await recordOfWorld(w, w.tenantB)).id}`, body: { endedOn: chinaToday(), version: 1 } }),
  },
  'GET /api/v1/pay-benchmarks': { build: async () => ({ path: '/api/v1/pay-benchmarks' }) },
  'POST /api/v1/pay-benchmarks': {
    build: async () => ({ path: '/api/v1/pay-benchmarks', body: { city: `矩阵市${tag()}`, year: 2026, monthlyPay: 7000, effectiveFrom: addMonths(chinaToday(), -6) } }),
  },
};

export const KPIS_FIXTURES: Record<string, RouteFixture> = {
  'GET /api/v1/kpis/cohorts/:id': {
    build: async (w) => ({ path: `/api/v1/kpis/cohorts/${(await sharedGraduate(w)).cohortId}` }),
    foreign: async (w) => ({ path: `/api/v1/kpis/cohorts/${(await sharedGraduate(w, w.tenantB)).cohortId}` }),
  },
  'GET /api/v1/kpis/programmes/:id': {
    build: async (w) => ({ path: `/api/v1/kpis/programmes/${(await sharedGraduate(w)).programmeId}` }),
    foreign: async (w) => ({ path: `/api/v1/kpis/programmes/${(await sharedGraduate(w, w.tenantB)).programmeId}` }),
  },
  'GET /api/v1/kpis/college': { build: async (w) => ({ path: '/api/v1/kpis/college', query: { tenantId: w.tenantA } }) },
  'GET /api/v1/kpis/province': { build: async () => ({ path: '/api/v1/kpis/province' }) },
  'GET /api/v1/dashboards/college': { build: async (w) => ({ path: '/api/v1/dashboards/college', query: { tenantId: w.tenantA } }) },
  'GET /api/v1/dashboards/college.xlsx': { build: async (w) => ({ path: '/api/v1/dashboards/college.xlsx', query: { tenantId: w.tenantA } }) },
  'GET /api/v1/dashboards/province': { build: async () => ({ path: '/api/v1/dashboards/province', query: { sort: 'technicianAttainment', order: 'desc' } }) },
  'GET /api/v1/dashboards/province.xlsx': { build: async () => ({ path: '/api/v1/dashboards/province.xlsx' }) },
};
