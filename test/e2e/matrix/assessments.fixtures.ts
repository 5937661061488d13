import { randomBytes } from 'node:crypto';

import type { IdentityFactory } from '../../factories/identity.factory';
import { practiceWorld, PracticeWorld, PracticeWorldOptions, today } from './practice.fixtures';
import { inTenant } from './programmes.fixtures';
import { staffRow } from './staff.fixtures';
import type { Actor, MatrixWorld, RouteFixture } from './types';

const tag = () => randomBytes(3).toString('hex');

export interface AssessmentWorld extends PracticeWorld {
  cohortId: string;
}

/** Issue 5's practice world (a cohort, one student placed at `enterpriseId` in practice stage 1, both mentors) plus the cohort id. */
export async function assessmentWorld(f: IdentityFactory, tenantId: string, enterpriseId: string, o: PracticeWorldOptions = {}): Promise<AssessmentWorld> {
  const w = await practiceWorld(f, tenantId, enterpriseId, o);
  const cohortId = await inTenant(f, tenantId, async () => (await f.query(`SELECT cohort_id FROM students WHERE tenant_id = $1 AND id = $2`, [tenantId, w.studentId])).rows[0].cohort_id as string);
  return { ...w, cohortId };
}

/** Another enrolled student in the same cohort; with `enterpriseId`, an active enterprise mentor of that enterprise (linked to `enterpriseUserId`) and no placement. */
export async function addStudent(
  f: IdentityFactory,
  w: AssessmentWorld,
  o: { enterpriseId?: string; enterpriseUserId?: string; status?: 'enrolled' | 'withdrawn'; collegeMentorId?: string } = {},
): Promise<string> {
  const status = o.status ?? 'enrolled';
  const studentId = await inTenant(f, w.tenantId, async () => {
    const r = await f.query(
      `INSERT INTO students (tenant_id, cohort_id, programme_id, name, gender, date_of_birth, id_number_enc, id_number_hash, id_number_masked,
                             entry_level, status, admitted_on, enrolled_on, left_on, left_reason)
       VALUES ($1, $2, $3, $4, 'female', DATE '2005-06-01', $5, $6, '4401**********2341', 'higher-vocational', $7, DATE '2025-08-20', DATE '2025-09-01', $8, $9)
       RETURNING id`,
      [w.tenantId, w.cohortId, w.programmeId, `考核学生${tag()}`, randomBytes(40), randomBytes(32), status, status === 'withdrawn' ? today() : null, status === 'withdrawn' ? '个人原因' : null],
    );
    return r.rows[0].id as string;
  });
  if (o.enterpriseId) {
    const mentor = await staffRow(f, w.tenantId, { enterpriseId: o.enterpriseId, name: `企业导师${tag()}`, userId: o.enterpriseUserId ?? null });
    await inTenant(f, w.tenantId, () =>
      f.query(`INSERT INTO mentorships (tenant_id, student_id, side, staff_member_id, started_on) VALUES ($1, $2, 'enterprise', $3, DATE '2025-09-01')`, [w.tenantId, studentId, mentor]),
    );
  }
  if (o.collegeMentorId) {
    await inTenant(f, w.tenantId, () =>
      f.query(`INSERT INTO mentorships (tenant_id, student_id, side, staff_member_id, started_on) VALUES ($1, $2, 'college', $3, DATE '2025-09-01')`, [w.tenantId, studentId, o.collegeMentorId]),
    );
  }
  return studentId;
}

