import type { EntityManager } from 'typeorm';
import type { PlanContent } from '../../training-plans';
import { planItems, PlanItem } from '../domain/items';

export type CertificateKindSeed = 'national-technician' | 'vocational-level-2' | 'industry-technician' | 'enterprise-technician';

/** What one student's evaluation should look like in the demo (modules/assessments/CONTRACT.md). */
export interface OutcomeSeed {
  studentId: string;
  /** submitted results for every course item; `one-failed` fails the last course */
  courses: 'all-passed' | 'one-failed';
  /** submitted practice results for every stage; `unmet` fails the last stage */
  practice: 'met' | 'unmet';
  /** null: no terminal result */
  terminalTechnician: boolean | null;
  certificates?: { kind: CertificateKindSeed; status: 'verified' | 'unverified' | 'rejected' }[];
  /** YYYY-MM-DD; default the cohort's expected graduation (or today's China date when that is later) */
  assessedOn?: string;
}

const CERT: Record<CertificateKindSeed, { occupation: string; level: string; issuer: string; prefix: string }> = {
  'national-technician': { occupation: '车工', level: '二级/技师', issuer: '广东省人力资源和社会保障厅', prefix: 'S0000441' },
  'vocational-level-2': { occupation: '数控车工', level: '二级/技师', issuer: '广东省职业技能鉴定指导中心（社会评价组织）', prefix: 'Y0004401' },
  'industry-technician': { occupation: '智能制造装备调试', level: '技师级', issuer: '广东省机械工程学会', prefix: 'GDMES-J' },
  'enterprise-technician': { occupation: '数控加工', level: '技师级', issuer: '企业技能等级认定（备案）', prefix: 'QY-JS-' },
};

/**
 * Demo seed helper for graduated cohorts (issue 11 parts A and B): opens (submitted)
 * sheets for every item of the student's cohort plan and writes submitted results and
 * certificates. `m` is a seed transaction pinned to the student's college. Idempotent: a
 * student who already has any result is left alone. The enterprise side (practice,
 * terminal) is recorded as the enterprise of the student's placement or active enterprise
 * mentor; without either, the result is recorded as entered by the college.
 */
