import { EntityManager } from 'typeorm';

import { DEMO_COLLEGES } from './demo-data';
import { SeedContext, SeedStep } from './seed-context';
import { chinaToday } from '../../time/china-date';
import { demoCipher, demoStudentHashes } from './cohorts.seed';

/**
 * Enterprise practice (R-TRN-4), work orders (R-ENT-3) and projects (R-TRN-3), issue 5.
 * For up to four students per demo college who have both mentors: a placement at their
 * enterprise mentor's enterprise (a partner of the programme) for the plan's first
 * enterprise practice stage, about two weeks of hours entries in every state; for the
 * first of them one work order in each state (one rejected once and back in progress);
 * for the first technician-stage student a project whose topic both mentors approved.
 *
 * Runs after the mentorships step. Idempotent: a student who already has a placement is
 * left alone.
 */
const STUDENTS_PER_COLLEGE = 4;

const addDays = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const ACTIVITIES = [
  '车间安全教育与设备点检，跟岗熟悉 CK6150 数控车床操作面板',
  '在企业导师指导下完成法兰盘粗车、半精车，自检外圆尺寸',
  '编制法兰盘数控车削加工工艺卡，导师审核后修改',
  '批量加工液压缸套 30 件，抽检内孔尺寸与表面粗糙度',
  '参与班组 5S 管理与刀具寿命记录，整理刀具台账',
  '学习三坐标测量机操作，完成首件检测报告',
];

const ORDERS: { status: 'issued' | 'in-progress' | 'submitted' | 'accepted'; rejected?: boolean; title: string; kind: string; items: string[]; records: [string, number][] }[] = [
  { status: 'accepted', title: '法兰盘批量数控车削首件加工与检验', kind: 'equipment-operation', items: ['2.1.1 能编制复杂零件数控车削加工工艺', '2.2.3 能进行首件检验'], records: [['完成首件粗车、半精车，外圆 Φ120±0.02 检测合格', 4], ['完成精车与首件三坐标检测，出具检测报告', 3.5]] },
  { status: 'submitted', title: '液压缸套车削夹具改进', kind: 'process-optimisation', items: ['2.4.1 能进行工艺改进'], records: [['测绘原夹具并分析装夹变形原因', 3], ['设计开口胀套方案并试切 10 件，变形量下降约 60%', 5]] },
  { status: 'in-progress', rejected: true, title: 'CK6150 主轴箱换挡异响故障排查', kind: 'technical-problem', items: ['2.3.1 能诊断数控车床常见机械故障'], records: [['拆检换挡拨叉，发现磨损', 2.5], ['更换拨叉后试运行，异响消失，补充排查记录', 2]] },
  { status: 'issued', title: '车间刀具管理台账数字化整理', kind: 'other', items: ['3.1.2 能进行生产现场管理'], records: [] },
];

interface Candidate {
  studentId: string;
  name: string;
  lifecycleStatus: string;
  planId: string;
  content: { practiceStages?: { name: string; plannedHours: number; siteType: string }[] };
  partnershipId: string;
  enterpriseId: string;
  collegeMentorId: string;
  enterpriseMentorId: string;
}

async function candidates(m: EntityManager, tenantId: string, own: Buffer[]): Promise<Candidate[]> {
  return m.query(
    `SELECT s.id AS "studentId", s.name, s.lifecycle_status AS "lifecycleStatus", c.plan_version_id AS "planId", tp.content,
            p.id AS "partnershipId", p.enterprise_id AS "enterpriseId", cm.staff_member_id AS "collegeMentorId", em.staff_member_id AS "enterpriseMentorId"
     FROM students_v s
     JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id
     JOIN training_plans tp ON tp.tenant_id = s.tenant_id AND tp.id = c.plan_version_id
     JOIN mentorships cm ON cm.tenant_id = s.tenant_id AND cm.student_id = s.id AND cm.side = 'college' AND cm.ended_on IS NULL
     JOIN mentorships em ON em.tenant_id = s.tenant_id AND em.student_id = s.id AND em.side = 'enterprise' AND em.ended_on IS NULL
     JOIN staff_members es ON es.tenant_id = s.tenant_id AND es.id = em.staff_member_id
     JOIN partnerships p ON p.tenant_id = s.tenant_id AND p.programme_id = s.programme_id AND p.enterprise_id = es.enterprise_id AND p.status = 'active'
     WHERE s.tenant_id = $1 AND s.status = 'enrolled' AND s.id_number_hash = ANY($2::bytea[])
       AND NOT EXISTS (SELECT 1 FROM placements pl WHERE pl.tenant_id = s.tenant_id AND pl.student_id = s.id)
     ORDER BY (s.lifecycle_status = 'technician-stage') DESC, s.name
     LIMIT ${STUDENTS_PER_COLLEGE}`,
    [tenantId, own],
  );
}

