import { randomBytes } from 'node:crypto';

import type { IdentityFactory } from '../../factories/identity.factory';
import { inTenant, planRow } from './programmes.fixtures';
import { partnerProgramme, staffRow } from './staff.fixtures';
import type { Actor, MatrixWorld, RouteFixture } from './types';
import { chinaToday } from '../../../src/time/china-date';

const tag = () => randomBytes(3).toString('hex');

/** `YYYY-MM-DD` shifted by whole days (China calendar dates). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const today = () => chinaToday();

// ---- the world practice, work orders and projects need (students are issue 5's table, written directly)

export interface PracticeWorld {
  tenantId: string;
  enterpriseId: string;
  programmeId: string;
  studentId: string;
  collegeMentorId: string;
  enterpriseMentorId: string;
  /** a placement in the plan's enterprise stage (index 1, 480 h) from 60 days ago to 60 days ahead; absent with `placement: false` */
  placementId: string;
  startsOn: string;
  endsOn: string;
}

export interface PracticeWorldOptions {
  /** link the college mentor's staff record to this user */
  collegeUserId?: string;
  /** link the enterprise mentor's staff record to this user */
  enterpriseUserId?: string;
  placement?: boolean;
  startsOn?: string;
  endsOn?: string;
}

/**
 * A programme partnered with `enterpriseId` on a current plan (planContent: stage 0
 * learning factory 320 h, stage 1 enterprise 480 h), a higher-vocational cohort (no
 * senior-worker stage, so enrolled students are in the technician stage), one enrolled
 * student, an active college and enterprise mentor (R-TRN-3) and, unless told, a placement.
 */
export async function practiceWorld(f: IdentityFactory, tenantId: string, enterpriseId: string, o: PracticeWorldOptions = {}): Promise<PracticeWorld> {
  const programmeId = await partnerProgramme(f, tenantId, enterpriseId);
  const planId = await planRow(f, tenantId, programmeId, 1, 'current');
  const studentId = await inTenant(f, tenantId, async () => {
    const cohort = await f.query(
      `INSERT INTO cohorts (tenant_id, programme_id, plan_version_id, name, intake_year, track_code, start_date, duration_months, senior_worker_stage_months)
       VALUES ($1, $2, $3, $4, 2025, 'higher-vocational', DATE '2025-09-01', 24, 0) RETURNING id`,
      [tenantId, programmeId, planId, `2025级数控技师${tag()}班`],
    );
    const r = await f.query(
      `INSERT INTO students (tenant_id, cohort_id, programme_id, name, gender, date_of_birth, id_number_enc, id_number_hash, id_number_masked,
                             entry_level, status, admitted_on, enrolled_on)
       VALUES ($1, $2, $3, $4, 'male', DATE '2005-03-18', $5, $6, '4401**********123X', 'higher-vocational', 'enrolled', DATE '2025-08-20', DATE '2025-09-01')
       RETURNING id`,
      [tenantId, cohort.rows[0].id, programmeId, `实践学生${tag()}`, randomBytes(40), randomBytes(32)],
    );
    return r.rows[0].id as string;
  });
  const collegeMentorId = await staffRow(f, tenantId, { name: `院校导师${tag()}`, userId: o.collegeUserId ?? null });
  const enterpriseMentorId = await staffRow(f, tenantId, { enterpriseId, name: `企业导师${tag()}`, userId: o.enterpriseUserId ?? null });
  await inTenant(f, tenantId, async () => {
    for (const [side, staff] of [['college', collegeMentorId], ['enterprise', enterpriseMentorId]]) {
      await f.query(`INSERT INTO mentorships (tenant_id, student_id, side, staff_member_id, started_on) VALUES ($1, $2, $3, $4, DATE '2025-09-01')`, [tenantId, studentId, side, staff]);
    }
  });
  const startsOn = o.startsOn ?? addDays(today(), -60);
  const endsOn = o.endsOn ?? addDays(today(), 60);
  const placementId = o.placement === false ? '' : await placementRow(f, tenantId, studentId, enterpriseId, startsOn, endsOn);
  return { tenantId, enterpriseId, programmeId, studentId, collegeMentorId, enterpriseMentorId, placementId, startsOn, endsOn };
}

