import { EntityManager } from 'typeorm';
import { previousChinaMonth, reportJobId } from '../../../modules/reports';
import { currentClock } from '../../time/clock';
import { DEMO_COLLEGES, loginOf } from './demo-data';
import { SeedContext, SeedStep } from './seed-context';

/**
 * Issue 13 demo: a KPI report of 广州工贸 that its admin asked for (PDF), and last month's
 * province report (PDF, the monthly schedule's own key, so the schedule later finds it made).
 * The seed writes the rows and their `reports.generate` jobs through the outbox, as
 * POST /reports does; the demo's worker renders them in its first seconds, so both are `done`
 * by the time anyone signs in. Idempotent: by title (college) and schedule key (province).
 */
async function enqueue(m: EntityManager, owner: string | null, reportId: string): Promise<void> {
  await m.query(`INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ('reports', 'reports.generate', $1, $2)`, [reportJobId(reportId), { tenantId: owner, reportId }]);
}

export const reportsSeed: SeedStep = {
  name: 'reports',
  async run(ctx: SeedContext) {
    const gzgm = DEMO_COLLEGES.find((c) => c.code === 'gzgm')!;
    const tenantId = ctx.ids.tenants.get(gzgm.code);
    if (!tenantId) return;
    const title = `${gzgm.name} 学院关键指标报表`;
    await ctx.tx({ tenantId }, async (m) => {
      const rows: { id: string }[] = await m.query(
        `INSERT INTO reports (tenant_id, kind, level, college_id, subject_id, format, title, requested_by)
         SELECT $1::uuid, 'kpi', 'college', $1::uuid, $1::uuid, 'pdf', $2::varchar, $3::uuid
         WHERE NOT EXISTS (SELECT 1 FROM reports WHERE tenant_id = $1::uuid AND title = $2::varchar) RETURNING id`,
        [tenantId, title, ctx.ids.users.get(loginOf(gzgm.admin)) ?? null],
      );
      for (const r of rows) await enqueue(m, tenantId, r.id);
      ctx.count('reports', rows.length);
    });
    const month = previousChinaMonth(currentClock().now());
    await ctx.tx({ tenantId: '', scope: 'province' }, async (m) => {
      const rows: { id: string }[] = await m.query(
        `INSERT INTO reports (tenant_id, kind, level, format, title, schedule_key) VALUES (NULL, 'kpi', 'province', 'pdf', $1, $2)
         ON CONFLICT (tenant_id, schedule_key) WHERE schedule_key IS NOT NULL DO NOTHING RETURNING id`,
        [`广东省学制技师培养关键指标月报（${month.slice(0, 4)}年${Number(month.slice(5))}月）`, `monthly-province:${month}:pdf`],
      );
      for (const r of rows) await enqueue(m, null, r.id);
      ctx.count('reports', rows.length);
    });
  },
};
