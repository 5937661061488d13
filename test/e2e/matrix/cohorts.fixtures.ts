import { randomBytes, randomInt } from 'node:crypto';
import type { AppConfig } from '../../../config/app-config';
import { makeResidentId } from '../../../modules/students/domain/resident-id';
import { PiiCipher } from '../../../modules/students/pii-cipher';
import { maskIdNumber, maskPhone } from '../../../src/privacy/mask';
import type { IdentityFactory } from '../../factories/identity.factory';
import { agreementIn, partnershipIn } from './enterprises.fixtures';
import { attachmentRow, inTenant, planRow, programmeRow } from './programmes.fixtures';
import { staffRow } from './staff.fixtures';
import type { Actor, MatrixWorld, RouteFixture } from './types';
import { monthsFromToday } from '../../setup/dates';

const tag = () => randomBytes(3).toString('hex');

// ---- helpers shared by the cohorts, students and import e2e suites

/** The cipher with the run's keys (test-env.ts), to write students the way the app does. */
export function testCipher(): PiiCipher {
  return new PiiCipher({ PII_ENCRYPTION_KEY: process.env.PII_ENCRYPTION_KEY, PII_HASH_KEY: process.env.PII_HASH_KEY } as AppConfig);
}

let sequence = randomInt(1, 250);
/**
 * A fresh valid resident ID number (correct check character), born in 2007–2009. Each call takes
 * its own sequence number (odd for men, even for women), so two numbers can only repeat 499 calls
 * apart and on the same random birth date: the old rounding gave two calls in a row the same
 * sequence, and a 31-student cohort then collided on the birth date now and then.
 */
export function freshIdNumber(gender: 'male' | 'female' = 'male', region = '440106'): string {
  sequence = (sequence % 499) + 1;
  const seq = sequence * 2 - (gender === 'male' ? 1 : 0);
  const dob = `${2007 + randomInt(0, 3)}-${String(randomInt(1, 13)).padStart(2, '0')}-${String(randomInt(1, 29)).padStart(2, '0')}`;
  return makeResidentId(region, dob, seq);
}

/** A programme with a current plan; optionally a partner with a signed in-force agreement (R-TRN-1) and a compliant team (R-EVA-2). */
export async function programmeWithPlan(
  f: IdentityFactory,
  tenantId: string,
  ready: { enterpriseId?: string; uploadedBy?: string; agreement?: boolean; team?: boolean } = {},
): Promise<{ programmeId: string; planId: string }> {
  const programmeId = await programmeRow(f, tenantId);
  const planId = await planRow(f, tenantId, programmeId, 1, 'current');
  if (ready.enterpriseId && ready.agreement) {
    const partnershipId = await partnershipIn(f, tenantId, ready.enterpriseId, 'active', programmeId);
    const attachmentId = await attachmentRow(f, tenantId, ready.uploadedBy!);
    await agreementIn(f, tenantId, partnershipId, { status: 'signed', termStart: monthsFromToday(-60), termEnd: monthsFromToday(60), attachmentId });
  }
  if (ready.enterpriseId && ready.team) await compliantTeam(f, tenantId, programmeId, ready.enterpriseId);
  return { programmeId, planId };
}

/** A programme team of 10 with 3 enterprise mentors and 5 experts (R-EVA-2 compliant). */
export async function compliantTeam(f: IdentityFactory, tenantId: string, programmeId: string, enterpriseId: string): Promise<string> {
  const teamId = await inTenant(f, tenantId, async () =>
    (await f.query(`INSERT INTO teams (tenant_id, programme_id, name) VALUES ($1, $2, '班级测试团队') RETURNING id`, [tenantId, programmeId])).rows[0].id as string,
  );
  for (let i = 0; i < 10; i++) {
    const staffId = await staffRow(f, tenantId, { enterpriseId: i < 3 ? enterpriseId : null, skillLevelCode: i >= 5 ? 'level-2' : 'level-3' });
    await inTenant(f, tenantId, () =>
      f.query(`INSERT INTO team_members (tenant_id, team_id, staff_member_id, role) VALUES ($1, $2, $3, 'teacher')`, [tenantId, teamId, staffId]),
    );
  }
  return teamId;
}

