import { MANDATORY_REVIEW_CRITERIA } from '../../../modules/pilots';
import { chinaToday } from '../../time/china-date';
import { SeedContext, SeedStep } from './seed-context';

/**
 * Reminders due on the demo's first day (issue 13), relative to today:
 * - a second-round pilot notice whose deadline is in 7 days, addressed to 广州工贸 and 佛山技师
 *   (→ their college admins: "试点申报7天后截止");
 * - at 广州工贸, on the first demo placement, an evening hours entry logged 4 days ago and one
 *   logged 8 days ago, both still pending (→ the enterprise mentor: waiting more than 3 days;
 *   → the enterprise admin: more than 7 days).
 * The demo queues today's reminder check when it starts (src/demo.ts); afterwards the
 * schedule runs it daily at 08:05. Idempotent: rows are found by their title / activity text.
 */
const PROVINCE = { tenantId: '', scope: 'province' as const };
const WAITING_ACTIVITY = '晚间加班：配合班组完成液压缸套批量抽检，整理检测记录（待企业导师确认）';

const addDays = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

async function noticeDueIn7Days(ctx: SeedContext, today: string): Promise<void> {
  const year = Number(today.slice(0, 4));
  const title = `关于组织申报 ${year} 年学制技师培养试点专业（第二批）的通知`;
  const colleges = ['gzgm', 'fsjs'].map((code) => ctx.ids.tenants.get(code)).filter((id): id is string => !!id);
  if (!colleges.length) return;
  await ctx.tx(PROVINCE, async (m) => {
    if ((await m.query('SELECT 1 FROM pilot_notices WHERE title = $1', [title])).length) return;
    const [n] = await m.query(
      `INSERT INTO pilot_notices (year, title, requirements, materials, review_criteria, deadline, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        year,
        title,
        '第二批申报面向已具备条件但未参加第一批申报的专业：服务“双十”产业集群，人才培养方案经专业建设指导委员会评审通过，与 1–2 家符合条件的企业签订联合培养协议。',
        JSON.stringify(['人才培养方案', '合作企业资质材料及校企联合培养协议', '管理方案：考核评价方案、管理制度、招生与就业计划']),
        JSON.stringify(MANDATORY_REVIEW_CRITERIA),
        addDays(today, 7),
        ctx.ids.users.get('admin@province.demo') ?? null,
      ],
    );
    ctx.count('pilot_notices', 1);
    for (const collegeId of colleges) {
      await m.query(`INSERT INTO pilot_notice_recipients (notice_id, college_id, eligible) VALUES ($1, $2, true)`, [n.id, collegeId]);
      ctx.count('pilot_notice_recipients', 1);
    }
  });
}

async function hoursWaitingOnMentor(ctx: SeedContext, today: string): Promise<void> {
  const tenantId = ctx.ids.tenants.get('gzgm');
  if (!tenantId) return;
  await ctx.tx({ tenantId }, async (m) => {
    const [placement] = await m.query(
      `SELECT pl.id, pl.student_id FROM placements pl WHERE pl.tenant_id = $1 AND pl.starts_on <= $2::date - 8 AND pl.ends_on >= $2::date ORDER BY pl.created_at, pl.id LIMIT 1`,
      [tenantId, today],
    );
    if (!placement) return;
    if ((await m.query('SELECT 1 FROM practice_hours_entries WHERE tenant_id = $1 AND placement_id = $2 AND activity = $3', [tenantId, placement.id, WAITING_ACTIVITY])).length) return;
    for (const daysAgo of [4, 8]) {
      const day = addDays(today, -daysAgo);
      await m.query(
        `INSERT INTO practice_hours_entries (tenant_id, placement_id, student_id, work_date, starts_at, ends_at, activity, status, created_at)
         VALUES ($1, $2, $3, $4, '18:30', '20:30', $5, 'pending', ($4::date + time '20:45') AT TIME ZONE 'Asia/Shanghai')`,
        [tenantId, placement.id, placement.student_id, day, WAITING_ACTIVITY],
      );
      ctx.count('practice_hours_entries', 1);
    }
  });
}

export const remindersSeed: SeedStep = {
  name: 'reminders',
  async run(ctx) {
    const today = chinaToday();
    await noticeDueIn7Days(ctx, today);
    await hoursWaitingOnMentor(ctx, today);
  },
};
