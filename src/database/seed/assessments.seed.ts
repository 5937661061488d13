import { EntityManager } from 'typeorm';

import { planItems, PlanItem } from '../../../modules/assessments';
import type { PlanContent } from '../../../modules/training-plans';
import { chinaToday } from '../../time/china-date';
import { DEMO_COLLEGES } from './demo-data';
import { SeedContext, SeedStep } from './seed-context';

/**
 * Assessments and certificates (issue 11 part A, R-EVA-3) for each demo college's running
 * cohort (cohorts step, 2024 intake): every sheet of its plan version is opened; the
 * senior-worker-stage course sheets are entered by college staff and submitted, the first
 * technician-stage course sheet is half-entered as drafts; one submitted course result is
 * corrected (version 2 with a reason); students placed at an enterprise (practice step) get
 * their practice-stage result entered by their enterprise mentor's login — submitted in
 * 广州工贸, a draft in 佛山; the mid-term sheet is submitted. Two certificates per college,
 * one verified and one waiting for verification.
 *
 * Graduated cohorts are part B's (graduates seed): it calls `seedEvaluationOutcome`.
 * Idempotent: a cohort that already has a sheet is left alone.
 */
const addDays = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

interface Student {
  id: string;
  name: string;
}

async function seedCohort(ctx: SeedContext, m: EntityManager, tenantId: string, college: (typeof DEMO_COLLEGES)[number], cohort: { id: string; planId: string; content: PlanContent }): Promise<void> {
  const items = planItems(cohort.content);
  const staffUser = ctx.ids.users.get(college.staff.email ?? '') ?? null;
  const today = chinaToday();
  const students: Student[] = await m.query(
    `SELECT id, name FROM students WHERE tenant_id = $1 AND cohort_id = $2 AND status IN ('admitted','enrolled','graduated') ORDER BY name, id`,
    [tenantId, cohort.id],
  );
  if (!students.length) return;
  const sheet = new Map<string, string>();
  for (const item of items) {
    const [row] = await m.query(
      `INSERT INTO assessment_sheets (tenant_id, cohort_id, plan_version_id, item_key, kind, name, scoring, pass_mark, stage_index, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [tenantId, cohort.id, cohort.planId, item.itemKey, item.kind, item.name.slice(0, 200), item.scoring, item.passMark, item.stageIndex, staffUser],
    );
    sheet.set(item.itemKey, row.id);
  }
  ctx.count('assessment_sheets', items.length);
  let results = 0;
  const insert = async (item: PlanItem, s: Student, v: { score: number | null; passed: boolean; on: string; assessor: string; submitted: boolean; by: string | null; side?: 'college' | 'enterprise'; enterpriseId?: string | null; remarks?: string }) => {
    await m.query(
      `INSERT INTO assessment_results (tenant_id, sheet_id, cohort_id, kind, student_id, status, score, passed, assessed_on, assessor, remarks,
                                       entered_by, entered_side, enterprise_id, submitted_at, submitted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [tenantId, sheet.get(item.itemKey), cohort.id, item.kind, s.id, v.submitted ? 'submitted' : 'draft', v.score, v.passed, v.on, v.assessor, v.remarks ?? null,
        v.by, v.side ?? 'college', v.enterpriseId ?? null, v.submitted ? new Date() : null, v.submitted ? v.by : null],
    );
    results++;
  };
  // senior-worker-stage courses: entered and submitted by college staff; the technician stage's first course half-entered as drafts
  const courses = items.filter((i) => i.kind === 'course');
  const stage0 = courses.filter((i) => i.itemKey.startsWith('course:0:'));
  const firstTech = courses.find((i) => !i.itemKey.startsWith('course:0:'));
  for (const [ci, item] of stage0.entries()) {
    for (const [si, s] of students.entries()) {
      const score = 55 + ((si * 7 + ci * 11) % 43) + (si % 2) * 0.5;
      await insert(item, s, { score, passed: score >= (item.passMark ?? 60), on: addDays('2026-07-10', ci), assessor: `${college.staff.displayName}（教务）`, submitted: true, by: staffUser });
    }
    await m.query(`UPDATE assessment_sheets SET status = 'submitted', submitted_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, sheet.get(item.itemKey)]);
  }
  if (firstTech) {
    for (const [si, s] of students.slice(0, Math.ceil(students.length / 2)).entries()) {
      const score = 68 + ((si * 5) % 27);
      await insert(firstTech, s, { score, passed: score >= (firstTech.passMark ?? 60), on: today, assessor: `${college.staff.displayName}（教务）`, submitted: false, by: staffUser });
    }
  }
  // a correction: the first student's first course result, v1 → v2 with a reason (DOMAIN §5)
  if (stage0[0] && college.code !== 'hyjs') {
    const s = students[0];
    const [v1] = await m.query(`SELECT score FROM assessment_results WHERE tenant_id = $1 AND sheet_id = $2 AND student_id = $3`, [tenantId, sheet.get(stage0[0].itemKey), s.id]);
    await m.query(`UPDATE assessment_results SET is_current = false WHERE tenant_id = $1 AND sheet_id = $2 AND student_id = $3`, [tenantId, sheet.get(stage0[0].itemKey), s.id]);
    const corrected = Math.min(100, Number(v1.score) + 9);
    await m.query(
      `INSERT INTO assessment_results (tenant_id, sheet_id, cohort_id, kind, student_id, version_no, status, score, passed, assessed_on, assessor, correction_reason,
                                       entered_by, entered_side, submitted_at, submitted_by)
       VALUES ($1, $2, $3, 'course', $4, 2, 'submitted', $5, $6, DATE '2026-07-10', $7, $8, $9, 'college', now(), $9)`,
      [tenantId, sheet.get(stage0[0].itemKey), cohort.id, s.id, corrected, corrected >= (stage0[0].passMark ?? 60), `${college.staff.displayName}（教务）`,
        `实操作品复评后加分（原 ${Number(v1.score)} 分漏计工艺文件 9 分）`, staffUser],
    );
    results++;
  }
  // mid-term (R-EVA-1 streaming checkpoint 2026-09-01): every student, submitted
  const mid = items.find((i) => i.kind === 'mid-term')!;
  for (const [si, s] of students.entries()) {
    const score = 62 + ((si * 13) % 36);
    await insert(mid, s, { score, passed: true, on: '2026-08-28', assessor: '中期考核小组', submitted: true, by: staffUser });
  }
  await m.query(`UPDATE assessment_sheets SET status = 'submitted', submitted_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, sheet.get('mid-term')]);
  // practice: students placed at an enterprise, entered by their enterprise mentor's login (R-EVA-3: the enterprise side)
  const placed: { studentId: string; name: string; stageIndex: number; enterpriseId: string; userId: string | null; mentorName: string }[] = await m.query(
    `SELECT p.student_id AS "studentId", s.name, p.stage_index AS "stageIndex", p.enterprise_id AS "enterpriseId", sm.user_id AS "userId", sm.name AS "mentorName"
     FROM placements p
     JOIN students s ON s.tenant_id = p.tenant_id AND s.id = p.student_id
     JOIN mentorships mm ON mm.tenant_id = p.tenant_id AND mm.student_id = p.student_id AND mm.side = 'enterprise' AND mm.ended_on IS NULL
     JOIN staff_members sm ON sm.tenant_id = mm.tenant_id AND sm.id = mm.staff_member_id AND sm.enterprise_id = p.enterprise_id
     WHERE p.tenant_id = $1 AND s.cohort_id = $2 ORDER BY s.name`,
    [tenantId, cohort.id],
  );
  for (const [i, p] of placed.entries()) {
    const item = items.find((x) => x.kind === 'practice' && x.stageIndex === p.stageIndex);
    if (!item) continue;
    await insert(item, { id: p.studentId, name: p.name }, {
      score: null,
      passed: i !== placed.length - 1 || placed.length === 1,
      on: addDays(today, -3),
      assessor: `${p.mentorName}（企业导师）`,
      submitted: college.code === 'gzgm',
      by: p.userId,
      side: 'enterprise',
      enterpriseId: p.enterpriseId,
      remarks: i !== placed.length - 1 || placed.length === 1 ? '按工单完成岗位任务，实践考核合格' : '出勤不足，需补足岗位实践',
    });
  }
  ctx.count('assessment_results', results);
  // certificates: one verified, one unverified (R-EVA-3 ①/②; only verified ones count)
  const certs = [
    { s: students[1], kind: 'vocational-level-2', occupation: '数控车工', level: '二级/技师', issuer: '广东省职业技能鉴定指导中心（社会评价组织）', status: 'verified' },
    { s: students[2], kind: 'enterprise-technician', occupation: '数控加工', level: '技师级', issuer: '企业技能等级认定（备案）', status: 'unverified' },
  ].filter((c) => c.s);
  for (const [i, c] of certs.entries()) {
    const rows = await m.query(
      `INSERT INTO certificates (tenant_id, student_id, kind, occupation, level, number, issuer, issued_on, status, verified_by, verified_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING id`,
      [tenantId, c.s.id, c.kind, c.occupation, c.level, `${college.code.toUpperCase()}-2026-${String(i + 1).padStart(4, '0')}`, c.issuer, '2026-06-28', c.status,
        c.status === 'verified' ? staffUser : null, c.status === 'verified' ? new Date() : null, staffUser],
    );
    ctx.count('certificates', rows.length);
  }
}

export const assessmentsSeed: SeedStep = {
  name: 'assessments',
  async run(ctx) {
    for (const college of DEMO_COLLEGES) {
      const tenantId = ctx.ids.tenants.get(college.code);
      if (!tenantId) continue;
      await ctx.tx({ tenantId }, async (m) => {
        // the running cohort of the cohorts step; graduated cohorts are part B's
        const cohorts = await m.query(
          `SELECT c.id, c.plan_version_id AS "planId", tp.content
           FROM cohorts c JOIN training_plans tp ON tp.tenant_id = c.tenant_id AND tp.id = c.plan_version_id
           WHERE c.tenant_id = $1 AND c.intake_year = 2024 AND c.status <> 'completed'
             AND NOT EXISTS (SELECT 1 FROM students s WHERE s.tenant_id = c.tenant_id AND s.cohort_id = c.id AND s.status = 'graduated')
             AND NOT EXISTS (SELECT 1 FROM assessment_sheets sh WHERE sh.tenant_id = c.tenant_id AND sh.cohort_id = c.id)
           ORDER BY c.name`,
          [tenantId],
        );
        for (const c of cohorts) await seedCohort(ctx, m, tenantId, college, c);
      });
    }
  },
};