/** Opens a sheet directly (as POST /assessment-sheets would); `itemKey` of planContent(): course:0:0…course:1:1, practice:0/1, terminal:1, mid-term, defence. */
export async function sheetRow(f: IdentityFactory, w: AssessmentWorld, itemKey: string): Promise<string> {
  const spec: Record<string, [string, string, string, number | null, number | null]> = {
    'course:0:0': ['course', '普通车床零件加工', 'score', 60, null],
    'course:0:1': ['course', '数控车床编程与加工', 'score', 60, null],
    'course:1:0': ['course', '复杂轴类零件数控车削加工', 'score', 60, null],
    'course:1:1': ['course', '车削工艺改进与技术革新', 'score', 60, null],
    'practice:0': ['practice', '企业岗位实践（一）', 'pass-fail', null, 0],
    'practice:1': ['practice', '企业岗位实践（二）：数控车间顶岗', 'pass-fail', null, 1],
    'terminal:1': ['terminal', '技师阶段终结性考评（企业参与）', 'score', 70, null],
    'mid-term': ['mid-term', '中期考核（分段分流）', 'score', 60, null],
    defence: ['defence', '项目答辩评审', 'score', 60, null],
  };
  const [kind, name, scoring, passMark, stageIndex] = spec[itemKey];
  return inTenant(f, w.tenantId, async () => {
    const r = await f.query(
      `INSERT INTO assessment_sheets (tenant_id, cohort_id, plan_version_id, item_key, kind, name, scoring, pass_mark, stage_index)
       SELECT $1, c.id, c.plan_version_id, $3, $4, $5, $6, $7, $8 FROM cohorts c WHERE c.tenant_id = $1 AND c.id = $2
       ON CONFLICT (tenant_id, cohort_id, item_key) DO UPDATE SET item_key = EXCLUDED.item_key RETURNING id`,
      [w.tenantId, w.cohortId, itemKey, kind, name, scoring, passMark, stageIndex],
    );
    return r.rows[0].id as string;
  });
}

/** A certificate written directly (unverified unless told). */
export async function certificateRow(f: IdentityFactory, tenantId: string, studentId: string, v: { kind?: string; status?: 'unverified' | 'verified' | 'rejected' } = {}): Promise<string> {
  const status = v.status ?? 'unverified';
  return inTenant(f, tenantId, async () => {
    const r = await f.query(
      `INSERT INTO certificates (tenant_id, student_id, kind, occupation, level, number, issuer, issued_on, status, reject_reason, verified_at)
       VALUES ($1, $2, $3, '车工', '二级/技师', $4, '广东省人力资源和社会保障厅', $5, $6, $7, $8) RETURNING id`,
      [tenantId, studentId, v.kind ?? 'national-technician', `S0000441${tag()}${tag()}`, today(), status, status === 'rejected' ? '查无此证' : null, status === 'unverified' ? null : new Date()],
    );
    return r.rows[0].id as string;
  });
}

// ---- matrix

const isEnterprise = (a: Actor) => a.role === 'enterprise-admin' || a.role === 'enterprise-mentor';
/**
 * A world the actor may see: a mentor's own mentee (college or enterprise), the enterprise
 * admin's enterprise. The matrix makes a new member per call, so one world per college and
 * role is kept and its mentor's staff record is re-linked to the caller (one UPDATE instead
 * of a whole new cohort per route).
 */
const worlds = new Map<string, Promise<AssessmentWorld>>();
async function mine(w: MatrixWorld, a: Actor): Promise<AssessmentWorld> {
  // per enterprise too: the enterprise-E and enterprise-F worlds of one college are different worlds
  const key = `${w.tenantA}:${w.enterpriseE}:${a.role}`;
  if (!worlds.has(key)) worlds.set(key, assessmentWorld(w.f, w.tenantA, w.enterpriseE));
  const x = await worlds.get(key)!;
  const mentor = a.role === 'college-mentor' ? x.collegeMentorId : a.role === 'enterprise-mentor' ? x.enterpriseMentorId : null;
  if (mentor) await inTenant(w.f, x.tenantId, () => w.f.query(`UPDATE staff_members SET user_id = $3 WHERE tenant_id = $1 AND id = $2`, [x.tenantId, mentor, a.userId]));
  return x;
}
const foreignWorlds = new Map<string, Promise<AssessmentWorld>>();
const foreignWorld = (w: MatrixWorld) => {
  if (!foreignWorlds.has(w.tenantB)) foreignWorlds.set(w.tenantB, assessmentWorld(w.f, w.tenantB, w.enterpriseE));
  return foreignWorlds.get(w.tenantB)!;
};

