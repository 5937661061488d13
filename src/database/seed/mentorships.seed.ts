import { EntityManager } from 'typeorm';
import { demoCipher, demoStudentHashes } from './cohorts.seed';
import { DEMO_COLLEGES, loginOf } from './demo-data';
import { SeedContext, SeedStep } from './seed-context';

/**
 * 1+1 dual mentors (R-TRN-3, issue 4). Every current student of a demo college gets one
 * college mentor and one enterprise mentor; the enterprise mentor comes from a partner of
 * the student's programme whose agreement is in force today, and nobody goes above the
 * advised load (8). The demo mentor logins (冯志强, 黎国栋, …) come first, so signing in as
 * one shows mentees. A few students get guidance entries from both mentors.
 *
 * Runs after the cohorts/students step; a college without students is skipped with a log
 * line. Only the seed's own students (found by ID-number hash) get mentors: students a user
 * imported or registered are left alone. Idempotent: a student who already has an active mentor of a side keeps them (the
 * partial unique index decides), and guidance is only added to a student who has none.
 */
const LOAD_LIMIT = 8;
const GUIDED_STUDENTS_PER_COLLEGE = 3;

const GUIDANCE: [side: 'college' | 'enterprise', days: number, kind: string, notes: string][] = [
  ['college', 30, 'topic-selection', '讨论技师阶段课题方向，初定结合企业实际生产问题选题，下周提交选题报告'],
  ['enterprise', 45, 'practice', '车间岗位实践：讲解设备安全操作规程与首件检验流程，学生跟岗完成两个班次'],
  ['enterprise', 60, 'project-study', '项目研修：分析企业在产零件的工艺难点，布置工艺改进方案的资料收集任务'],
];

interface StudentFacts {
  id: string;
  name: string;
  programmeId: string;
  startedOn: string;
}

interface Mentor {
  id: string;
  enterpriseId: string | null;
  load: number;
}

async function mentorsOf(m: EntityManager, tenantId: string, side: 'college' | 'enterprise', linkedUserId: string | null): Promise<Mentor[]> {
  return m.query(
    `SELECT s.id, s.enterprise_id AS "enterpriseId",
            (SELECT count(*)::int FROM mentorships ms WHERE ms.tenant_id = s.tenant_id AND ms.staff_member_id = s.id AND ms.ended_on IS NULL) AS load
     FROM staff_members s
     WHERE s.tenant_id = $1 AND s.side = $2 AND s.status = 'active' AND s.confirmation = 'confirmed'
     ORDER BY (s.user_id IS NOT NULL AND s.user_id = $3::uuid) DESC, (s.user_id IS NOT NULL) DESC, s.name, s.id`,
    [tenantId, side, linkedUserId],
  );
}

/** The enterprises that may provide a programme's enterprise mentors today: active partners with a signed agreement in force. */
async function partnersInForce(m: EntityManager, tenantId: string): Promise<Map<string, Set<string>>> {
  const rows: { programmeId: string; enterpriseId: string }[] = await m.query(
    `SELECT DISTINCT p.programme_id AS "programmeId", p.enterprise_id AS "enterpriseId"
     FROM partnerships p JOIN agreements a ON a.tenant_id = p.tenant_id AND a.partnership_id = p.id
     WHERE p.tenant_id = $1 AND p.status = 'active' AND a.status = 'signed'
       AND china_today() BETWEEN a.term_start AND a.term_end`,
    [tenantId],
  );
  const out = new Map<string, Set<string>>();
  for (const r of rows) out.set(r.programmeId, (out.get(r.programmeId) ?? new Set()).add(r.enterpriseId));
  return out;
}

async function assign(ctx: SeedContext, m: EntityManager, tenantId: string, student: StudentFacts, side: 'college' | 'enterprise', mentor: Mentor): Promise<void> {
  const created = await m.query(
    `INSERT INTO mentorships (tenant_id, student_id, side, staff_member_id, started_on) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, student_id, side) WHERE ended_on IS NULL DO NOTHING RETURNING id`,
    [tenantId, student.id, side, mentor.id, student.startedOn],
  );
  ctx.count('mentorships', created.length);
  mentor.load += created.length;
}