export interface CohortRowValues {
  programmeId?: string;
  planId?: string;
  track?: string;
  startDate?: string;
  durationMonths?: number;
  stageMonths?: number;
  status?: 'planned' | 'started';
}

const TRACK_MONTHS: Record<string, [number, number]> = {
  'junior-high': [72, 48],
  'senior-high': [48, 24],
  'secondary-vocational': [36, 24],
  'higher-vocational': [24, 0],
  'bachelor-plus': [12, 0],
};

/** The start of a fixture cohort unless told: 15 months ago, so a senior-high cohort is in its senior-worker stage (24 months). */
export const defaultCohortStart = (): string => monthsFromToday(-15);

/** A cohort written directly (senior-high from defaultCohortStart() unless told). */
export async function cohortRow(f: IdentityFactory, tenantId: string, v: CohortRowValues = {}): Promise<{ cohortId: string; programmeId: string }> {
  const { programmeId, planId } = v.programmeId && v.planId ? { programmeId: v.programmeId, planId: v.planId } : await programmeWithPlan(f, tenantId);
  const track = v.track ?? 'senior-high';
  const [duration, stage] = TRACK_MONTHS[track] ?? [v.durationMonths ?? 48, v.stageMonths ?? 24];
  const status = v.status ?? 'planned';
  const cohortId = await inTenant(f, tenantId, async () =>
    (
      await f.query(
        `INSERT INTO cohorts (tenant_id, programme_id, plan_version_id, name, intake_year, track_code, start_date, duration_months, senior_worker_stage_months,
                              flexible_justification, status, started_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [
          tenantId,
          programmeId,
          planId,
          `测试班${tag()}`,
          Number((v.startDate ?? defaultCohortStart()).slice(0, 4)),
          track,
          v.startDate ?? defaultCohortStart(),
          duration,
          stage,
          track === 'flexible' ? '测试用弹性学制' : null,
          status,
          status === 'started' ? new Date() : null,
        ],
      )
    ).rows[0].id as string,
  );
  return { cohortId, programmeId };
}

/** A student written directly, encrypted with the run's keys. */
export async function studentRow(
  f: IdentityFactory,
  tenantId: string,
  cohortId: string,
  v: { name?: string; idNumber?: string; mobile?: string | null; entryLevel?: string; status?: 'admitted' | 'enrolled' } = {},
): Promise<{ studentId: string; idNumber: string }> {
  const cipher = testCipher();
  const idNumber = v.idNumber ?? freshIdNumber();
  const mobile = v.mobile === undefined ? `139${String(randomInt(0, 1e8)).padStart(8, '0')}` : v.mobile;
  const status = v.status ?? 'admitted';
  const studentId = await inTenant(f, tenantId, async () =>
    (
      await f.query(
        `INSERT INTO students (tenant_id, cohort_id, programme_id, name, gender, date_of_birth, id_number_enc, id_number_hash, id_number_masked,
                               mobile_enc, mobile_masked, entry_level, status, admitted_on, enrolled_on)
         SELECT $1, c.id, c.programme_id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::varchar, c.start_date, CASE WHEN $12::varchar = 'enrolled' THEN c.start_date END
         FROM cohorts c WHERE c.tenant_id = $1 AND c.id = $2 RETURNING id`,
        [
          tenantId,
          cohortId,
          v.name ?? `学生${tag()}`,
          Number(idNumber[16]) % 2 ? 'male' : 'female',
          `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
          cipher.encrypt(idNumber),
          cipher.idNumberHash(idNumber),
          maskIdNumber(idNumber),
          mobile ? cipher.encrypt(mobile) : null,
          mobile ? maskPhone(mobile) : null,
          v.entryLevel ?? 'senior-high',
          status,
        ],
      )
    ).rows[0].id as string,
  );
  return { studentId, idNumber };
}