/** A sheet of the side the actor enters: terminal for the enterprise side, a course for the college side. */
async function ownSheet(w: MatrixWorld, a: Actor): Promise<{ x: AssessmentWorld; sheetId: string; row: object }> {
  const x = await mine(w, a);
  if (isEnterprise(a)) {
    return { x, sheetId: await sheetRow(w.f, x, 'terminal:1'), row: { studentId: x.studentId, score: 86, judgedTechnician: true, assessedOn: today(), assessor: '企业考评组' } };
  }
  return { x, sheetId: await sheetRow(w.f, x, 'course:1:0'), row: { studentId: x.studentId, score: 78.5, assessedOn: today(), assessor: '院校考评组' } };
}

/** A one-row filled template: built through the API would need a token, so the workbook is made here with the template's headers. */
async function templateFile(sheetId: string, row: { studentId: string; score: number; judgedTechnician?: boolean }): Promise<Buffer> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('成绩');
  ws.addRow(['学生编号', '姓名', '成绩', ...(row.judgedTechnician === undefined ? [] : ['是否达到技师水平']), '考核日期', '考核人', '备注', '更正原因']);
  ws.addRow([row.studentId, '学生', String(row.score), ...(row.judgedTechnician === undefined ? [] : [row.judgedTechnician ? '是' : '否']), today(), '考评组', '', '']);
  void sheetId;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Routes of the assessments and certificates modules (issue 11 part A). */