export async function seedEvaluationOutcome(m: EntityManager, o: OutcomeSeed): Promise<{ results: number; certificates: number }> {
  const [st] = await m.query(
    `SELECT s.tenant_id AS "tenantId", s.cohort_id AS "cohortId", c.plan_version_id AS "planId", tp.content, c.expected_graduation::text AS "expectedGraduation",
            (SELECT p.enterprise_id FROM placements p WHERE p.tenant_id = s.tenant_id AND p.student_id = s.id ORDER BY p.stage_index DESC LIMIT 1) AS "placedAt",
            (SELECT sm.enterprise_id FROM mentorships mm JOIN staff_members sm ON sm.tenant_id = mm.tenant_id AND sm.id = mm.staff_member_id
              WHERE mm.tenant_id = s.tenant_id AND mm.student_id = s.id AND mm.side = 'enterprise' ORDER BY mm.ended_on IS NULL DESC, mm.started_on DESC LIMIT 1) AS "mentorEnterprise",
            (SELECT sm.user_id FROM mentorships mm JOIN staff_members sm ON sm.tenant_id = mm.tenant_id AND sm.id = mm.staff_member_id
              WHERE mm.tenant_id = s.tenant_id AND mm.student_id = s.id AND mm.side = 'enterprise' ORDER BY mm.ended_on IS NULL DESC, mm.started_on DESC LIMIT 1) AS "mentorUser",
            (SELECT sm.name FROM mentorships mm JOIN staff_members sm ON sm.tenant_id = mm.tenant_id AND sm.id = mm.staff_member_id
              WHERE mm.tenant_id = s.tenant_id AND mm.student_id = s.id AND mm.side = 'enterprise' ORDER BY mm.ended_on IS NULL DESC, mm.started_on DESC LIMIT 1) AS "mentorName",
            EXISTS (SELECT 1 FROM assessment_results r WHERE r.tenant_id = s.tenant_id AND r.student_id = s.id) AS "hasResults",
            to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS today
     FROM students s
     JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id
     JOIN training_plans tp ON tp.tenant_id = c.tenant_id AND tp.id = c.plan_version_id
     WHERE s.id = $1`,
    [o.studentId],
  );
  if (!st || st.hasResults) return { results: 0, certificates: 0 };
  const assessedOn: string = o.assessedOn ?? (st.expectedGraduation < st.today ? st.expectedGraduation : st.today);
  const items = planItems(st.content as PlanContent);
  const sheetIds = new Map<string, string>();
  for (const item of items) {
    const rows = await m.query(
      `INSERT INTO assessment_sheets (tenant_id, cohort_id, plan_version_id, item_key, kind, name, scoring, pass_mark, stage_index, status, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'submitted', now())
       ON CONFLICT (tenant_id, cohort_id, item_key) DO UPDATE SET item_key = EXCLUDED.item_key RETURNING id`,
      [st.tenantId, st.cohortId, st.planId, item.itemKey, item.kind, item.name.slice(0, 200), item.scoring, item.passMark, item.stageIndex],
    );
    sheetIds.set(item.itemKey, rows[0].id);
  }
  const enterpriseId: string | null = st.placedAt ?? st.mentorEnterprise ?? null;
  const courses = items.filter((i) => i.kind === 'course');
  const practice = items.filter((i) => i.kind === 'practice');
  const out: { item: PlanItem; score: number | null; passed: boolean; judged: boolean | null }[] = [];
  courses.forEach((c, i) => {
    const fail = o.courses === 'one-failed' && i === courses.length - 1;
    const score = fail ? 52 : 72 + ((i * 7) % 20) + 0.5;
    out.push({ item: c, score, passed: score >= (c.passMark ?? 60), judged: null });
  });
  practice.forEach((p, i) => out.push({ item: p, score: null, passed: !(o.practice === 'unmet' && i === practice.length - 1), judged: null }));
  if (o.terminalTechnician !== null) {
    for (const t of items.filter((i) => i.kind === 'terminal')) {
      const score = o.terminalTechnician ? 88 : 74;
      out.push({ item: t, score, passed: score >= (t.passMark ?? 60), judged: o.terminalTechnician });
    }
  }
  for (const r of out) {
    const side = r.item.kind === 'practice' || r.item.kind === 'terminal' ? (enterpriseId ? 'enterprise' : 'college') : 'college';
    const assessor = side === 'enterprise' ? `${st.mentorName ?? '企业考评组'}（企业导师）` : '院校考评组';
    await m.query(
      `INSERT INTO assessment_results (tenant_id, sheet_id, cohort_id, kind, student_id, status, score, passed, judged_technician, assessed_on, assessor,
                                       remarks, entered_side, enterprise_id, entered_by, submitted_at, submitted_by)
       VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7, $8, $9, $10, $11, $12, $13, $14, now(), $14)`,
      [st.tenantId, sheetIds.get(r.item.itemKey), st.cohortId, r.item.kind, o.studentId, r.score, r.passed, r.judged, assessedOn, assessor,
        r.passed ? '考核合格' : '未达要求，需补考', side, side === 'enterprise' ? enterpriseId : null, side === 'enterprise' ? (st.mentorUser ?? null) : null],
    );
  }
  let certificates = 0;
  for (const [i, c] of (o.certificates ?? []).entries()) {
    const spec = CERT[c.kind];
    const number = `${spec.prefix}${o.studentId.replace(/-/g, '').slice(0, 10).toUpperCase()}${i}`;
    const rows = await m.query(
      `INSERT INTO certificates (tenant_id, student_id, kind, occupation, level, number, issuer, issued_on, status, reject_reason, verified_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT DO NOTHING RETURNING id`,
      [st.tenantId, o.studentId, c.kind, spec.occupation, spec.level, number, spec.issuer, assessedOn, c.status,
        c.status === 'rejected' ? '证书编号在发证机构查询系统中查无记录' : null, c.status === 'unverified' ? null : new Date()],
    );
    certificates += rows.length;
  }
  return { results: out.length, certificates };
}
