import { EntityManager } from 'typeorm';
import type { AppConfig } from '../../../config/app-config';
import { makeResidentId } from '../../../modules/students/domain/resident-id';
import { PiiCipher } from '../../../modules/students/pii-cipher';
import { maskIdNumber, maskPhone } from '../../privacy/mask';
import { DEMO_COLLEGES } from './demo-data';
import { SeedContext, SeedStep } from './seed-context';

/**
 * Cohorts, applicants and students (issue 5; R-TRK-1, R-EVA-1). Each demo college gets a
 * senior-high 学制技师班 of its first programme that started 2024-09-01 (so its senior-worker
 * stage ended 2026-09-01 and the streaming checkpoint has passed): 24 applicants ranked by
 * screening scores, the top 20 admitted and enrolled, 4 rejected with their rank; one
 * student streamed to the senior-worker route and two decisions to continue. ID numbers
 * are generated with correct check characters (GB 11643-1999) and stored encrypted with
 * the environment's PII keys, exactly as the app stores them; without the keys the step is
 * skipped with a log line. Idempotent: a cohort upserts on (college, intake year, name) and
 * is filled only while it has no students.
 */
const SURNAMES = ['陈', '李', '黄', '张', '梁', '刘', '林', '何', '罗', '吴', '郑', '谢', '冯', '邓', '曾', '彭', '苏', '卢', '蔡', '钟', '潘', '叶'];
const GIVEN_MALE = ['嘉豪', '俊杰', '浩然', '子轩', '志强', '伟健', '家乐', '宇航', '晓东', '振华', '锦鹏'];
const GIVEN_FEMALE = ['欣怡', '诗琪', '梓涵', '雨桐', '美玲', '思颖', '晓雯', '嘉欣', '慧敏', '婉婷', '颖琳'];
const REGION: Record<string, string> = { gzgm: '440106', fsjs: '440604', hyjs: '441302' };
const APPLICANTS = 24;
const ADMITTED = 20;
const START = '2024-09-01';
const CHECKPOINT = '2026-09-01';

interface Person {
  name: string;
  gender: 'male' | 'female';
  dob: string;
  idNumber: string;
  mobile: string;
  scores: { 笔试: number; 实操: number; 面试: number };
}

/** Deterministic people for a college: different names, valid ID numbers, scores with one tie. */
function people(code: string, collegeIndex: number): Person[] {
  return Array.from({ length: APPLICANTS }, (_, i) => {
    const gender = i % 2 === 0 ? 'male' : 'female';
    const given = (gender === 'male' ? GIVEN_MALE : GIVEN_FEMALE)[(i >> 1) % 11];
    const name = SURNAMES[(i + collegeIndex * 7) % SURNAMES.length] + given;
    const dob = `${2005 + (i % 3)}-${String(1 + ((i * 5) % 12)).padStart(2, '0')}-${String(1 + ((i * 7) % 28)).padStart(2, '0')}`;
    const seq = 100 + i * 2 + (gender === 'male' ? 1 : 0); // odd sequence = male
    const written = 95 - i * 1.5 - (i === 11 ? -1.5 : 0); // rows 10 and 11 tie on the total
    return {
      name,
      gender,
      dob,
      idNumber: makeResidentId(REGION[code] ?? '440100', dob, seq),
      mobile: `13${7 + collegeIndex}${String(20_000_000 + i * 7919).padStart(8, '0')}`,
      scores: { 笔试: written, 实操: 80 + (i % 5), 面试: 85 - (i % 4) },
    };
  });
}

/** The seed's own students of a college, by their stable natural key (the ID number's keyed hash). */
export function demoStudentHashes(code: string, cipher: PiiCipher): Buffer[] {
  const index = DEMO_COLLEGES.findIndex((c) => c.code === code);
  return index < 0 ? [] : people(code, index).map((p) => cipher.idNumberHash(p.idNumber));
}

/** The cipher the app uses, from the environment's PII keys; undefined without them. */
export function demoCipher(): PiiCipher | undefined {
  const { PII_ENCRYPTION_KEY, PII_HASH_KEY } = process.env;
  return PII_ENCRYPTION_KEY && PII_HASH_KEY ? new PiiCipher({ PII_ENCRYPTION_KEY, PII_HASH_KEY } as AppConfig) : undefined;
}