export const mentorshipsSeed: SeedStep = {
  name: 'mentorships',
  async run(ctx) {
    const cipher = demoCipher();
    for (const college of DEMO_COLLEGES) {
      const tenantId = ctx.ids.tenants.get(college.code);
      if (!tenantId) continue;
      await ctx.tx({ tenantId }, async (m) => {
        // Only the seed's own students (by ID-number hash): never those a user imported or registered.
        const own = cipher ? demoStudentHashes(college.code, cipher) : [];
        const students: StudentFacts[] = await m.query(
          `SELECT s.id, s.name, s.programme_id AS "programmeId",
                  LEAST(c.start_date, china_today())::text AS "startedOn"
           FROM students s JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id
           WHERE s.tenant_id = $1 AND s.status IN ('admitted', 'enrolled') AND s.id_number_hash = ANY($2::bytea[]) ORDER BY s.name, s.id`,
          [tenantId, own],
        );
        if (!students.length) {
          ctx.log(`mentorships seed: ${college.code} has no students yet, skipped`);
          return;
        }
        const active: { studentId: string; side: string }[] = await m.query(
          `SELECT student_id AS "studentId", side FROM mentorships WHERE tenant_id = $1 AND ended_on IS NULL`,
          [tenantId],
        );
        const has = new Set(active.map((a) => `${a.studentId}:${a.side}`));
        const teachers = await mentorsOf(m, tenantId, 'college', ctx.ids.users.get(loginOf(college.mentor)) ?? null);
        const mentors = await mentorsOf(m, tenantId, 'enterprise', null);
        const partners = await partnersInForce(m, tenantId);

        let next = 0;
        const without: string[] = [];
        for (const student of students) {
          if (!has.has(`${student.id}:college`) && teachers.length) {
            await assign(ctx, m, tenantId, student, 'college', teachers[next++ % teachers.length]);
          }
          if (has.has(`${student.id}:enterprise`)) continue;
          const allowed = partners.get(student.programmeId);
          // R-TRN-3: a partner of the student's programme with an agreement in force; the least-loaded first (linked logins win ties).
          const mentor = mentors
            .filter((x) => x.enterpriseId && allowed?.has(x.enterpriseId) && x.load < LOAD_LIMIT)
            .reduce<Mentor | undefined>((best, x) => (!best || x.load < best.load ? x : best), undefined);
          if (mentor) await assign(ctx, m, tenantId, student, 'enterprise', mentor);
          else without.push(student.name);
        }
        if (without.length) {
          ctx.log(`mentorships seed: ${college.code}: no partner mentor with an agreement in force (or all at ${LOAD_LIMIT}) for ${without.length} student(s), e.g. ${without[0]}; enterprise side skipped`);
        }

        // A few guidance entries, only for students without any yet.
        for (const student of students.slice(0, GUIDED_STUDENTS_PER_COLLEGE)) {
          const pairs: { id: string; side: 'college' | 'enterprise'; staffMemberId: string }[] = await m.query(
            `SELECT id, side, staff_member_id AS "staffMemberId" FROM mentorships WHERE tenant_id = $1 AND student_id = $2 AND ended_on IS NULL`,
            [tenantId, student.id],
          );
          const logged = await m.query('SELECT 1 FROM guidance_records WHERE tenant_id = $1 AND student_id = $2 LIMIT 1', [tenantId, student.id]);
          if (logged.length) continue;
          for (const [side, days, kind, notes] of GUIDANCE) {
            const pair = pairs.find((p) => p.side === side);
            if (!pair) continue;
            await m.query(
              `INSERT INTO guidance_records (tenant_id, mentorship_id, student_id, staff_member_id, occurred_on, kind, notes)
               VALUES ($1, $2, $3, $4, LEAST($5::date + $6::int, china_today()), $7, $8)`,
              [tenantId, pair.id, student.id, pair.staffMemberId, student.startedOn, days, kind, notes],
            );
            ctx.count('guidance_records', 1);
          }
        }
      });
    }
  },
};
