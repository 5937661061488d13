import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import ExcelJS from 'exceljs';
import { AppConfig } from '../../config/app-config';
import { MonthlyReportService, REPORT_STORAGE, ReportGenerator, ReportsProcessor } from '../../modules/reports';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { Clock, currentClock, setClock } from '../../src/time/clock';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { pdfText } from '../setup/pdf-text';
import { cohortRow, programmeWithPlan } from './matrix/cohorts.fixtures';
import { certificatesFor, graduatingCohort, studentsIn } from './matrix/graduates.fixtures';
import { inTenant } from './matrix/programmes.fixtures';

type Kpi = { key: string; name: string; numerator: number; denominator: number; ratio: number | null; target: number | null; met: boolean | null };

const binary = (r: import('superagent').Response, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  (r as unknown as NodeJS.ReadableStream).on('data', (c: Buffer) => chunks.push(c));
  (r as unknown as NodeJS.ReadableStream).on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('reports (issue 13, e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let other: string;
  let staff: string;
  let staffB: string;
  let province: string;
  let enterprise: string;

  /** The job as the worker runs it: in the owner's context (a college, or province scope). */
  const runJob = (owner: string | null, reportId: string) => {
    const generate = () => t.app.get(ReportGenerator, { strict: false }).generate(reportId);
    const ctx = t.app.get(TenantContext);
    return owner ? ctx.runAsTenant(owner, generate) : ctx.runAsProvinceSystem(generate);
  };
  const request = (token: string, body: object) => t.http().post('/api/v1/reports').set(bearer(token)).send(body);
  const download = async (token: string, id: string) => {
    const link = await t.http().post(`/api/v1/reports/${id}/link`).set(bearer(token)).expect(200);
    const file = await t.http().get(link.body.url).buffer(true).parse(binary).expect(200);
    // REPORTS_FILE_DIR=/tmp/x keeps every downloaded file, to look at the PDFs as rendered pages (pdftoppm)
    if (process.env.REPORTS_FILE_DIR) writeFileSync(join(process.env.REPORTS_FILE_DIR, `${id}.${file.headers['content-type'] === 'application/pdf' ? 'pdf' : 'xlsx'}`), file.body);
    return { link: link.body as { url: string; expiresAt: string }, file };
  };

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '报表测试技师学院' });
    other = await f.tenant({ name: '报表测试乙技师学院' });
    staff = (await login(t, (await f.member('college-staff', { tenantId: college })).email, TEST_PASSWORD)).accessToken;
    staffB = (await login(t, (await f.member('college-admin', { tenantId: other })).email, TEST_PASSWORD)).accessToken;
    province = (await login(t, (await f.member('province-admin')).email, TEST_PASSWORD)).accessToken;
    const e = await f.enterprise('报表测试装备有限公司');
    enterprise = (await login(t, (await f.member('enterprise-admin', { tenantId: college, enterpriseId: e })).email, TEST_PASSWORD)).accessToken;
    // 10 graduates of whom 8 hold a verified national technician certificate, and a second cohort of 5 with 2
    const c1 = await graduatingCohort(f, college);
    await certificatesFor(f, college, (await studentsIn(f, college, c1.cohortId, 10)).slice(0, 8), 'national-technician');
    const c2 = await graduatingCohort(f, college);
    await certificatesFor(f, college, (await studentsIn(f, college, c2.cohortId, 5)).slice(0, 2), 'national-technician');
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('a college KPI report job produces an XLSX: a sheet per level, Chinese headers, the KPI service’s numbers', async () => {
    const queued = await request(staff, { kind: 'kpi', scope: { level: 'college' }, format: 'xlsx' }).expect(201);
    expect(queued.body).toMatchObject({ status: 'queued', progress: 0, level: 'college', collegeId: college, subjectId: college, format: 'xlsx' });
    const outbox = await f.query(`SELECT job_name, queue, payload FROM outbox WHERE job_id = $1`, [`report-${queued.body.id}`]);
    expect(outbox.rows[0]).toMatchObject({ job_name: 'reports.generate', queue: 'reports', payload: { tenantId: college, reportId: queued.body.id } });

    await runJob(college, queued.body.id);
    const done = await t.http().get(`/api/v1/reports/${queued.body.id}`).set(bearer(staff)).expect(200);
    expect(done.body).toMatchObject({ status: 'done', progress: 100 });
    expect(done.body.sizeBytes).toBeGreaterThan(1000);

    const { file } = await download(staff, queued.body.id);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['学院', '专业', '班级', '说明']);
    const sheet = wb.getWorksheet('学院')!;
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    expect(headers.slice(0, 3)).toEqual(['学院', '学生数', '毕业生数']);
    expect(headers).toContain('技师水平达成率');
    expect(headers).toContain('技师水平达成率·分子');
    const row = sheet.getRow(2).values as unknown[];
    const cell = (header: string) => row[headers.indexOf(header) + 1];

    const service = (await t.http().get('/api/v1/kpis/college').set(bearer(staff)).expect(200)).body as { name: string; kpis: Kpi[] };
    expect(cell('学院')).toBe(service.name);
    for (const k of service.kpis) {
      expect({ key: k.key, numerator: cell(`${k.name}·分子`), denominator: cell(`${k.name}·分母`), ratio: cell(k.name) ?? null }).toEqual({
        key: k.key,
        numerator: k.numerator,
        denominator: k.denominator,
        ratio: k.ratio,
      });
    }
    // R-EVA-3 summed over cohorts: (8 + 2) / (10 + 5), not a mean of ratios
    expect(cell('技师水平达成率·分子')).toBe(10);
    expect(cell('技师水平达成率·分母')).toBe(15);
    expect(wb.getWorksheet('班级')!.rowCount).toBe(3);
  });

  it('a KPI report as PDF: extractable Chinese title, the KPI table and chart labels, embedded CJK font', async () => {
    const queued = await request(staff, { kind: 'kpi', scope: { level: 'college' }, format: 'pdf' }).expect(201);
    await runJob(college, queued.body.id);
    const { file } = await download(staff, queued.body.id);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toContain("filename*=UTF-8''");
    const pdf = file.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/FontFile2|\/FontFile3/); // the font is embedded (subset), not referenced
    const text = pdfText(pdf);
    expect(text).toContain('报表测试技师学院 学院关键指标报表');
    expect(text).toContain('技师水平达成率');
    expect(text).toContain('各项指标与目标');
    expect(text).toContain('66.7%'); // 10 of 15
    expect(text).not.toContain('\uFFFD'); // every glyph drawn maps back to a character
  });

  it('the download link is refused after it expires (410) and when tampered with (404); the clock decides', async () => {
    const queued = await request(staff, { kind: 'kpi', scope: { level: 'college' }, format: 'xlsx' }).expect(201);
    await runJob(college, queued.body.id);
    const { link } = await download(staff, queued.body.id);
    const expiresAt = Date.parse(link.expiresAt);
    const previous = setClock(Clock.fixed(new Date(expiresAt - 1000)));
    try {
      await t.http().get(link.url).expect(200);
      setClock(Clock.fixed(new Date(expiresAt)));
      const expired = await t.http().get(link.url).expect(410);
      expect(expired.headers['content-type']).toContain('application/problem+json');
      expect(expired.body).toMatchObject({ code: 'REPORTS.LINK_EXPIRED', status: 410 });
      expect(expired.body.title).toContain('过期');
    } finally {
      setClock(previous ?? Clock.system());
    }
    const [body, mac] = link.url.split('/').pop()!.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), e: Date.now() + 86_400_000 })).toString('base64url');
    const tampered = await t.http().get(`/api/v1/reports/files/${forged}.${mac}`).expect(404);
    expect(tampered.body.code).toBe('REPORTS.LINK_INVALID');
  });

  it('a report job that fails after writing part of its file is retried and leaves exactly one file; done once', async () => {
    const queued = await request(staff, { kind: 'kpi', scope: { level: 'college' }, format: 'pdf' }).expect(201);
    const storage = t.app.get(REPORT_STORAGE, { strict: false }) as { put: (...a: unknown[]) => Promise<void> };
    const realPut = storage.put.bind(storage);
    const put = jest.spyOn(storage, 'put').mockImplementationOnce(async (key, data, type, size) => {
      await realPut(key, (data as Buffer).subarray(0, 100), type, 100); // part of the file reaches the storage…
      throw new Error('worker killed'); // …and the attempt dies before the report is marked done
    });
    try {
      await expect(runJob(college, queued.body.id)).rejects.toThrow('worker killed');
      const between = await t.http().get(`/api/v1/reports/${queued.body.id}`).set(bearer(staff)).expect(200);
      expect(between.body.status).toBe('running');
      await runJob(college, queued.body.id); // BullMQ's retry
    } finally {
      put.mockRestore();
    }
    expect(await runJob(college, queued.body.id)).toBeNull(); // a duplicate attempt finds it done and does nothing
    const row = await inTenant(f, college, () => f.query(`SELECT status, attempts, storage_key, size_bytes FROM reports WHERE id = $1`, [queued.body.id]));
    expect(row.rows[0]).toMatchObject({ status: 'done', attempts: 2 });
    const dir = join(t.app.get(AppConfig).STORAGE_DIR, 'reports', college);
    const files = readdirSync(dir).filter((name) => name.startsWith(queued.body.id));
    expect(files).toEqual([`${queued.body.id}-pdf`]); // one key per report: the retry overwrote the partial file
    const { file } = await download(staff, queued.body.id);
    expect(file.body.length).toBe(Number(row.rows[0].size_bytes));
    expect(pdfText(file.body)).toContain('学院关键指标报表');
  });

  it('through BullMQ: an attempt that dies after writing part of the file is retried by the queue; one file, done once', async () => {
    const queued = await request(staff, { kind: 'kpi', scope: { level: 'college' }, format: 'xlsx' }).expect(201);
    const storage = t.app.get(REPORT_STORAGE, { strict: false }) as { put: (...a: unknown[]) => Promise<void> };
    const realPut = storage.put.bind(storage);
    const put = jest.spyOn(storage, 'put').mockImplementationOnce(async (key, data, type) => {
      await realPut(key, (data as Buffer).subarray(0, 64), type, 64);
      throw new Error('worker killed after writing part of the file');
    });
    // the production processor on a queue of this test's own (the worker process builds the same)
    const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', maxRetriesPerRequest: null };
    const prefix = `jrep${Date.now().toString(36)}`;
    const processor = new ReportsProcessor(t.app.get(TenantContext), t.app.get(ReportGenerator, { strict: false }), t.app.get(MonthlyReportService, { strict: false }));
    const queue = new Queue('reports', { connection, prefix });
    const events = new QueueEvents('reports', { connection, prefix });
    const worker = new Worker('reports', (job) => processor.process(job), { connection, prefix, concurrency: 1 });
    try {
      await events.waitUntilReady();
      const job = await queue.add('reports.generate', { tenantId: college, reportId: queued.body.id }, { jobId: `report-${queued.body.id}`, attempts: 3, backoff: { type: 'fixed', delay: 200 } });
      const result = await job.waitUntilFinished(events, 30_000);
      expect(result).toMatchObject({ status: 'done' });
      expect((await queue.getJob(job.id!))!.attemptsMade).toBe(2);
    } finally {
      put.mockRestore();
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
    const row = await inTenant(f, college, () => f.query(`SELECT status, attempts FROM reports WHERE id = $1`, [queued.body.id]));
    expect(row.rows[0]).toEqual({ status: 'done', attempts: 2 });
    const files = readdirSync(join(t.app.get(AppConfig).STORAGE_DIR, 'reports', college)).filter((name) => name.startsWith(queued.body.id));
    expect(files).toEqual([`${queued.body.id}-xlsx`]);
    const { file } = await download(staff, queued.body.id);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body); // the whole file, not the 64 bytes the dead attempt left
    expect(wb.getWorksheet('学院')).toBeDefined();
  });

  it('a job that fails for good (attempts used up) leaves its report failed with a reason, not running forever', async () => {
    const queued = await request(staff, { kind: 'kpi', scope: { level: 'cohort', id: (await cohortRow(f, college)).cohortId }, format: 'pdf' }).expect(201);
    const processor = new ReportsProcessor(t.app.get(TenantContext), t.app.get(ReportGenerator, { strict: false }), t.app.get(MonthlyReportService, { strict: false }));
    const job = (attemptsMade: number) => ({ name: 'reports.generate', attemptsMade, opts: { attempts: 5 }, data: { tenantId: college, reportId: queued.body.id } }) as never;
    await processor.onReportFailed(job(2), new Error('transient'));
    expect((await t.http().get(`/api/v1/reports/${queued.body.id}`).set(bearer(staff)).expect(200)).body.status).toBe('queued');
    await processor.onReportFailed(job(5), new Error('for good'));
    const failed = await t.http().get(`/api/v1/reports/${queued.body.id}`).set(bearer(staff)).expect(200);
    expect(failed.body).toMatchObject({ status: 'failed' });
    expect(failed.body.error).toContain('报表生成失败');
    expect(await runJob(college, queued.body.id)).toBeNull(); // a late attempt does not revive it
  });

  it('access: a college reports on its own college only; province users on any college and the province; enterprises none', async () => {
    const { cohortId: foreignCohort } = await cohortRow(f, other);
    const foreign = await request(staff, { kind: 'kpi', scope: { level: 'cohort', id: foreignCohort }, format: 'xlsx' }).expect(404);
    expect(foreign.body.code).toBe('REPORTS.SUBJECT_NOT_FOUND');
    await request(staff, { kind: 'kpi', scope: { level: 'college', id: other }, format: 'xlsx' }).expect(404);
    expect((await request(staff, { kind: 'kpi', scope: { level: 'province' }, format: 'pdf' }).expect(403)).body.code).toBe('REPORTS.PROVINCE_ONLY');
    await request(enterprise, { kind: 'kpi', scope: { level: 'college' }, format: 'pdf' }).expect(403);
    await t.http().get('/api/v1/reports').set(bearer(enterprise)).expect(403);

    // a province user asks for another college's report: a province row, not visible to either college
    const asked = await request(province, { kind: 'kpi', scope: { level: 'college', id: other }, format: 'xlsx' }).expect(201);
    await runJob(null, asked.body.id);
    expect((await t.http().get(`/api/v1/reports/${asked.body.id}`).set(bearer(province)).expect(200)).body.status).toBe('done');
    await t.http().get(`/api/v1/reports/${asked.body.id}`).set(bearer(staffB)).expect(404);
    // a college's report is another tenant's for the other college: 404, also for its link
    const own = await request(staff, { kind: 'kpi', scope: { level: 'college' }, format: 'xlsx' }).expect(201);
    expect((await t.http().get(`/api/v1/reports/${own.body.id}`).set(bearer(staffB)).expect(404)).body.code).toBe('REPORTS.NOT_FOUND');
    await t.http().post(`/api/v1/reports/${own.body.id}/link`).set(bearer(staffB)).expect(404);
    // not done yet: no link
    expect((await t.http().post(`/api/v1/reports/${own.body.id}/link`).set(bearer(staff)).expect(409)).body.code).toBe('REPORTS.NOT_READY');

    // lists: each side sees its own; keyset pages do not repeat
    const mine = await t.http().get('/api/v1/reports').query({ limit: 2 }).set(bearer(staff)).expect(200);
    expect(mine.body.items).toHaveLength(2);
    const next = await t.http().get('/api/v1/reports').query({ limit: 2, cursor: mine.body.nextCursor }).set(bearer(staff)).expect(200);
    expect(next.body.items.map((r: { id: string }) => r.id)).not.toContain(mine.body.items[0].id);
    const theirs = await t.http().get('/api/v1/reports').set(bearer(staffB)).expect(200);
    expect(theirs.body.items).toEqual([]);
    const provinceList = await t.http().get('/api/v1/reports').query({ mine: 'true' }).set(bearer(province)).expect(200);
    expect(provinceList.body.items.map((r: { id: string }) => r.id)).toContain(asked.body.id);
    expect(provinceList.body.items.map((r: { id: string }) => r.id)).not.toContain(own.body.id);
  });

  it('R-GOV-3 an evaluation dossier of a pilot programme assembles programme, plan, cohorts and KPIs as a PDF', async () => {
    const p = await programmeWithPlan(f, college);
    await inTenant(f, college, () => f.query(`UPDATE programmes SET pilot_status = 'active' WHERE id = $1`, [p.programmeId]));
    const c = await graduatingCohort(f, college, p);
    await certificatesFor(f, college, await studentsIn(f, college, c.cohortId, 4), 'national-technician');
    const notPilot = await programmeWithPlan(f, college);
    expect((await request(staff, { kind: 'evaluation-dossier', scope: { level: 'programme', id: notPilot.programmeId }, format: 'pdf', evaluationKind: 'mid-term' }).expect(422)).body.code).toBe('REPORTS.NOT_A_PILOT');
    expect((await request(staff, { kind: 'evaluation-dossier', scope: { level: 'programme', id: p.programmeId }, format: 'xlsx', evaluationKind: 'mid-term' }).expect(422)).body.code).toBe('REPORTS.DOSSIER_NEEDS_PROGRAMME');

    const queued = await request(province, { kind: 'evaluation-dossier', scope: { level: 'programme', id: p.programmeId }, format: 'pdf', evaluationKind: 'mid-term' }).expect(201);
    expect(queued.body.title).toContain('中期评估材料汇编');
    await runJob(null, queued.body.id);
    const { file } = await download(province, queued.body.id);
    const text = pdfText(file.body);
    expect(text).toContain('中期评估材料汇编');
    expect(text).toContain('人才培养方案');
    expect(text).toContain('关键指标');
    expect(text).toContain('100.0%'); // 4 of 4 attained
  });

  it('the monthly province report is created once per month however often its job runs, and is generated', async () => {
    const monthly = t.app.get(MonthlyReportService, { strict: false });
    const at = currentClock().now();
    const first = await t.app.get(TenantContext).runAsProvinceSystem(() => monthly.run(at));
    const again = await t.app.get(TenantContext).runAsProvinceSystem(() => monthly.run(at));
    expect(again.reportIds).toEqual(first.reportIds);
    const list = await t.http().get('/api/v1/reports').query({ limit: 200 }).set(bearer(province)).expect(200);
    const scheduled = list.body.items.filter((r: { id: string }) => first.reportIds.includes(r.id));
    expect(scheduled).toHaveLength(2);
    expect(scheduled.every((r: { status: string; scheduled: boolean; level: string }) => r.status === 'done' && r.scheduled && r.level === 'province')).toBe(true);
    expect(scheduled[0].title).toContain('广东省学制技师培养关键指标月报');
  });

  it('bad input answers a Chinese problem, never a 500', async () => {
    const res = await request(staff, { kind: 'kpi', scope: { level: 'galaxy' }, format: 'doc' }).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await request(staff, { kind: 'kpi', scope: { level: 'cohort' }, format: 'pdf' }).expect(422)).body.code).toBe('REPORTS.SUBJECT_REQUIRED');
    await t.http().get('/api/v1/reports/not-a-uuid').set(bearer(staff)).expect(404);
    await t.http().get('/api/v1/reports/files/garbage').expect(404);
  });
});