async function fillCohort(m: EntityManager, tenantId: string, cohortId: string, programmeId: string, list: Person[], cipher: PiiCipher): Promise<number> {
  const ranked = list
    .map((p, i) => ({ p, i, total: p.scores.笔试 + p.scores.实操 + p.scores.面试 }))
    .sort((a, b) => b.total - a.total || a.i - b.i); // ties: the earlier registration first
  let students = 0;
  for (const [rank, { p, i }] of ranked.entries()) {
    const admitted = rank < ADMITTED;
    const sealed = [cipher.encrypt(p.idNumber), cipher.idNumberHash(p.idNumber), maskIdNumber(p.idNumber), cipher.encrypt(p.mobile), maskPhone(p.mobile)];
    const [applicant] = await m.query(
      `INSERT INTO applicants (tenant_id, cohort_id, name, gender, date_of_birth, id_number_enc, id_number_hash, id_number_masked, mobile_enc, mobile_masked,
                               entry_level, scores, total_score, result, result_reason, admission_rank, decided_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'senior-high', $11, $12, $13, $14, $15, '2024-07-20', TIMESTAMPTZ '2024-06-01' + $16 * interval '1 hour')
       ON CONFLICT (tenant_id, cohort_id, id_number_hash) DO NOTHING RETURNING id`,
      [
        tenantId,
        cohortId,
        p.name,
        p.gender,
        p.dob,
        ...sealed,
        JSON.stringify(p.scores),
        p.scores.笔试 + p.scores.实操 + p.scores.面试,
        admitted ? 'admitted' : 'rejected',
        admitted ? null : `未达录取名次（第 ${rank + 1} 名，录取 ${ADMITTED} 名）`,
        rank + 1,
        i,
      ],
    );
    if (!applicant || !admitted) continue;
    const [student] = await m.query(
      `INSERT INTO students (tenant_id, cohort_id, programme_id, applicant_id, name, gender, date_of_birth, id_number_enc, id_number_hash, id_number_masked,
                             mobile_enc, mobile_masked, entry_level, status, admitted_on, enrolled_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'senior-high', 'enrolled', '2024-07-20', $13)
       ON CONFLICT (tenant_id, id_number_hash) DO NOTHING RETURNING id`,
      [tenantId, cohortId, programmeId, applicant.id, p.name, p.gender, p.dob, ...sealed, START],
    );
    if (!student) continue;
    students++;
    await m.query(
      `INSERT INTO student_status_changes (tenant_id, student_id, from_status, to_status, effective_on, reason)
       VALUES ($1, $2, NULL, 'admitted', '2024-07-20', '择优录取'), ($1, $2, 'admitted', 'enrolled', $3, '班级开班')`,
      [tenantId, student.id, START],
    );
    // R-EVA-1 at the checkpoint: the 20th ranked goes the senior-worker route; the top two continue.
    const decision = rank === ADMITTED - 1 ? 'senior-worker-route' : rank < 2 ? 'continue' : null;
    if (decision) {
      const reason = decision === 'continue' ? '高级工阶段考核优秀，企业导师推荐进入技师阶段' : '本人申请转入高级工方向，毕业后到合作企业就业';
      await m.query(
        `INSERT INTO streaming_decisions (tenant_id, cohort_id, student_id, checkpoint_on, decision, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
        [tenantId, cohortId, student.id, CHECKPOINT, decision, reason],
      );
      if (decision === 'senior-worker-route') {
        await m.query(`UPDATE students SET status = 'streamed-out', left_on = $3, left_reason = $4 WHERE tenant_id = $1 AND id = $2`, [tenantId, student.id, CHECKPOINT, reason]);
        await m.query(
          `INSERT INTO student_status_changes (tenant_id, student_id, from_status, to_status, effective_on, reason) VALUES ($1, $2, 'enrolled', 'streamed-out', $3, $4)`,
          [tenantId, student.id, CHECKPOINT, `分流：转高级工方向；${reason}`],
        );
      }
    }
  }
  return students;
}

export const cohortsSeed: SeedStep = {
  name: 'cohorts',
  async run(ctx: SeedContext) {
    const { PII_ENCRYPTION_KEY, PII_HASH_KEY } = process.env;
    if (!PII_ENCRYPTION_KEY || !PII_HASH_KEY) {
      ctx.log('cohorts seed: PII_ENCRYPTION_KEY / PII_HASH_KEY not set, students skipped');
      return;
    }
    const cipher = new PiiCipher({ PII_ENCRYPTION_KEY, PII_HASH_KEY } as AppConfig);
    for (const [index, college] of DEMO_COLLEGES.entries()) {
      const tenantId = ctx.ids.tenants.get(college.code);
      if (!tenantId) continue;
      await ctx.tx({ tenantId }, async (m) => {
        const [programme] = await m.query(
          `SELECT p.id, p.name, tp.id AS "planId" FROM programmes p
           JOIN training_plans tp ON tp.tenant_id = p.tenant_id AND tp.programme_id = p.id AND tp.status = 'current'
           WHERE p.tenant_id = $1 ORDER BY p.code LIMIT 1`,
          [tenantId],
        );
        if (!programme) {
          ctx.log(`cohorts seed: ${college.code} has no programme with a current plan, skipped`);
          return;
        }
        const name = `2024级${programme.name.replace(/（.*）/, '')}学制技师1班`;
        const inserted = await m.query(
          `INSERT INTO cohorts (tenant_id, programme_id, plan_version_id, name, intake_year, track_code, start_date, duration_months, senior_worker_stage_months,
                                status, started_at)
           VALUES ($1, $2, $3, $4, 2024, 'senior-high', $5, 48, 24, 'started', TIMESTAMPTZ '2024-09-01 08:00+08')
           ON CONFLICT (tenant_id, intake_year, lower(name)) DO NOTHING RETURNING id`,
          [tenantId, programme.id, programme.planId, name, START],
        );
        ctx.count('cohorts', inserted.length);
        const [cohort] = await m.query(`SELECT id FROM cohorts WHERE tenant_id = $1 AND intake_year = 2024 AND lower(name) = lower($2)`, [tenantId, name]);
        const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM students WHERE tenant_id = $1 AND cohort_id = $2`, [tenantId, cohort.id]);
        if (n > 0) return;
        ctx.count('students', await fillCohort(m, tenantId, cohort.id, programme.id, people(college.code, index), cipher));
      });
    }
  },
};