/** A cohort an enterprise user may read: its programme partners with the world's enterprise. */
async function visibleCohort(w: MatrixWorld, a: Actor, tenantId = w.tenantA, status: 'planned' | 'started' = 'planned') {
  const { programmeId, planId } = await programmeWithPlan(w.f, tenantId);
  if (a.role.startsWith('enterprise-')) await partnershipIn(w.f, tenantId, w.enterpriseE, 'active', programmeId);
  return (await cohortRow(w.f, tenantId, { programmeId, planId, status })).cohortId;
}

/** Routes of the cohorts module (issue 5). */
export const COHORTS_FIXTURES: Record<string, RouteFixture> = {
  'POST /api/v1/cohorts': {
    build: async (w) => {
      const { programmeId, planId } = await programmeWithPlan(w.f, w.tenantA);
      return {
        path: '/api/v1/cohorts',
        body: { programmeId, planVersionId: planId, name: `2025级矩阵班${tag()}`, intakeYear: 2025, trackCode: 'senior-high', startDate: '2025-09-01' },
      };
    },
  },
  'GET /api/v1/cohorts': { build: async () => ({ path: '/api/v1/cohorts', query: { limit: '5' } }) },
  'GET /api/v1/cohorts/:id': {
    build: async (w, a) => ({ path: `/api/v1/cohorts/${await visibleCohort(w, a)}` }),
    foreign: async (w) => ({ path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantB)).cohortId}` }),
  },
  'POST /api/v1/cohorts/:id/start': {
    build: async (w, a) => {
      const ready = await programmeWithPlan(w.f, w.tenantA, { enterpriseId: w.enterpriseE, uploadedBy: a.userId, agreement: true, team: true });
      // R-GOV-3 (issue 12): only an active pilot opens cohorts
      await inTenant(w.f, w.tenantA, () => w.f.query(`UPDATE programmes SET pilot_status = 'active' WHERE id = $1`, [ready.programmeId]));
      return { path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantA, ready)).cohortId}/start` };
    },
    foreign: async (w) => ({ path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantB)).cohortId}/start` }),
  },
};

/** A small valid roster CSV for the cohort track senior-high. */
export function rosterCsv(rows: { name: string; idNumber: string; entryLevel?: string; mobile?: string }[]): Buffer {
  const lines = ['姓名,性别,出生日期,身份证号,手机号,入学起点', ...rows.map((r) => `${r.name},,,${r.idNumber},${r.mobile ?? ''},${r.entryLevel ?? '高中'}`)];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** A student every reader may see: enterprise users only see students of their partner programmes. */
async function visibleStudent(w: MatrixWorld, a: Actor, tenantId = w.tenantA) {
  const studentId = (await studentRow(w.f, tenantId, await visibleCohort(w, a, tenantId))).studentId;
  if (a.role.startsWith('enterprise-')) await inScopeOfEnterprise(w, a, tenantId, studentId);
  return studentId;
}

/**
 * Issue 9 item 3: an enterprise admin reads students placed with (or mentored by) its
 * enterprise, an enterprise mentor its own mentees: make the student one of those.
 */
export async function inScopeOfEnterprise(w: MatrixWorld, a: Actor, tenantId: string, studentId: string): Promise<void> {
  const linked = await inTenant(w.f, tenantId, () => w.f.query('SELECT id FROM staff_members WHERE tenant_id = $1 AND user_id = $2', [tenantId, a.userId]));
  const staffId: string =
    linked.rows[0]?.id ?? (await staffRow(w.f, tenantId, { enterpriseId: a.enterpriseId ?? w.enterpriseE, userId: a.role === 'enterprise-mentor' ? a.userId : null }));
  await inTenant(w.f, tenantId, () =>
    w.f.query(`INSERT INTO mentorships (tenant_id, student_id, side, staff_member_id, started_on) VALUES ($1, $2, 'enterprise', $3, CURRENT_DATE - 1)`, [tenantId, studentId, staffId]),
  );
}

async function applicantIn(w: MatrixWorld, tenantId: string, cohortId: string): Promise<string> {
  const cipher = testCipher();
  const id = freshIdNumber();
  return inTenant(w.f, tenantId, async () =>
    (
      await w.f.query(
        `INSERT INTO applicants (tenant_id, cohort_id, name, gender, date_of_birth, id_number_enc, id_number_hash, id_number_masked, entry_level, scores, total_score)
         VALUES ($1, $2, '报名考生', 'male', '2008-01-01', $3, $4, $5, 'senior-high', '{"笔试": 80}', 80) RETURNING id`,
        [tenantId, cohortId, cipher.encrypt(id), cipher.idNumberHash(id), maskIdNumber(id)],
      )
    ).rows[0].id as string,
  );
}

/** Routes of the students module (issue 5). */
export const STUDENTS_FIXTURES: Record<string, RouteFixture> = {
  'POST /api/v1/cohorts/:id/students': {
    build: async (w) => ({ path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantA)).cohortId}/students`, body: { name: '陈嘉豪', idNumber: freshIdNumber(), entryLevel: 'senior-high' } }),
    foreign: async (w) => ({ path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantB)).cohortId}/students`, body: { name: '陈嘉豪', idNumber: freshIdNumber(), entryLevel: 'senior-high' } }),
  },
  'GET /api/v1/students': { build: async () => ({ path: '/api/v1/students', query: { limit: '5' } }) },
  'GET /api/v1/students/import-template.xlsx': { build: async () => ({ path: '/api/v1/students/import-template.xlsx' }) },
  'GET /api/v1/students/:id': {
    build: async (w, a) => ({ path: `/api/v1/students/${await visibleStudent(w, a)}` }),
    foreign: async (w, a) => ({ path: `/api/v1/students/${await visibleStudent(w, a, w.tenantB)}` }),
  },
  'POST /api/v1/students/:id/reveal': {
    build: async (w, a) => ({ path: `/api/v1/students/${await visibleStudent(w, a)}/reveal`, body: { reason: '核对学籍信息' } }),
    foreign: async (w, a) => ({ path: `/api/v1/students/${await visibleStudent(w, a, w.tenantB)}/reveal`, body: { reason: '核对学籍信息' } }),
  },
  'POST /api/v1/students/:id/status': {
    build: async (w) => ({ path: `/api/v1/students/${(await studentRow(w.f, w.tenantA, (await cohortRow(w.f, w.tenantA)).cohortId)).studentId}/status`, body: { to: 'withdrawn', on: '2026-10-08', version: 1 } }),
    foreign: async (w) => ({ path: `/api/v1/students/${(await studentRow(w.f, w.tenantB, (await cohortRow(w.f, w.tenantB)).cohortId)).studentId}/status`, body: { to: 'withdrawn', on: '2026-10-08', version: 1 } }),
  },
  'POST /api/v1/cohorts/:id/applicants': {
    build: async (w) => ({ path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantA)).cohortId}/applicants`, body: { name: '林晓', idNumber: freshIdNumber(), entryLevel: 'senior-high', scores: { 笔试: 88 } } }),
    foreign: async (w) => ({ path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantB)).cohortId}/applicants`, body: { name: '林晓', idNumber: freshIdNumber(), entryLevel: 'senior-high', scores: { 笔试: 88 } } }),
  },
  'GET /api/v1/cohorts/:id/applicants': {
    build: async (w) => ({ path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantA)).cohortId}/applicants` }),
    foreign: async (w) => ({ path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantB)).cohortId}/applicants` }),
  },
  'POST /api/v1/applicants/:id/reject': {
    build: async (w) => ({ path: `/api/v1/applicants/${await applicantIn(w, w.tenantA, (await cohortRow(w.f, w.tenantA)).cohortId)}/reject`, body: { reason: '体检不合格' } }),
    foreign: async (w) => ({ path: `/api/v1/applicants/${await applicantIn(w, w.tenantB, (await cohortRow(w.f, w.tenantB)).cohortId)}/reject`, body: { reason: '体检不合格' } }),
  },
  'POST /api/v1/cohorts/:id/admissions': {
    build: async (w) => {
      const { cohortId } = await cohortRow(w.f, w.tenantA);
      await applicantIn(w, w.tenantA, cohortId);
      return { path: `/api/v1/cohorts/${cohortId}/admissions`, body: { count: 1 } };
    },
    foreign: async (w) => {
      const { cohortId } = await cohortRow(w.f, w.tenantB);
      await applicantIn(w, w.tenantB, cohortId);
      return { path: `/api/v1/cohorts/${cohortId}/admissions`, body: { count: 1 } };
    },
  },
  'POST /api/v1/cohorts/:id/streaming': {
    build: async (w) => {
      const { cohortId } = await cohortRow(w.f, w.tenantA, { startDate: '2023-09-01', status: 'started' });
      const { studentId } = await studentRow(w.f, w.tenantA, cohortId, { status: 'enrolled' });
      return { path: `/api/v1/cohorts/${cohortId}/streaming`, body: { decisions: [{ studentId, decision: 'continue', reason: '考核合格' }] } };
    },
    foreign: async (w) => {
      const { cohortId } = await cohortRow(w.f, w.tenantB, { startDate: '2023-09-01', status: 'started' });
      const { studentId } = await studentRow(w.f, w.tenantB, cohortId, { status: 'enrolled' });
      return { path: `/api/v1/cohorts/${cohortId}/streaming`, body: { decisions: [{ studentId, decision: 'continue', reason: '考核合格' }] } };
    },
  },
  'GET /api/v1/cohorts/:id/streaming': {
    build: async (w, a) => ({ path: `/api/v1/cohorts/${await visibleCohort(w, a)}/streaming` }),
    foreign: async (w) => ({ path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantB)).cohortId}/streaming` }),
  },
  'POST /api/v1/cohorts/:id/students/import': {
    build: async (w) => ({
      path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantA)).cohortId}/students/import`,
      query: { dryRun: 'true' },
      files: { file: { content: rosterCsv([{ name: '陈嘉豪', idNumber: freshIdNumber() }]), filename: '名单.csv' } },
    }),
    foreign: async (w) => ({
      path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantB)).cohortId}/students/import`,
      files: { file: { content: rosterCsv([{ name: '陈嘉豪', idNumber: freshIdNumber() }]), filename: '名单.csv' } },
    }),
  },
  'GET /api/v1/imports/:id': {
    build: async (w) => ({ path: `/api/v1/imports/${await importIn(w, w.tenantA)}` }),
    foreign: async (w) => ({ path: `/api/v1/imports/${await importIn(w, w.tenantB)}` }),
  },
  'GET /api/v1/cohorts/:id/students/export.xlsx': {
    build: async (w, a) => ({ path: `/api/v1/cohorts/${await visibleCohort(w, a)}/students/export.xlsx` }),
    foreign: async (w) => ({ path: `/api/v1/cohorts/${(await cohortRow(w.f, w.tenantB)).cohortId}/students/export.xlsx` }),
  },
};

async function importIn(w: MatrixWorld, tenantId: string): Promise<string> {
  const { cohortId } = await cohortRow(w.f, tenantId);
  return inTenant(w.f, tenantId, async () =>
    (await w.f.query(`INSERT INTO student_imports (tenant_id, cohort_id, file_name, format, status, total_rows) VALUES ($1, $2, '名单.xlsx', 'xlsx', 'succeeded', 3) RETURNING id`, [tenantId, cohortId]))
      .rows[0].id as string,
  );
}
