import { KpiRefreshService } from '../../modules/kpis';
import { addMonths } from '../../modules/cohorts/domain/track-dates';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { chinaToday } from '../../src/time/china-date';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { certificateRow } from './matrix/assessments.fixtures';
import { cohortRow } from './matrix/cohorts.fixtures';
import { asCollege } from './matrix/enterprises.fixtures';
import { assessedFor, benchmarkFor, graduatingCohort, studentsIn } from './matrix/graduates.fixtures';

type Kpi = { key: string; numerator: number; denominator: number; ratio: number | null; met: boolean | null };
type KpiSet = { id: string | null; kpis: Kpi[]; counts: Record<string, number>; computedAt?: string | null };
type Requested = { id: number; jobId: string; tenantId: string; cohortId: string | null; delay: number | null };

/**
 * Issue 11: the dashboards sum per-cohort counts kept in kpi_cohort_counts by a worker job.
 * These tests make the writes through the API, read which refreshes the writes asked for
 * (the outbox rows, exactly what the relay hands to BullMQ), run them as the worker does
 * (KpiRefreshService in the payload's tenant), and compare every stored figure with the
 * live KPI SQL (the /kpis/cohorts and /kpis/college routes compute it on each call).
 */
describe('stored KPI counts (kpi_cohort_counts) = the live KPI SQL, DOMAIN §4 (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let staff: string;
  let viewer: string;
  let city: string;
  const today = chinaToday();

  const get = async <T>(path: string, token = staff): Promise<T> => {
    const res = await t.http().get(path).set(bearer(token));
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const outboxMark = async (): Promise<number> => Number((await f.query(`SELECT COALESCE(max(id), 0) AS id FROM outbox`)).rows[0].id);
  const requestedSince = async (mark: number): Promise<Requested[]> =>
    (
      await f.query(
        `SELECT id::int, job_id AS "jobId", payload ->> 'tenantId' AS "tenantId", payload ->> 'cohortId' AS "cohortId", (options ->> 'delay')::int AS delay
         FROM outbox WHERE id > $1 AND job_name = 'kpis.refresh-counts' ORDER BY id`,
        [mark],
      )
    ).rows;
  /** What the worker does with each job BullMQ keeps (one per job id). */
  const runJobs = async (jobs: Requested[]) => {
    const byId = new Map(jobs.map((j) => [j.jobId, j]));
    for (const j of byId.values()) await t.app.get(TenantContext).runAsTenant(j.tenantId, () => t.app.get(KpiRefreshService).refresh(j.cohortId));
  };
  const figures = (s: KpiSet) => ({ counts: s.counts, kpis: s.kpis.map((k) => ({ key: k.key, numerator: k.numerator, denominator: k.denominator, ratio: k.ratio, met: k.met })) });

  /** Every cohort row and the college row of the dashboard (stored) against the live computation. */
  async function expectStoredEqualsLive(token: string) {
    const dash = await get<{ college: KpiSet; cohorts: KpiSet[]; computedAt: string | null; cohortsNotYetCounted: number }>('/api/v1/dashboards/college', token);
    expect(dash.cohortsNotYetCounted).toBe(0);
    for (const stored of dash.cohorts) {
      const live = await get<KpiSet>(`/api/v1/kpis/cohorts/${stored.id}`, token);
      expect({ cohort: stored.id, ...figures(stored) }).toEqual({ cohort: stored.id, ...figures(live) });
    }
    expect(figures(dash.college)).toEqual(figures(await get<KpiSet>('/api/v1/kpis/college', token)));
    return dash;
  }

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: 'KPI统计表测试技师学院', city: '韶关市' });
    staff = (await login(t, (await f.member('college-staff', { tenantId: college })).email, TEST_PASSWORD)).accessToken;
    viewer = (await login(t, (await f.member('province-viewer')).email, TEST_PASSWORD)).accessToken;
    city = await benchmarkFor(f, 7000);
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('DOMAIN §4 after graduation, assessment submission, certificate verification, employment records, follow-ups and streaming through the API, the stored counts equal the live KPI SQL', async () => {
    const a = await graduatingCohort(f, college);
    const ids = await studentsIn(f, college, a.cohortId, 5, 'enrolled');
    for (const id of ids) await assessedFor(f, college, a.cohortId, a.planId, id);
    const b = await cohortRow(f, college, { startDate: addMonths(today, -30), status: 'started' });
    const bIds = await studentsIn(f, college, b.cohortId, 3, 'enrolled');

    // nothing stored yet: the dashboard says so rather than showing zeros as figures
    const before = await get<{ computedAt: string | null; cohortsNotYetCounted: number }>('/api/v1/dashboards/college');
    expect(before).toMatchObject({ computedAt: null, cohortsNotYetCounted: 2 });

    const mark = await outboxMark();
    // graduation (DOMAIN §5) of four of the five
    for (const id of ids.slice(0, 4)) await t.http().post(`/api/v1/graduation/students/${id}`).set(bearer(staff)).send({}).expect(200);
    // a mid-term sheet submitted by the college side (R-EVA-3)
    const opened = await t.http().post('/api/v1/assessment-sheets').set(bearer(staff)).send({ cohortId: a.cohortId, itemKey: 'mid-term' }).expect(201);
    const sheetId = opened.body.items.find((i: { itemKey: string }) => i.itemKey === 'mid-term').sheetId;
    await t
      .http()
      .put(`/api/v1/assessment-sheets/${sheetId}/results`)
      .set(bearer(staff))
      .send({ submit: true, rows: [{ studentId: ids[4], score: 75, assessedOn: today, assessor: '考评员' }] })
      .expect(200);
    // R-EVA-3 ①: a certificate verified by college staff (an unverified one does not count)
    const cert = await certificateRow(f, college, ids[0], { kind: 'national-technician' });
    await certificateRow(f, college, ids[1], { kind: 'national-technician' });
    await t.http().post(`/api/v1/certificates/${cert}/verify`).set(bearer(staff)).send({ version: 1 }).expect(200);
    // R-EVA-4: employment records (one above the benchmark, matched) and a follow-up
    const rec = await t
      .http()
      .post(`/api/v1/graduates/${ids[0]}/employment-records`)
      .set(bearer(staff))
      .send({ employerName: '韶关某机械厂', post: '车工', city, startedOn: today, monthlyPay: 7500, technicianEquivalent: false, matched: true })
      .expect(201);
    await t
      .http()
      .post(`/api/v1/graduates/${ids[1]}/employment-records`)
      .set(bearer(staff))
      .send({ employerName: '韶关某商贸公司', post: '销售', city, startedOn: today, monthlyPay: 7000, technicianEquivalent: false, matched: false })
      .expect(201);
    await t
      .http()
      .post(`/api/v1/graduates/${ids[0]}/follow-ups`)
      .set(bearer(staff))
      .send({ checkpointMonths: 0, outcome: 'employed-same', followedUpOn: today, employmentRecordId: rec.body.id })
      .expect(201);
    // R-EVA-1 streaming at the checkpoint of the second cohort
    await t
      .http()
      .post(`/api/v1/cohorts/${b.cohortId}/streaming`)
      .set(bearer(staff))
      .send({
        decisions: [
          { studentId: bIds[0], decision: 'continue', reason: '中期考核合格' },
          { studentId: bIds[1], decision: 'senior-worker-route', reason: '中期考核未达合格线' },
        ],
      })
      .expect(200);

    const jobs = await requestedSince(mark);
    // every write asked for its cohort's refresh, through the outbox, with a job id per cohort and window
    expect(new Set(jobs.map((j) => j.cohortId))).toEqual(new Set([a.cohortId, b.cohortId]));
    for (const j of jobs) {
      expect(j.tenantId).toBe(college);
      expect(j.jobId).toMatch(new RegExp(`^kpis\\.refresh-counts_${j.cohortId}_\\d+$`));
      expect(j.delay).toBeGreaterThan(0);
    }
    expect(jobs.length).toBeGreaterThanOrEqual(9); // 4 graduations, 1 submission, 1 verification, 2 records, 1 follow-up (+ streaming)

    await runJobs(jobs);
    const dash = await expectStoredEqualsLive(staff);
    // the figures compared are real ones, not zeros on both sides
    const cohortA = dash.cohorts.find((c) => c.id === a.cohortId)!;
    expect(cohortA.kpis.find((k) => k.key === 'technicianAttainment')).toMatchObject({ numerator: 1, denominator: 4 });
    expect(cohortA.kpis.find((k) => k.key === 'matchedEmployment')).toMatchObject({ numerator: 1, denominator: 2 });
    expect(cohortA.kpis.find((k) => k.key === 'payAboveBenchmark')).toMatchObject({ numerator: 1, denominator: 2 });
    expect(dash.cohorts.find((c) => c.id === b.cohortId)!.kpis.find((k) => k.key === 'streaming')).toMatchObject({ numerator: 1, denominator: 2 });
    expect(Date.parse(dash.computedAt!)).toBeGreaterThan(Date.now() - 60_000);

    // the province reads the same stored rows for this college
    const province = await get<{ colleges: KpiSet[] }>('/api/v1/dashboards/province', viewer);
    expect(figures(province.colleges.find((c) => c.id === college)!)).toEqual(figures(dash.college));

    // a later write: stale until its refresh runs, equal again after, and computedAt moves on
    const mark2 = await outboxMark();
    await t.http().post(`/api/v1/graduation/students/${ids[4]}`).set(bearer(staff)).send({}).expect(200);
    const stale = await get<{ college: KpiSet }>('/api/v1/dashboards/college');
    expect(stale.college.counts.graduates).toBe(4);
    const jobs2 = await requestedSince(mark2);
    expect(jobs2.map((j) => j.cohortId)).toEqual([a.cohortId]);
    await runJobs(jobs2);
    const after = await expectStoredEqualsLive(staff);
    expect(after.college.counts.graduates).toBe(5);
    expect(Date.parse(after.cohorts.find((c) => c.id === a.cohortId)!.computedAt!)).toBeGreaterThan(Date.parse(cohortA.computedAt!));
  });

  it('DOMAIN §4 the nightly refresh (every cohort of every college, one job per college and day) leaves the stored counts equal to the live KPI SQL', async () => {
    const own = await f.tenant({ name: 'KPI夜间重算测试技师学院', city: '韶关市' });
    const token = (await login(t, (await f.member('college-admin', { tenantId: own })).email, TEST_PASSWORD)).accessToken;
    const c = await graduatingCohort(f, own);
    const graduates = await studentsIn(f, own, c.cohortId, 6);
    await studentsIn(f, own, c.cohortId, 1, 'withdrawn');
    await asCollege(
      f,
      own,
      `INSERT INTO certificates (tenant_id, student_id, kind, occupation, level, number, issuer, issued_on, status, verified_at)
       SELECT $1, s, 'vocational-level-2', '车工', '二级', 'N-' || md5(random()::text), '鉴定中心', CURRENT_DATE - 10, 'verified', now() FROM unnest($2::uuid[]) s`,
      [own, graduates.slice(0, 5)],
    );
    const mark = await outboxMark();
    const colleges = await t.app.get(TenantContext).runAsProvinceSystem(() => t.app.get(KpiRefreshService).fanOut(today));
    expect(colleges).toBeGreaterThanOrEqual(2);
    const jobs = await requestedSince(mark);
    const mine = jobs.filter((j) => j.tenantId === own);
    expect(mine).toEqual([expect.objectContaining({ cohortId: null, jobId: `kpis.refresh-counts_${own}_all_${today}` })]);
    await runJobs(mine);
    const dash = await expectStoredEqualsLive(token);
    expect(dash.college.kpis.find((k) => k.key === 'technicianAttainment')).toMatchObject({ numerator: 5, denominator: 6 });
  });
});
