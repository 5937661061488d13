import { addMonths } from '../../modules/cohorts/domain/track-dates';
import { chinaToday } from '../../src/time/china-date';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { asCollege, freshUscc, offByOne, partnershipIn, registryEnterprise } from './matrix/enterprises.fixtures';
import { addDays, assessedFor, benchmarkFor, graduatingCohort, studentsIn } from './matrix/graduates.fixtures';

describe('graduation and graduate tracking, R-EVA-3 / R-EVA-4 (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let other: string;
  let staff: string;
  let admin: string;
  let province: string;
  let enterprise: { id: string; uscc: string };
  let enterpriseAdmin: string;
  let city: string;

  const today = chinaToday();

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '毕业测试技师学院' });
    other = await f.tenant({ name: '毕业测试另一学院' });
    enterprise = await registryEnterprise(f, '毕业测试精密机械有限公司');
    staff = (await login(t, (await f.member('college-staff', { tenantId: college })).email, TEST_PASSWORD)).accessToken;
    admin = (await login(t, (await f.member('college-admin', { tenantId: college })).email, TEST_PASSWORD)).accessToken;
    province = (await login(t, (await f.member('province-admin')).email, TEST_PASSWORD)).accessToken;
    enterpriseAdmin = (await login(t, (await f.member('enterprise-admin', { tenantId: college, enterpriseId: enterprise.id })).email, TEST_PASSWORD)).accessToken;
    city = await benchmarkFor(f, 7000);
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('R-EVA-3 graduation check: all courses passed and practice met → eligible; otherwise the missing items in words, and graduating is refused (422)', async () => {
    const c = await graduatingCohort(f, college);
    const [ok, failed, noPractice] = await studentsIn(f, college, c.cohortId, 3, 'enrolled');
    await assessedFor(f, college, c.cohortId, c.planId, ok);
    await assessedFor(f, college, c.cohortId, c.planId, failed, { failCourse: true });
    await assessedFor(f, college, c.cohortId, c.planId, noPractice, { practiceMet: false });

    const good = await t.http().get(`/api/v1/graduation/students/${ok}`).set(bearer(staff)).expect(200);
    expect(good.body).toMatchObject({ eligible: true, missing: [], courseItems: 4, courseItemsPassed: 4, practiceMet: true });

    const bad = await t.http().get(`/api/v1/graduation/students/${failed}`).set(bearer(staff)).expect(200);
    expect(bad.body.eligible).toBe(false);
    expect(bad.body.missing[0].zh).toContain('已通过 3/4 项');
    expect(bad.body.missing[0].zh).toContain('车削工艺改进与技术革新');

    const refused = await t.http().post(`/api/v1/graduation/students/${noPractice}`).set(bearer(staff)).send({});
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.code).toBe('GRADUATES.NOT_ELIGIBLE');
    expect(refused.body.detail).toContain('企业实践考核未达标');
    const en = await t.http().post(`/api/v1/graduation/students/${noPractice}`).set(bearer(staff)).set('Accept-Language', 'en').send({});
    expect(en.body.detail).toContain('enterprise-practice');
    const still = await asCollege(f, college, 'SELECT status FROM students WHERE id = $1', [noPractice]);
    expect(still[0].status).toBe('enrolled');

    const done = await t.http().post(`/api/v1/graduation/students/${ok}`).set(bearer(staff)).send({}).expect(200);
    expect(done.body).toMatchObject({ status: 'graduated', graduatedOn: today });
    const again = await t.http().post(`/api/v1/graduation/students/${ok}`).set(bearer(staff)).send({});
    expect(again.status).toBe(422);
  });

  it('DOMAIN §5 a streamed-out or withdrawn student never graduates; a date after today is refused', async () => {
    const c = await graduatingCohort(f, college);
    const [out] = await studentsIn(f, college, c.cohortId, 1, 'streamed-out');
    const [gone] = await studentsIn(f, college, c.cohortId, 1, 'withdrawn');
    for (const id of [out, gone]) {
      await assessedFor(f, college, c.cohortId, c.planId, id);
      const res = await t.http().post(`/api/v1/graduation/students/${id}`).set(bearer(staff)).send({});
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 'GRADUATES.NOT_ENROLLED' });
    }
    const [eligible] = await studentsIn(f, college, c.cohortId, 1, 'enrolled');
    await assessedFor(f, college, c.cohortId, c.planId, eligible);
    const future = await t.http().post(`/api/v1/graduation/students/${eligible}`).set(bearer(staff)).send({ graduatedOn: addDays(today, 1) });
    expect(future.status).toBe(422);
    const badDate = await t.http().post(`/api/v1/graduation/students/${eligible}`).set(bearer(staff)).send({ graduatedOn: '2026-02-30' });
    expect(badDate.status).toBe(400);
  });

  it('DOMAIN §5 a cohort completes only when every student graduated, left or was streamed out (college action with a check)', async () => {
    const c = await graduatingCohort(f, college);
    await studentsIn(f, college, c.cohortId, 2);
    await studentsIn(f, college, c.cohortId, 1, 'streamed-out');
    const [open] = await studentsIn(f, college, c.cohortId, 1, 'enrolled');
    const overview = await t.http().get(`/api/v1/graduation/cohorts/${c.cohortId}`).set(bearer(staff)).expect(200);
    expect(overview.body).toMatchObject({ unfinished: 1, canComplete: false });
    const refused = await t.http().post(`/api/v1/graduation/cohorts/${c.cohortId}/complete`).set(bearer(admin));
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 422, code: 'GRADUATES.COHORT_NOT_FINISHED' });
    await asCollege(f, college, `UPDATE students SET status = 'withdrawn', left_on = CURRENT_DATE, left_reason = '测试' WHERE id = $1`, [open]);
    const ok = await t.http().post(`/api/v1/graduation/cohorts/${c.cohortId}/complete`).set(bearer(admin)).expect(200);
    expect(ok.body).toEqual({ cohortId: c.cohortId, status: 'completed', completedOn: today });
    expect((await t.http().post(`/api/v1/graduation/cohorts/${c.cohortId}/complete`).set(bearer(admin))).status).toBe(409);
    const audit = await asCollege(f, college, `SELECT action FROM audit_log WHERE entity = 'cohort' AND entity_id = $1`, [c.cohortId]);
    expect(audit.map((a) => a.action)).toContain('complete');
  });

  it('R-EVA-4 employment record: a USCC failing the GB 32100 check is refused, a valid one kept; matched defaults from the programme occupation', async () => {
    const c = await graduatingCohort(f, college);
    const [g] = await studentsIn(f, college, c.cohortId, 1);
    const body = { employerName: '佛山市某机械厂', post: '数控车工（车工）', city, startedOn: addMonths(today, -1), monthlyPay: 7000, technicianEquivalent: true };
    const bad = await t.http().post(`/api/v1/graduates/${g}/employment-records`).set(bearer(staff)).send({ ...body, employerUscc: offByOne(freshUscc()) });
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 422, code: 'GRADUATES.BAD_USCC' });
    const res = await t.http().post(`/api/v1/graduates/${g}/employment-records`).set(bearer(staff)).send({ ...body, employerUscc: freshUscc() }).expect(201);
    expect(res.body).toMatchObject({ matched: true, benchmark: 7000, aboveBenchmark: false, source: 'college' });
    expect(res.body.matchReason).toContain('车工');
    const unmatched = await t.http().post(`/api/v1/graduates/${g}/employment-records`).set(bearer(staff)).send({ ...body, post: '仓库管理员', monthlyPay: 7001 }).expect(201);
    expect(unmatched.body).toMatchObject({ matched: false, aboveBenchmark: true });
    // ③′ holds through the first record (technician-equivalent at the benchmark pay)
    const view = await t.http().get(`/api/v1/graduates/${g}`).set(bearer(staff)).expect(200);
    expect(view.body).toMatchObject({ technicianLevel: true, routes: { hiredAsTechnician: true } });
    expect(view.body.schedule.map((s: { checkpointMonths: number }) => s.checkpointMonths)).toEqual([0, 6, 12]);
    const enrolled = (await studentsIn(f, college, c.cohortId, 1, 'enrolled'))[0];
    const notYet = await t.http().post(`/api/v1/graduates/${enrolled}/employment-records`).set(bearer(staff)).send(body);
    expect(notYet.status).toBe(422);
  });

  it('R-EVA-4 follow-ups at the configured checkpoints, dated and by whom; an employed outcome links a record; a second at one checkpoint is 409', async () => {
    const c = await graduatingCohort(f, college);
    const [g] = await studentsIn(f, college, c.cohortId, 1);
    const rec = await t.http().post(`/api/v1/graduates/${g}/employment-records`).set(bearer(staff))
      .send({ employerName: '广州某公司', post: '车工', city, startedOn: addMonths(today, -1), monthlyPay: 7500, technicianEquivalent: false }).expect(201);
    const noRecord = await t.http().post(`/api/v1/graduates/${g}/follow-ups`).set(bearer(staff)).send({ checkpointMonths: 0, outcome: 'employed-same', followedUpOn: today });
    expect(noRecord.status).toBe(422);
    const wrongCheckpoint = await t.http().post(`/api/v1/graduates/${g}/follow-ups`).set(bearer(staff)).send({ checkpointMonths: 3, outcome: 'unemployed', followedUpOn: today });
    expect(wrongCheckpoint.body.code).toBe('GRADUATES.FOLLOW_UP_CHECKPOINT');
    const ok = await t.http().post(`/api/v1/graduates/${g}/follow-ups`).set(bearer(staff))
      .send({ checkpointMonths: 0, outcome: 'employed-same', followedUpOn: today, employmentRecordId: rec.body.id, note: '电话回访' }).expect(201);
    expect(ok.body.followUps).toEqual([expect.objectContaining({ checkpointMonths: 0, outcome: 'employed-same', outcomeName: '就业（原单位）', followedUpOn: today, recordedBy: expect.any(String) })]);
    expect(ok.body.schedule[0]).toMatchObject({ checkpointMonths: 0, done: true });
    const dup = await t.http().post(`/api/v1/graduates/${g}/follow-ups`).set(bearer(staff)).send({ checkpointMonths: 0, outcome: 'unemployed', followedUpOn: today });
    expect(dup.status).toBe(409);
    // a college that follows up at 3 and 9 months
    await f.query(`UPDATE tenants SET settings = settings || '{"followUpMonths":[0,3,9]}'::jsonb WHERE id = $1`, [college]);
    await t.http().post(`/api/v1/graduates/${g}/follow-ups`).set(bearer(staff)).send({ checkpointMonths: 3, outcome: 'unemployed', followedUpOn: today }).expect(201);
    await f.query(`UPDATE tenants SET settings = settings - 'followUpMonths' WHERE id = $1`, [college]);
  });

  it('R-EVA-4 an enterprise reports hires of graduates it employs: its own records only; another programme’s student is 404', async () => {
    const c = await graduatingCohort(f, college);
    await partnershipIn(f, college, enterprise.id, 'active', c.programmeId);
    const [g] = await studentsIn(f, college, c.cohortId, 1);
    const hire = await t.http().post(`/api/v1/graduates/${g}/employment-records`).set(bearer(enterpriseAdmin))
      .send({ employerName: '冒充的单位', post: '数控车床技师', city, startedOn: addMonths(today, -1), monthlyPay: 8000, technicianEquivalent: true }).expect(201);
    expect(hire.body).toMatchObject({ enterpriseId: enterprise.id, employerName: '毕业测试精密机械有限公司', employerUscc: enterprise.uscc, source: 'enterprise', matched: true });
    // the college's own record of another graduate is invisible to the enterprise
    const [h] = await studentsIn(f, college, c.cohortId, 1);
    const collegeRecord = await t.http().post(`/api/v1/graduates/${h}/employment-records`).set(bearer(staff))
      .send({ employerName: '别家公司', post: '车工', city, startedOn: addMonths(today, -1), monthlyPay: 6000, technicianEquivalent: false }).expect(201);
    const list = await t.http().get('/api/v1/employment-records').set(bearer(enterpriseAdmin)).expect(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([hire.body.id]);
    expect((await t.http().get(`/api/v1/employment-records/${collegeRecord.body.id}`).set(bearer(enterpriseAdmin))).status).toBe(404);
    // a student of a programme the enterprise does not partner with
    const stranger = await graduatingCohort(f, college);
    const [s] = await studentsIn(f, college, stranger.cohortId, 1);
    const denied = await t.http().post(`/api/v1/graduates/${s}/employment-records`).set(bearer(enterpriseAdmin))
      .send({ post: '车工', city, startedOn: addMonths(today, -1), monthlyPay: 8000, technicianEquivalent: false });
    expect(denied.status).toBe(404);
    // another college's graduate: 404 for the college too
    const foreign = await graduatingCohort(f, other);
    const [x] = await studentsIn(f, other, foreign.cohortId, 1);
    expect((await t.http().get(`/api/v1/graduates/${x}`).set(bearer(staff))).status).toBe(404);
    // ending a record is versioned
    const stale = await t.http().patch(`/api/v1/employment-records/${hire.body.id}`).set(bearer(enterpriseAdmin)).send({ endedOn: today, version: 9 });
    expect(stale.status).toBe(409);
    const ended = await t.http().patch(`/api/v1/employment-records/${hire.body.id}`).set(bearer(enterpriseAdmin)).send({ endedOn: today, version: 1 }).expect(200);
    expect(ended.body).toMatchObject({ endedOn: today, version: 2 });
  });

  it('R-EVA-4 pay benchmarks by province admins: the one in force on the record’s start date applies; a new one closes the previous', async () => {
    const name = `基准测试市${Date.now() % 100000}`;
    const from1 = addMonths(today, -24);
    const from2 = addMonths(today, -6);
    await t.http().post('/api/v1/pay-benchmarks').set(bearer(province)).send({ city: name, year: Number(from1.slice(0, 4)), monthlyPay: 6000, effectiveFrom: from1 }).expect(201);
    await t.http().post('/api/v1/pay-benchmarks').set(bearer(province)).send({ city: name, year: Number(from2.slice(0, 4)), monthlyPay: 7000, effectiveFrom: from2 }).expect(201);
    const list = await t.http().get('/api/v1/pay-benchmarks').query({ city: name }).set(bearer(staff)).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ monthlyPay: 7000, effectiveFrom: from2, effectiveTo: null }),
      expect.objectContaining({ monthlyPay: 6000, effectiveFrom: from1, effectiveTo: addDays(from2, -1) }),
    ]);
    const overlap = await t.http().post('/api/v1/pay-benchmarks').set(bearer(province)).send({ city: name, year: 2020, monthlyPay: 1, effectiveFrom: from1, effectiveTo: addDays(from1, 10) });
    expect(overlap.status).toBe(409);
    const c = await graduatingCohort(f, college);
    const [a, b] = await studentsIn(f, college, c.cohortId, 2);
    const old = await t.http().post(`/api/v1/graduates/${a}/employment-records`).set(bearer(staff))
      .send({ employerName: '甲公司', post: '车工', city: name, startedOn: addMonths(today, -12), monthlyPay: 6500, technicianEquivalent: false }).expect(201);
    expect(old.body).toMatchObject({ benchmark: 6000, aboveBenchmark: true });
    const recent = await t.http().post(`/api/v1/graduates/${b}/employment-records`).set(bearer(staff))
      .send({ employerName: '乙公司', post: '车工', city: name, startedOn: addMonths(today, -1), monthlyPay: 6500, technicianEquivalent: false }).expect(201);
    expect(recent.body).toMatchObject({ benchmark: 7000, aboveBenchmark: false });
    expect((await t.http().post('/api/v1/pay-benchmarks').set(bearer(staff)).send({ city: name, year: 2026, monthlyPay: 1, effectiveFrom: today })).status).toBe(403);
  });
});