export async function placementRow(f: IdentityFactory, tenantId: string, studentId: string, enterpriseId: string, startsOn: string, endsOn: string): Promise<string> {
  return inTenant(f, tenantId, async () => {
    const r = await f.query(
      `INSERT INTO placements (tenant_id, student_id, partnership_id, enterprise_id, site, post, training_plan_id, stage_index, stage_name, planned_hours, starts_on, ends_on)
       SELECT $1, s.id, p.id, p.enterprise_id, 'enterprise', '数控车间 CK6150 数控车床操作岗', c.plan_version_id, 1, '企业岗位实践（二）：数控车间顶岗', 480, $4, $5
       FROM students s JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id
       JOIN partnerships p ON p.tenant_id = s.tenant_id AND p.programme_id = s.programme_id AND p.enterprise_id = $3
       WHERE s.tenant_id = $1 AND s.id = $2 LIMIT 1 RETURNING id`,
      [tenantId, studentId, enterpriseId, startsOn, endsOn],
    );
    return r.rows[0].id as string;
  });
}

/** An hours entry written directly; `day` days before today, 08:00–12:00 unless told. */
export async function hoursRow(
  f: IdentityFactory,
  w: PracticeWorld,
  v: { daysAgo?: number; from?: string; to?: string; status?: 'pending' | 'confirmed' | 'rejected' } = {},
): Promise<string> {
  const status = v.status ?? 'pending';
  return inTenant(f, w.tenantId, async () => {
    const r = await f.query(
      `INSERT INTO practice_hours_entries (tenant_id, placement_id, student_id, work_date, starts_at, ends_at, activity, status, rejection_reason, decided_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, '数控车床操作：法兰盘粗车', $7, $8, $9, $10) RETURNING id`,
      [
        w.tenantId, w.placementId, w.studentId, addDays(today(), -(v.daysAgo ?? 1)), v.from ?? '08:00', v.to ?? '12:00', status,
        status === 'rejected' ? '当天未安排实操' : null,
        status === 'pending' ? null : w.enterpriseMentorId,
        status === 'pending' ? null : new Date(),
      ],
    );
    return r.rows[0].id as string;
  });
}

/** A work order written directly in a status; in-progress and later ones carry one 4 h process record. */
export async function workOrderRow(f: IdentityFactory, w: PracticeWorld, status: 'issued' | 'in-progress' | 'submitted' | 'accepted' = 'issued', hours = 4): Promise<string> {
  return inTenant(f, w.tenantId, async () => {
    const r = await f.query(
      `INSERT INTO work_orders (tenant_id, placement_id, student_id, issued_by, title, kind, description, skill_standard_items, due_on, expected_hours, status,
                                submitted_at, score, accepted_by, accepted_at)
       VALUES ($1, $2, $3, $4, '法兰盘批量数控车削首件加工', 'equipment-operation', '按图纸完成首件加工与检验', ARRAY['2.1.1 能编制数控车削工艺'], $5, 16, $6,
               $7, $8, $9, $10) RETURNING id`,
      [
        w.tenantId, w.placementId, w.studentId, w.enterpriseMentorId, addDays(today(), 30), status,
        status === 'submitted' || status === 'accepted' ? new Date() : null,
        status === 'accepted' ? 90 : null,
        status === 'accepted' ? w.enterpriseMentorId : null,
        status === 'accepted' ? new Date() : null,
      ],
    );
    const id = r.rows[0].id as string;
    await f.query(`INSERT INTO work_order_events (tenant_id, work_order_id, kind, staff_member_id) VALUES ($1, $2, 'issued', $3)`, [w.tenantId, id, w.enterpriseMentorId]);
    if (status !== 'issued') {
      await f.query(`INSERT INTO work_order_events (tenant_id, work_order_id, kind, text, hours) VALUES ($1, $2, 'record', '完成首件粗车', $3)`, [w.tenantId, id, hours]);
    }
    return id;
  });
}

