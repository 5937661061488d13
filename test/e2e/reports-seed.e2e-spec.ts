import { ReportGenerator } from '../../modules/reports';
import { DEMO_PASSWORD, seedDemo } from '../../src/database/seed/index';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { bearer, bootApp, login, TestApp } from '../setup/app';

/**
 * Issue 13 demo: the seed leaves a 广州工贸 KPI report (asked for by its admin) and last month's
 * province report, each with its job in the outbox; once the worker has run them, the college
 * admin and the province admin each see a finished report and can download it.
 */
describe('reports demo seed (e2e)', () => {
  let t: TestApp;
  let seeded: { id: string; tenantId: string | null; title: string }[];

  beforeAll(async () => {
    t = await bootApp();
    const owner = process.env.DATABASE_MIGRATION_URL!;
    await seedDemo(owner);
    const second = await seedDemo(owner);
    expect(second.inserted.reports ?? 0).toBe(0);
    const { Client } = await import('pg');
    const db = new Client({ connectionString: owner });
    await db.connect();
    try {
      // the outbox rows the seed wrote are what the worker's relay hands to BullMQ
      const jobs = await db.query(`SELECT payload FROM outbox WHERE job_name = 'reports.generate' AND job_id LIKE 'report-%'`);
      seeded = jobs.rows.map((r) => ({ id: r.payload.reportId, tenantId: r.payload.tenantId, title: '' }));
    } finally {
      await db.end();
    }
    // the worker, as it runs each job
    for (const r of seeded) {
      const run = () => t.app.get(ReportGenerator, { strict: false }).generate(r.id);
      await (r.tenantId ? t.app.get(TenantContext).runAsTenant(r.tenantId, run) : t.app.get(TenantContext).runAsProvinceSystem(run));
    }
  }, 180_000);
  afterAll(async () => t.close());

  for (const [who, expected] of [
    ['admin@gzgm.demo', '广州市工贸技师学院 学院关键指标报表'],
    ['admin@province.demo', '广东省学制技师培养关键指标月报'],
  ] as const) {
    it(`${who} sees a finished report and downloads it as a PDF`, async () => {
      const token = (await login(t, who, DEMO_PASSWORD)).accessToken;
      const list = await t.http().get('/api/v1/reports').query({ status: 'done' }).set(bearer(token)).expect(200);
      // the seeded report is a PDF; other files of the run may have asked for the same report as XLSX
      const report = list.body.items.find((r: { title: string; format: string }) => r.title.startsWith(expected) && r.format === 'pdf');
      expect(report).toMatchObject({ status: 'done', format: 'pdf', progress: 100 });
      const link = await t.http().post(`/api/v1/reports/${report.id}/link`).set(bearer(token)).expect(200);
      const file = await t.http().get(link.body.url).buffer(true).expect(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(Number(file.headers['content-length'])).toBe(report.sizeBytes);
    });
  }
});