export const ASSESSMENTS_FIXTURES: Record<string, RouteFixture> = {
  'GET /api/v1/assessment-sheets': {
    build: async (w, a) => ({ path: '/api/v1/assessment-sheets', query: { cohortId: (await mine(w, a)).cohortId } }),
  },
  'POST /api/v1/assessment-sheets': {
    build: async (w, a) => ({ path: '/api/v1/assessment-sheets', body: { cohortId: (await mine(w, a)).cohortId } }),
  },
  'GET /api/v1/assessment-sheets/:id': {
    build: async (w, a) => ({ path: `/api/v1/assessment-sheets/${(await ownSheet(w, a)).sheetId}` }),
    foreign: async (w) => ({ path: `/api/v1/assessment-sheets/${await sheetRow(w.f, await foreignWorld(w), 'course:0:0')}` }),
  },
  'PUT /api/v1/assessment-sheets/:id/results': {
    build: async (w, a) => {
      const s = await ownSheet(w, a);
      return { path: `/api/v1/assessment-sheets/${s.sheetId}/results`, body: { rows: [s.row] } };
    },
    foreign: async (w) => ({ path: `/api/v1/assessment-sheets/${await sheetRow(w.f, await foreignWorld(w), 'course:0:0')}/results`, body: { rows: [] } }),
  },
  'GET /api/v1/assessment-sheets/:id/history': {
    build: async (w, a) => ({ path: `/api/v1/assessment-sheets/${(await ownSheet(w, a)).sheetId}/history` }),
    foreign: async (w) => ({ path: `/api/v1/assessment-sheets/${await sheetRow(w.f, await foreignWorld(w), 'course:0:0')}/history` }),
  },
  'POST /api/v1/assessment-sheets/:id/reopen': {
    build: async (w, a) => {
      // its own sheet (mid-term): a refused reopen must not leave the sheet other routes write to submitted
      const x = await mine(w, a);
      const sheetId = await sheetRow(w.f, x, 'mid-term');
      await inTenant(w.f, x.tenantId, () => w.f.query(`UPDATE assessment_sheets SET status = 'submitted', submitted_at = now() WHERE tenant_id = $1 AND id = $2`, [x.tenantId, sheetId]));
      return { path: `/api/v1/assessment-sheets/${sheetId}/reopen`, body: { reason: '两名学生转入本班，需补录成绩' } };
    },
    foreign: async (w) => ({ path: `/api/v1/assessment-sheets/${await sheetRow(w.f, await foreignWorld(w), 'course:0:0')}/reopen`, body: { reason: '补录' } }),
  },
  'GET /api/v1/assessment-sheets/:id/template.xlsx': {
    build: async (w, a) => ({ path: `/api/v1/assessment-sheets/${(await ownSheet(w, a)).sheetId}/template.xlsx` }),
    foreign: async (w) => ({ path: `/api/v1/assessment-sheets/${await sheetRow(w.f, await foreignWorld(w), 'course:0:0')}/template.xlsx` }),
  },
  'POST /api/v1/assessment-sheets/:id/import': {
    build: async (w, a) => {
      const s = await ownSheet(w, a);
      const content = await templateFile(s.sheetId, { studentId: s.x.studentId, score: 80, judgedTechnician: isEnterprise(a) ? true : undefined });
      return { path: `/api/v1/assessment-sheets/${s.sheetId}/import`, query: { dryRun: 'true' }, files: { file: { content, filename: '成绩.xlsx' } } };
    },
    foreign: async (w) => {
      const x = await foreignWorld(w);
      const sheetId = await sheetRow(w.f, x, 'course:0:0');
      return { path: `/api/v1/assessment-sheets/${sheetId}/import`, query: { dryRun: 'true' }, files: { file: { content: await templateFile(sheetId, { studentId: x.studentId, score: 80 }), filename: '成绩.xlsx' } } };
    },
  },

  'POST /api/v1/certificates': {
    build: async (w, a) => ({
      path: '/api/v1/certificates',
      body: { studentId: (await mine(w, a)).studentId, kind: 'vocational-level-2', occupation: '数控车工', level: '二级/技师', number: `Y0004401${tag()}`, issuer: '广东省职业技能鉴定指导中心', issuedOn: today() },
    }),
  },
  'GET /api/v1/certificates': { build: async () => ({ path: '/api/v1/certificates', query: { limit: '5' } }) },
  'GET /api/v1/certificates/import-template.xlsx': { build: async () => ({ path: '/api/v1/certificates/import-template.xlsx' }) },
  'POST /api/v1/certificates/import': {
    build: async () => {
      const ExcelJS = (await import('exceljs')).default;
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('证书');
      ws.addRow(['身份证号', '姓名', '证书类别', '职业工种', '等级', '证书编号', '发证机构', '发证日期']);
      return { path: '/api/v1/certificates/import', query: { dryRun: 'true' }, files: { file: { content: Buffer.from(await wb.xlsx.writeBuffer()), filename: '证书.xlsx' } } };
    },
  },
  'GET /api/v1/certificates/:id': {
    build: async (w, a) => ({ path: `/api/v1/certificates/${await certificateRow(w.f, w.tenantA, (await mine(w, a)).studentId)}` }),
    foreign: async (w) => ({ path: `/api/v1/certificates/${await certificateRow(w.f, w.tenantB, (await foreignWorld(w)).studentId)}` }),
  },
  'POST /api/v1/certificates/:id/verify': {
    build: async (w, a) => ({ path: `/api/v1/certificates/${await certificateRow(w.f, w.tenantA, (await mine(w, a)).studentId)}/verify`, body: { version: 1 } }),
    foreign: async (w) => ({ path: `/api/v1/certificates/${await certificateRow(w.f, w.tenantB, (await foreignWorld(w)).studentId)}/verify`, body: { version: 1 } }),
  },
  'POST /api/v1/certificates/:id/reject': {
    build: async (w, a) => ({ path: `/api/v1/certificates/${await certificateRow(w.f, w.tenantA, (await mine(w, a)).studentId)}/reject`, body: { version: 1, reason: '查无此证' } }),
    foreign: async (w) => ({ path: `/api/v1/certificates/${await certificateRow(w.f, w.tenantB, (await foreignWorld(w)).studentId)}/reject`, body: { version: 1, reason: '查无此证' } }),
  },
};