async function seedStudent(ctx: SeedContext, m: EntityManager, tenantId: string, c: Candidate, withOrders: boolean, withProject: boolean): Promise<void> {
  const stages = c.content.practiceStages ?? [];
  const index = Math.max(stages.findIndex((s) => s.siteType === 'enterprise'), 0);
  const stage = stages[index];
  if (!stage) return;
  const today = chinaToday();
  const [placement] = await m.query(
    `INSERT INTO placements (tenant_id, student_id, partnership_id, enterprise_id, site, post, training_plan_id, stage_index, stage_name, planned_hours, starts_on, ends_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [tenantId, c.studentId, c.partnershipId, c.enterpriseId, stage.siteType, '数控车间 CK6150 数控车床操作岗', c.planId, index, stage.name, stage.plannedHours, addDays(today, -70), addDays(today, 50)],
  );
  ctx.count('placements', 1);
  // Two weeks of mornings and afternoons: older ones confirmed, one rejected, the last days pending.
  let n = 0;
  for (let day = 14; day >= 1; day--) {
    const date = addDays(today, -day);
    if (new Date(`${date}T00:00:00Z`).getUTCDay() % 6 === 0) continue; // weekends off
    for (const [from, to] of [['08:30', '12:00'], ['13:30', '17:30']]) {
      const status = day <= 2 ? 'pending' : day === 5 && from === '13:30' ? 'rejected' : 'confirmed';
      await m.query(
        `INSERT INTO practice_hours_entries (tenant_id, placement_id, student_id, work_date, starts_at, ends_at, activity, status, rejection_reason, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          tenantId, placement.id, c.studentId, date, from, to, ACTIVITIES[n++ % ACTIVITIES.length], status,
          status === 'rejected' ? '当天下午车间停电检修，未安排实操，请核对后修改' : null,
          status === 'pending' ? null : c.enterpriseMentorId,
          status === 'pending' ? null : new Date(),
        ],
      );
      ctx.count('practice_hours_entries', 1);
    }
  }
  if (withOrders) {
    for (const o of ORDERS) {
      const [order] = await m.query(
        `INSERT INTO work_orders (tenant_id, placement_id, student_id, issued_by, title, kind, description, skill_standard_items, due_on, expected_hours, status,
                                  rejections, submitted_at, score, acceptance_comment, accepted_by, accepted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
        [
          tenantId, placement.id, c.studentId, c.enterpriseMentorId, o.title, o.kind, `${o.title}：按企业作业指导书完成并记录过程，提交成果供验收。`, o.items,
          addDays(today, 21), o.records.reduce((s, r) => s + r[1], 0) || 8, o.status, o.rejected ? 1 : 0,
          o.status === 'submitted' || o.status === 'accepted' ? new Date() : null,
          o.status === 'accepted' ? 90 : null,
          o.status === 'accepted' ? '工艺卡编制规范，首件一次合格，达到岗位要求。' : null,
          o.status === 'accepted' ? c.enterpriseMentorId : null,
          o.status === 'accepted' ? new Date() : null,
        ],
      );
      const event = (kind: string, text: string | null, hours = 0, staff: string | null = null, score: number | null = null) =>
        m.query(`INSERT INTO work_order_events (tenant_id, work_order_id, kind, text, hours, staff_member_id, score) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
          tenantId, order.id, kind, text, hours, staff, score,
        ]);
      await event('issued', null, 0, c.enterpriseMentorId);
      const [first, ...rest] = o.records;
      if (first) await event('record', first[0], first[1]);
      if (o.rejected) {
        await event('submitted', null);
        await event('rejected', '排查记录缺少拆检照片和测量数据，请补充后重新提交', 0, c.enterpriseMentorId);
      }
      for (const r of rest) await event('record', r[0], r[1]);
      if (o.status === 'submitted' || o.status === 'accepted') await event('submitted', null);
      if (o.status === 'accepted') await event('accepted', '工艺卡编制规范，首件一次合格，达到岗位要求。', 0, c.enterpriseMentorId, 90);
      ctx.count('work_orders', 1);
    }
  }
  if (withProject) {
    const [p] = await m.query(
      `INSERT INTO projects (tenant_id, student_id, topic, summary, college_approved_by, college_approved_at, enterprise_approved_by, enterprise_approved_at)
       VALUES ($1, $2, '薄壁套类零件数控车削变形控制工艺研究', '针对合作企业液压缸套加工中的装夹变形问题，比较开口胀套与轴向压紧方案，优化切削参数，形成可推广的工艺卡。', $3, now(), $4, now())
       ON CONFLICT (tenant_id, student_id) DO NOTHING RETURNING id`,
      [tenantId, c.studentId, c.collegeMentorId, c.enterpriseMentorId],
    );
    if (p) {
      await m.query(
        `INSERT INTO project_milestones (tenant_id, project_id, title, due_on, done_on, notes) VALUES
           ($1, $2, '完成文献与企业现场调研，提交开题报告', $3, $3, '两位导师已审阅'),
           ($1, $2, '完成夹具方案设计与试切', $4, NULL, NULL),
           ($1, $2, '完成中期检查', $5, NULL, NULL)`,
        [tenantId, p.id, addDays(today, -20), addDays(today, 20), addDays(today, 45)],
      );
      ctx.count('projects', 1);
    }
  }
}

export const practiceSeed: SeedStep = {
  name: 'practice',
  async run(ctx) {
    for (const college of DEMO_COLLEGES) {
      const tenantId = ctx.ids.tenants.get(college.code);
      if (!tenantId) continue;
      await ctx.tx({ tenantId }, async (m) => {
        // Seeded once per college: a second run must not place the next few students.
        const [seeded] = await m.query('SELECT EXISTS (SELECT 1 FROM placements WHERE tenant_id = $1) AS yes', [tenantId]);
        if (seeded.yes) return;
        // only the seed's own students (by ID-number hash), never ones a user imported
        const cipher = demoCipher();
        const list = await candidates(m, tenantId, cipher ? demoStudentHashes(college.code, cipher) : []);
        if (!list.length) {
          ctx.log(`practice seed: ${college.code} has no student with both mentors and no placement; skipped`);
          return;
        }
        const projectFor = list.find((c) => c.lifecycleStatus === 'technician-stage')?.studentId;
        for (const [i, c] of list.entries()) await seedStudent(ctx, m, tenantId, c, i === 0, c.studentId === projectFor);
      });
    }
  },
};
