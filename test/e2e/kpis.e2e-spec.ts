import ExcelJS from 'exceljs';
import { KpiRefreshService } from '../../modules/kpis';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { programmeWithPlan } from './matrix/cohorts.fixtures';
import {
  benchmarkFor,
  certificatesFor,
  employmentFor,
  followUpFor,
  graduatingCohort,
  studentsIn,
  terminalJudged,
} from './matrix/graduates.fixtures';

type Kpi = { key: string; numerator: number; denominator: number; ratio: number | null; met: boolean | null; rag: string; target: number | null };

describe('KPIs, DOMAIN §4 (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let staff: string;
  let viewer: string;
  let city: string;

  const kpisOf = async (path: string, token = staff) => {
    const res = await t.http().get(path).set(bearer(token));
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { kpis: Kpi[]; counts: Record<string, number>; students?: unknown[] | null; asOf: string };
  };
  const kpi = (body: { kpis: Kpi[] }, key: string) => body.kpis.find((k) => k.key === key)!;
  /** The dashboards sum stored per-cohort counts: refresh a college's as the worker job does (kpi-counts.e2e-spec.ts tests the job itself). */
  const refreshStored = (tenantId: string) => t.app.get(TenantContext).runAsTenant(tenantId, () => t.app.get(KpiRefreshService).refresh(null));
  const cohortKpi = async (cohortId: string, key: string) => kpi(await kpisOf(`/api/v1/kpis/cohorts/${cohortId}`), key);

  /** A cohort of `graduates` graduates of whom `attained` hold a verified national certificate. */
  async function attainmentCohort(graduates: number, attained: number) {
    const c = await graduatingCohort(f, college);
    const ids = await studentsIn(f, college, c.cohortId, graduates);
    await certificatesFor(f, college, ids.slice(0, attained), 'national-technician');
    return c;
  }

  /** `employed` employed graduates: `matched` in a matching post, `above` paid 1 yuan above the benchmark (the rest exactly at it). */
  async function employmentCohort(employed: number, v: { matched?: number; above?: number }) {
    const c = await graduatingCohort(f, college);
    const ids = await studentsIn(f, college, c.cohortId, employed);
    const matched = v.matched ?? employed;
    const above = v.above ?? 0;
    for (const [i, id] of ids.entries()) {
      await employmentFor(f, college, [id], { city, matched: i < matched, monthlyPay: i < above ? 7001 : 7000 });
    }
    return c;
  }

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: 'KPI测试技师学院', city: '佛山市' });
    staff = (await login(t, (await f.member('college-staff', { tenantId: college })).email, TEST_PASSWORD)).accessToken;
    viewer = (await login(t, (await f.member('province-viewer')).email, TEST_PASSWORD)).accessToken;
    city = await benchmarkFor(f, 7000);
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('R-EVA-3 attainment of exactly 80 % (8 of 10 graduates) is met', async () => {
    const c = await attainmentCohort(10, 8);
    expect(await cohortKpi(c.cohortId, 'technicianAttainment')).toMatchObject({ numerator: 8, denominator: 10, ratio: 0.8, target: 0.8, met: true, rag: 'green' });
  });

  it('R-EVA-3 attainment just under 80 % (79 of 99) is not met', async () => {
    const c = await attainmentCohort(99, 79);
    const k = await cohortKpi(c.cohortId, 'technicianAttainment');
    expect(k).toMatchObject({ numerator: 79, denominator: 99, met: false, rag: 'amber' });
    expect(k.ratio).toBeLessThan(0.8);
  });

  it('R-EVA-3 a graduate with two verified certificates and a terminal technician judgement counts once', async () => {
    const c = await graduatingCohort(f, college);
    const [both, none] = await studentsIn(f, college, c.cohortId, 2);
    await certificatesFor(f, college, [both], 'national-technician');
    await certificatesFor(f, college, [both], 'industry-technician');
    await terminalJudged(f, college, c.cohortId, c.planId, [both]);
    expect(await cohortKpi(c.cohortId, 'technicianAttainment')).toMatchObject({ numerator: 1, denominator: 2, ratio: 0.5 });
    const g = await t.http().get(`/api/v1/graduates/${both}`).set(bearer(staff)).expect(200);
    expect(g.body).toMatchObject({ technicianLevel: true, routes: { nationalCertificate: true, industryCertificate: true, terminalJudgement: true, hiredAsTechnician: false } });
    expect((await t.http().get(`/api/v1/graduates/${none}`).set(bearer(staff)).expect(200)).body.technicianLevel).toBe(false);
  });

  it('R-EVA-3 an unverified (or rejected) certificate does not count; verified does', async () => {
    const c = await graduatingCohort(f, college);
    const [a, b, v] = await studentsIn(f, college, c.cohortId, 3);
    await certificatesFor(f, college, [a], 'national-technician', 'unverified');
    await certificatesFor(f, college, [b], 'enterprise-technician', 'rejected');
    await certificatesFor(f, college, [v], 'vocational-level-2', 'verified');
    expect(await cohortKpi(c.cohortId, 'technicianAttainment')).toMatchObject({ numerator: 1, denominator: 3 });
  });

  it('R-EVA-3 ③′ hired into a technician-equivalent post at the benchmark pay counts; below it does not', async () => {
    const c = await graduatingCohort(f, college);
    const [hired, underpaid, notEquivalent] = await studentsIn(f, college, c.cohortId, 3);
    await employmentFor(f, college, [hired], { city, monthlyPay: 7000, technicianEquivalent: true });
    await employmentFor(f, college, [underpaid], { city, monthlyPay: 6999, technicianEquivalent: true });
    await employmentFor(f, college, [notEquivalent], { city, monthlyPay: 9000, technicianEquivalent: false });
    expect(await cohortKpi(c.cohortId, 'technicianAttainment')).toMatchObject({ numerator: 1, denominator: 3 });
  });

  it('R-EVA-3 streamed-out and withdrawn students are outside the denominator, even with a verified certificate', async () => {
    const c = await graduatingCohort(f, college);
    const grads = await studentsIn(f, college, c.cohortId, 4);
    const out = await studentsIn(f, college, c.cohortId, 1, 'streamed-out');
    const gone = await studentsIn(f, college, c.cohortId, 1, 'withdrawn');
    await certificatesFor(f, college, [...grads.slice(0, 3), ...out, ...gone], 'national-technician');
    const body = await kpisOf(`/api/v1/kpis/cohorts/${c.cohortId}`);
    expect(kpi(body, 'technicianAttainment')).toMatchObject({ numerator: 3, denominator: 4, ratio: 0.75, met: false });
    expect(body.counts).toMatchObject({ students: 6, graduates: 4, left: 2 });
    // nor are they employed graduates
    await employmentFor(f, college, [...out, ...gone], { city, monthlyPay: 9000 });
    expect(kpi(await kpisOf(`/api/v1/kpis/cohorts/${c.cohortId}`), 'matchedEmployment')).toMatchObject({ denominator: 0, ratio: null, met: null });
  });

  it('R-EVA-4 matched employment of exactly 60 % (6 of 10) is met; 29 of 49 is not', async () => {
    const exact = await employmentCohort(10, { matched: 6 });
    expect(await cohortKpi(exact.cohortId, 'matchedEmployment')).toMatchObject({ numerator: 6, denominator: 10, ratio: 0.6, met: true, rag: 'green' });
    const under = await employmentCohort(49, { matched: 29 });
    const k = await cohortKpi(under.cohortId, 'matchedEmployment');
    expect(k).toMatchObject({ numerator: 29, denominator: 49, met: false });
    expect(k.ratio).toBeLessThan(0.6);
  });

  it('R-EVA-4 pay above the benchmark: exactly 60 % (6 of 10) does NOT meet, 31 of 51 (just over) does; pay equal to the benchmark is not above', async () => {
    const exact = await employmentCohort(10, { above: 6 });
    expect(await cohortKpi(exact.cohortId, 'payAboveBenchmark')).toMatchObject({ numerator: 6, denominator: 10, ratio: 0.6, target: 0.6, met: false, rag: 'amber' });
    const over = await employmentCohort(51, { above: 31 });
    const k = await cohortKpi(over.cohortId, 'payAboveBenchmark');
    expect(k).toMatchObject({ numerator: 31, denominator: 51, met: true });
    expect(k.ratio).toBeGreaterThan(0.6);
  });

  it('R-EVA-4 further study, military service, unemployed and unreachable graduates are not employed graduates', async () => {
    const c = await graduatingCohort(f, college);
    const ids = await studentsIn(f, college, c.cohortId, 5);
    await employmentFor(f, college, ids, { city, monthlyPay: 8000, startedOn: await monthAgo(2) });
    await followUpFor(f, college, [ids[1]], 0, 'further-study');
    await followUpFor(f, college, [ids[2]], 0, 'military');
    await followUpFor(f, college, [ids[3]], 0, 'unemployed');
    await followUpFor(f, college, [ids[4]], 0, 'unreachable');
    const body = await kpisOf(`/api/v1/kpis/cohorts/${c.cohortId}`);
    expect(kpi(body, 'matchedEmployment')).toMatchObject({ numerator: 1, denominator: 1, ratio: 1, met: true });
    expect(body.counts.employed).toBe(1);
  });

  it('R-EVA-4 stable employment: employed graduates still with an employer at the 12-month follow-up, of those followed up that far', async () => {
    const c = await graduatingCohort(f, college);
    const ids = await studentsIn(f, college, c.cohortId, 4);
    await employmentFor(f, college, ids, { city, monthlyPay: 8000, startedOn: await monthAgo(2) });
    await followUpFor(f, college, [ids[0]], 12, 'employed-same');
    await followUpFor(f, college, [ids[1]], 12, 'employed-new');
    await followUpFor(f, college, [ids[2]], 12, 'unemployed');
    // ids[3]: not followed up that far → outside the denominator
    expect(await cohortKpi(c.cohortId, 'stableEmployment')).toMatchObject({ numerator: 2, denominator: 3, met: null, rag: 'shown' });
  });

  it('DOMAIN §4 an empty denominator is "no data": ratio null and met null, never 0 % and never met', async () => {
    const c = await graduatingCohort(f, college);
    await studentsIn(f, college, c.cohortId, 3, 'enrolled');
    const body = await kpisOf(`/api/v1/kpis/cohorts/${c.cohortId}`);
    for (const key of ['technicianAttainment', 'matchedEmployment', 'payAboveBenchmark', 'stableEmployment']) {
      expect(kpi(body, key)).toMatchObject({ numerator: 0, denominator: 0, ratio: null, met: null, rag: 'no-data' });
    }
  });

  it('DOMAIN §4 a college total equals the sum over its cohorts (not the mean of their ratios), through programme to province', async () => {
    const own = await f.tenant({ name: '求和测试技师学院', city: '江门市', tier: 'batch2' });
    const token = (await login(t, (await f.member('college-admin', { tenantId: own })).email, TEST_PASSWORD)).accessToken;
    const p = await programmeWithPlan(f, own);
    const a = await graduatingCohort(f, own, p);
    const b = await graduatingCohort(f, own, p);
    await certificatesFor(f, own, (await studentsIn(f, own, a.cohortId, 5)).slice(0, 4), 'national-technician'); // 4/5 = 80 %
    await certificatesFor(f, own, (await studentsIn(f, own, b.cohortId, 2)).slice(0, 1), 'national-technician'); // 1/2 = 50 %
    const college = kpi(await kpisOf('/api/v1/kpis/college', token), 'technicianAttainment');
    expect(college).toMatchObject({ numerator: 5, denominator: 7, met: false });
    expect(college.ratio).toBeCloseTo(5 / 7, 4); // the mean of the ratios would be 0.65
    expect(kpi(await kpisOf(`/api/v1/kpis/programmes/${p.programmeId}`, token), 'technicianAttainment')).toMatchObject({ numerator: 5, denominator: 7 });
    // the dashboard's college row and its cohort rows agree
    await refreshStored(own);
    const dash = (await t.http().get('/api/v1/dashboards/college').set(bearer(token)).expect(200)).body;
    const sum = dash.cohorts.reduce((acc: number[], c: { kpis: Kpi[] }) => {
      const k = kpi(c, 'technicianAttainment');
      return [acc[0] + k.numerator, acc[1] + k.denominator];
    }, [0, 0]);
    expect(sum).toEqual([5, 7]);
    expect(kpi(dash.college, 'technicianAttainment')).toMatchObject({ numerator: 5, denominator: 7 });
    // the province sees the same college numbers, and the province total is the sum of every college
    const prov = (await t.http().get('/api/v1/dashboards/province').query({ city: '江门市' }).set(bearer(viewer)).expect(200)).body;
    const row = prov.colleges.find((c: { id: string }) => c.id === own);
    expect(kpi(row, 'technicianAttainment')).toMatchObject({ numerator: 5, denominator: 7 });
    const totals = prov.colleges.reduce((n: number, c: { kpis: Kpi[] }) => n + kpi(c, 'technicianAttainment').denominator, 0);
    expect(kpi(prov.province, 'technicianAttainment').denominator).toBe(totals);
  });

  it('names behind the numbers for college roles; counts only for the province; another college’s cohort is 404', async () => {
    const c = await attainmentCohort(2, 1);
    const mine = await kpisOf(`/api/v1/kpis/cohorts/${c.cohortId}`);
    expect(mine.students).toHaveLength(2);
    expect((mine.students as { attained: boolean }[]).filter((s) => s.attained)).toHaveLength(1);
    const province = await kpisOf(`/api/v1/kpis/cohorts/${c.cohortId}`, viewer);
    expect(province.students).toBeNull();
    expect(kpi(province, 'technicianAttainment')).toMatchObject({ numerator: 1, denominator: 2 });
    const other = await f.tenant({ name: 'KPI另一学院' });
    const foreign = await graduatingCohort(f, other);
    const res = await t.http().get(`/api/v1/kpis/cohorts/${foreign.cohortId}`).set(bearer(staff));
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('province dashboard: filter by tier, sort by a KPI with no data last, red/amber/green, and an XLSX with one sheet per level', async () => {
    await refreshStored(college);
    const res = await t.http().get('/api/v1/dashboards/province').query({ sort: 'technicianAttainment', order: 'desc' }).set(bearer(viewer)).expect(200);
    const ratios = res.body.colleges.map((c: { kpis: Kpi[] }) => kpi(c, 'technicianAttainment').ratio);
    const withData = ratios.filter((r: number | null) => r !== null);
    expect(withData).toEqual([...withData].sort((x: number, y: number) => y - x));
    expect(ratios.slice(withData.length).every((r: number | null) => r === null)).toBe(true);
    expect(new Date(res.body.asOf).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const batch2 = await t.http().get('/api/v1/dashboards/province').query({ tier: 'batch2' }).set(bearer(viewer)).expect(200);
    expect(batch2.body.colleges.every((c: { tier: string }) => c.tier === 'batch2')).toBe(true);
    const bad = await t.http().get('/api/v1/dashboards/province').query({ sort: 'nonsense' }).set(bearer(viewer));
    expect(bad.status).toBe(400);
    const xlsx = await t.http().get('/api/v1/dashboards/province.xlsx').set(bearer(viewer)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    expect(book.worksheets.map((w) => w.name)).toEqual(['全省', '院校']);
    expect(String(book.getWorksheet('院校')!.getRow(2).getCell(1).value)).toBe('院校');
    const collegeXlsx = await t.http().get('/api/v1/dashboards/college.xlsx').set(bearer(staff)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const cbook = new ExcelJS.Workbook();
    await cbook.xlsx.load(collegeXlsx.body);
    expect(cbook.worksheets.map((w) => w.name)).toEqual(['学院', '专业', '班级']);
  });
});

async function monthAgo(months: number): Promise<string> {
  const { addMonths } = await import('../../modules/cohorts/domain/track-dates');
  const { chinaToday } = await import('../../src/time/china-date');
  return addMonths(chinaToday(), -months);
}