/** A project written directly; `approved` sets both mentors' approvals, `midChecked` a passed mid-check. */
export async function projectRow(f: IdentityFactory, w: PracticeWorld, v: { approved?: boolean; midChecked?: boolean } = {}): Promise<string> {
  return inTenant(f, w.tenantId, async () => {
    const r = await f.query(
      `INSERT INTO projects (tenant_id, student_id, topic, summary, college_approved_by, college_approved_at, enterprise_approved_by, enterprise_approved_at,
                             mid_check_on, mid_check_result)
       VALUES ($1, $2, '薄壁套类零件数控车削变形控制工艺研究', '优化装夹方式与切削参数', $3, $4, $5, $4, $6, $7) RETURNING id`,
      [
        w.tenantId, w.studentId,
        v.approved ? w.collegeMentorId : null, v.approved ? new Date() : null, v.approved ? w.enterpriseMentorId : null,
        v.midChecked ? addDays(today(), -5) : null, v.midChecked ? 'pass' : null,
      ],
    );
    return r.rows[0].id as string;
  });
}

export async function milestoneRow(f: IdentityFactory, tenantId: string, projectId: string): Promise<string> {
  return inTenant(f, tenantId, async () => {
    const r = await f.query(`INSERT INTO project_milestones (tenant_id, project_id, title, due_on) VALUES ($1, $2, '完成工艺方案与试切', $3) RETURNING id`, [
      tenantId, projectId, addDays(today(), 30),
    ]);
    return r.rows[0].id as string;
  });
}

// ---- matrix

/** A world the actor may see and act in: a mentor's own mentee, the enterprise admin's enterprise. */
const mine = (w: MatrixWorld, a: Actor, o: PracticeWorldOptions = {}) =>
  practiceWorld(w.f, w.tenantA, w.enterpriseE, {
    ...o,
    collegeUserId: a.role === 'college-mentor' ? a.userId : undefined,
    enterpriseUserId: a.role === 'enterprise-mentor' ? a.userId : undefined,
  });
/** Another college's world: nobody's account is linked there. */
const foreignWorld = (w: MatrixWorld, o: PracticeWorldOptions = {}) => practiceWorld(w.f, w.tenantB, w.enterpriseE, o);

const recordBody = { text: '完成首件粗车、半精车，外圆尺寸检测合格', hours: 3 };

/** Routes of the practice, work-orders and projects modules (issue 5). */
export const PRACTICE_FIXTURES: Record<string, RouteFixture> = {
  'POST /api/v1/practice/placements': {
    build: async (w, a) => {
      const x = await mine(w, a, { placement: false });
      return {
        path: '/api/v1/practice/placements',
        body: { studentId: x.studentId, enterpriseId: x.enterpriseId, stageIndex: 1, post: '数控车间顶岗', startsOn: addDays(today(), -10), endsOn: addDays(today(), 90) },
      };
    },
  },
  'GET /api/v1/practice/placements': { build: async () => ({ path: '/api/v1/practice/placements', query: { limit: '5' } }) },
  'GET /api/v1/practice/placements/:id': {
    build: async (w, a) => ({ path: `/api/v1/practice/placements/${(await mine(w, a)).placementId}` }),
    foreign: async (w) => ({ path: `/api/v1/practice/placements/${(await foreignWorld(w)).placementId}` }),
  },
  'GET /api/v1/practice/progress': { build: async (w, a) => ({ path: '/api/v1/practice/progress', query: { studentId: (await mine(w, a)).studentId } }) },
  'POST /api/v1/practice/hours': {
    build: async (w, a) => ({
      path: '/api/v1/practice/hours',
      body: { placementId: (await mine(w, a)).placementId, workDate: addDays(today(), -1), startTime: '08:30', endTime: '12:00', activity: '数控车床操作' },
    }),
  },
  'GET /api/v1/practice/hours': { build: async () => ({ path: '/api/v1/practice/hours', query: { limit: '5' } }) },
  'PATCH /api/v1/practice/hours/:id': {
    build: async (w, a) => ({ path: `/api/v1/practice/hours/${await hoursRow(w.f, await mine(w, a))}`, body: { endTime: '11:30', version: 1 } }),
    foreign: async (w) => ({ path: `/api/v1/practice/hours/${await hoursRow(w.f, await foreignWorld(w))}`, body: { endTime: '11:30', version: 1 } }),
  },
  'POST /api/v1/practice/hours/:id/confirm': {
    build: async (w, a) => ({ path: `/api/v1/practice/hours/${await hoursRow(w.f, await mine(w, a))}/confirm` }),
    foreign: async (w) => ({ path: `/api/v1/practice/hours/${await hoursRow(w.f, await foreignWorld(w))}/confirm` }),
  },
  'POST /api/v1/practice/hours/:id/reject': {
    build: async (w, a) => ({ path: `/api/v1/practice/hours/${await hoursRow(w.f, await mine(w, a))}/reject`, body: { reason: '当天车间停产检修' } }),
    foreign: async (w) => ({ path: `/api/v1/practice/hours/${await hoursRow(w.f, await foreignWorld(w))}/reject`, body: { reason: '当天车间停产检修' } }),
  },

  'POST /api/v1/work-orders': {
    build: async (w, a) => ({
      path: '/api/v1/work-orders',
      body: {
        placementId: (await mine(w, a)).placementId, title: '主轴箱换挡机构故障排查', kind: 'technical-problem', description: '排查 CK6150 换挡异响原因并提出处理方案',
        skillStandardItems: ['2.3.1 能诊断数控车床常见机械故障'], dueOn: addDays(today(), 14), expectedHours: 8,
      },
    }),
  },
  'GET /api/v1/work-orders': { build: async () => ({ path: '/api/v1/work-orders', query: { limit: '5' } }) },
  'GET /api/v1/work-orders/:id': {
    build: async (w, a) => ({ path: `/api/v1/work-orders/${await workOrderRow(w.f, await mine(w, a))}` }),
    foreign: async (w) => ({ path: `/api/v1/work-orders/${await workOrderRow(w.f, await foreignWorld(w))}` }),
  },
  'POST /api/v1/work-orders/:id/records': {
    build: async (w, a) => ({ path: `/api/v1/work-orders/${await workOrderRow(w.f, await mine(w, a))}/records`, body: recordBody }),
    foreign: async (w) => ({ path: `/api/v1/work-orders/${await workOrderRow(w.f, await foreignWorld(w))}/records`, body: recordBody }),
  },
  'POST /api/v1/work-orders/:id/submit': {
    build: async (w, a) => ({ path: `/api/v1/work-orders/${await workOrderRow(w.f, await mine(w, a), 'in-progress')}/submit` }),
    foreign: async (w) => ({ path: `/api/v1/work-orders/${await workOrderRow(w.f, await foreignWorld(w), 'in-progress')}/submit` }),
  },
  'POST /api/v1/work-orders/:id/accept': {
    build: async (w, a) => ({ path: `/api/v1/work-orders/${await workOrderRow(w.f, await mine(w, a), 'submitted')}/accept`, body: { score: 90, comment: '首件一次合格' } }),
    foreign: async (w) => ({ path: `/api/v1/work-orders/${await workOrderRow(w.f, await foreignWorld(w), 'submitted')}/accept`, body: { score: 90, comment: '首件一次合格' } }),
  },
  'POST /api/v1/work-orders/:id/reject': {
    build: async (w, a) => ({ path: `/api/v1/work-orders/${await workOrderRow(w.f, await mine(w, a), 'submitted')}/reject`, body: { reason: '粗糙度未达要求' } }),
    foreign: async (w) => ({ path: `/api/v1/work-orders/${await workOrderRow(w.f, await foreignWorld(w), 'submitted')}/reject`, body: { reason: '粗糙度未达要求' } }),
  },

  'POST /api/v1/projects': {
    build: async (w, a) => ({ path: '/api/v1/projects', body: { studentId: (await mine(w, a, { placement: false })).studentId, topic: '液压缸套车削变形控制', summary: '优化装夹与切削参数' } }),
  },
  'GET /api/v1/projects': { build: async () => ({ path: '/api/v1/projects', query: { limit: '5' } }) },
  'GET /api/v1/projects/:id': {
    build: async (w, a) => ({ path: `/api/v1/projects/${await projectRow(w.f, await mine(w, a))}` }),
    foreign: async (w) => ({ path: `/api/v1/projects/${await projectRow(w.f, await foreignWorld(w))}` }),
  },
  'PATCH /api/v1/projects/:id': {
    build: async (w, a) => ({ path: `/api/v1/projects/${await projectRow(w.f, await mine(w, a))}`, body: { topic: '新课题', summary: '新摘要', version: 1 } }),
    foreign: async (w) => ({ path: `/api/v1/projects/${await projectRow(w.f, await foreignWorld(w))}`, body: { topic: '新课题', summary: '新摘要', version: 1 } }),
  },
  'POST /api/v1/projects/:id/approvals': {
    build: async (w, a) => ({ path: `/api/v1/projects/${await projectRow(w.f, await mine(w, a))}/approvals`, body: { side: a.role === 'enterprise-mentor' ? 'enterprise' : 'college' } }),
    foreign: async (w, a) => ({ path: `/api/v1/projects/${await projectRow(w.f, await foreignWorld(w))}/approvals`, body: { side: a.role === 'enterprise-mentor' ? 'enterprise' : 'college' } }),
  },
  'POST /api/v1/projects/:id/milestones': {
    build: async (w, a) => ({ path: `/api/v1/projects/${await projectRow(w.f, await mine(w, a), { approved: true })}/milestones`, body: { title: '完成试切', dueOn: addDays(today(), 30) } }),
    foreign: async (w) => ({ path: `/api/v1/projects/${await projectRow(w.f, await foreignWorld(w), { approved: true })}/milestones`, body: { title: '完成试切', dueOn: addDays(today(), 30) } }),
  },
  'POST /api/v1/projects/:id/milestones/:milestoneId/complete': {
    build: async (w, a) => {
      const x = await mine(w, a);
      const p = await projectRow(w.f, x, { approved: true });
      return { path: `/api/v1/projects/${p}/milestones/${await milestoneRow(w.f, w.tenantA, p)}/complete`, body: { doneOn: today() } };
    },
    foreign: async (w) => {
      const p = await projectRow(w.f, await foreignWorld(w), { approved: true });
      return { path: `/api/v1/projects/${p}/milestones/${await milestoneRow(w.f, w.tenantB, p)}/complete`, body: { doneOn: today() } };
    },
  },
  'POST /api/v1/projects/:id/mid-check': {
    build: async (w, a) => ({ path: `/api/v1/projects/${await projectRow(w.f, await mine(w, a), { approved: true })}/mid-check`, body: { checkedOn: today(), result: 'pass', comment: '进度正常' } }),
    foreign: async (w) => ({ path: `/api/v1/projects/${await projectRow(w.f, await foreignWorld(w), { approved: true })}/mid-check`, body: { checkedOn: today(), result: 'pass', comment: '进度正常' } }),
  },
  'POST /api/v1/projects/:id/defence': {
    build: async (w, a) => {
      const x = await mine(w, a);
      const expert = await staffRow(w.f, w.tenantA, { name: `答辩专家${tag()}`, skillLevelCode: 'level-2' });
      return { path: `/api/v1/projects/${await projectRow(w.f, x, { approved: true, midChecked: true })}/defence`, body: defenceBody(x, expert) };
    },
    foreign: async (w) => {
      const x = await foreignWorld(w);
      const expert = await staffRow(w.f, w.tenantB, { skillLevelCode: 'level-2' });
      return { path: `/api/v1/projects/${await projectRow(w.f, x, { approved: true, midChecked: true })}/defence`, body: defenceBody(x, expert) };
    },
  },
};

export function defenceBody(x: PracticeWorld, expertId: string, result: 'pass' | 'fail' = 'pass') {
  return {
    heldOn: today(),
    result,
    panel: [
      { staffMemberId: x.collegeMentorId, score: 86 },
      { staffMemberId: x.enterpriseMentorId, score: 90 },
      { staffMemberId: expertId, score: 84, comment: '工艺分析透彻' },
    ],
  };
}
