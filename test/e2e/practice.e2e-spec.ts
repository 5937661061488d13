import { PracticeRepository } from '../../modules/practice/practice.repository';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { addDays, hoursRow, practiceWorld, PracticeWorld, today, workOrderRow } from './matrix/practice.fixtures';

describe('enterprise practice (e2e, R-TRN-4)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let enterprise: string;
  let staff: string;
  let mentorA: string;
  let mentorB: string;
  let collegeMentorA: string;
  let a: PracticeWorld;
  let b: PracticeWorld;

  const member = async (role: Parameters<IdentityFactory['member']>[0], place: { tenantId?: string; enterpriseId?: string }) => {
    const m = await f.member(role, place);
    return { userId: m.userId, token: (await login(t, m.email, TEST_PASSWORD)).accessToken };
  };
  const logHours = (tok: string, w: PracticeWorld, workDate: string, startTime: string, endTime: string) =>
    t.http().post('/api/v1/practice/hours').set(bearer(tok)).send({ placementId: w.placementId, workDate, startTime, endTime, activity: '数控车床操作：法兰盘精车' });

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '实践测试技师学院' });
    enterprise = await f.enterprise('实践测试精工数控有限公司');
    staff = (await member('college-staff', { tenantId: college })).token;
    const ma = await member('enterprise-mentor', { tenantId: college, enterpriseId: enterprise });
    const mb = await member('enterprise-mentor', { tenantId: college, enterpriseId: enterprise });
    const ca = await member('college-mentor', { tenantId: college });
    mentorA = ma.token;
    mentorB = mb.token;
    collegeMentorA = ca.token;
    a = await practiceWorld(f, college, enterprise, { enterpriseUserId: ma.userId, collegeUserId: ca.userId });
    b = await practiceWorld(f, college, enterprise, { enterpriseUserId: mb.userId });
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('R-TRN-4: a placement takes its planned hours and site from the plan’s practice stage; a non-partner enterprise is refused', async () => {
    const w = await practiceWorld(f, college, enterprise, { placement: false });
    const res = await t.http().post('/api/v1/practice/placements').set(bearer(staff))
      .send({ studentId: w.studentId, enterpriseId: enterprise, stageIndex: 1, post: '数控车间顶岗', startsOn: addDays(today(), -30), endsOn: addDays(today(), 30) })
      .expect(201);
    expect(res.body).toMatchObject({ site: 'enterprise', stage: { index: 1, plannedHours: 480 }, progress: { plannedHours: 480, loggedHours: 0 } });
    const other = await f.enterprise('实践测试非合作企业');
    const bad = await t.http().post('/api/v1/practice/placements').set(bearer(staff))
      .send({ studentId: w.studentId, enterpriseId: other, stageIndex: 1, post: '岗位', startsOn: today(), endsOn: today() });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('PRACTICE.NOT_PARTNER');
    const site = await t.http().post('/api/v1/practice/placements').set(bearer(staff))
      .send({ studentId: w.studentId, enterpriseId: enterprise, stageIndex: 1, site: 'learning-factory', post: '岗位', startsOn: today(), endsOn: today() });
    expect(site.body.code).toBe('PRACTICE.SITE_MISMATCH');
  });

  it('R-TRN-4: an overlapping hours entry is refused (409); touching spans are not an overlap', async () => {
    const day = addDays(today(), -3);
    await logHours(staff, a, day, '08:00', '12:00').expect(201);
    await logHours(staff, a, day, '12:00', '13:00').expect(201);
    const clash = await logHours(staff, a, day, '11:30', '14:00');
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('PRACTICE.OVERLAP');
    expect(clash.body.detail).toContain('重叠');
  });

  it('R-TRN-4: a future date (China time) is refused', async () => {
    const res = await logHours(staff, a, addDays(today(), 1), '08:00', '10:00');
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('PRACTICE.FUTURE_DATE');
  });

  it('R-TRN-4: more than 24 h in a day is refused', async () => {
    const day = addDays(today(), -4);
    await logHours(staff, a, day, '00:00', '20:00').expect(201);
    const res = await logHours(staff, a, day, '18:00', '24:00');
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('PRACTICE.DAY_OVER_24H');
    await logHours(staff, a, day, '20:00', '24:00').expect(201);
  });

  it('R-TRN-4: editing an entry returns it to pending', async () => {
    const id = await hoursRow(f, a, { daysAgo: 5, status: 'confirmed' });
    const res = await t.http().patch(`/api/v1/practice/hours/${id}`).set(bearer(collegeMentorA)).send({ endTime: '11:00', version: 1 }).expect(200);
    expect(res.body).toMatchObject({ status: 'pending', endTime: '11:00', hours: 3, decidedBy: null });
    await t.http().patch(`/api/v1/practice/hours/${id}`).set(bearer(collegeMentorA)).send({ endTime: '11:30', version: 1 }).expect(409);
  });

  it('R-TRN-4: only the student’s enterprise mentor confirms; a reason is needed to reject', async () => {
    const id = await hoursRow(f, a, { daysAgo: 6 });
    expect((await t.http().post(`/api/v1/practice/hours/${id}/confirm`).set(bearer(mentorB))).status).toBe(404);
    expect((await t.http().post(`/api/v1/practice/hours/${id}/confirm`).set(bearer(collegeMentorA))).status).toBe(403);
    const ok = await t.http().post(`/api/v1/practice/hours/${id}/confirm`).set(bearer(mentorA)).expect(200);
    expect(ok.body).toMatchObject({ status: 'confirmed', decidedBy: { id: a.enterpriseMentorId } });
    const again = await t.http().post(`/api/v1/practice/hours/${id}/confirm`).set(bearer(mentorA));
    expect(again.status).toBe(409);
    const other = await hoursRow(f, a, { daysAgo: 7 });
    await t.http().post(`/api/v1/practice/hours/${other}/reject`).set(bearer(mentorA)).send({}).expect(400);
    const rej = await t.http().post(`/api/v1/practice/hours/${other}/reject`).set(bearer(mentorA)).send({ reason: '当天未到岗' }).expect(200);
    expect(rej.body).toMatchObject({ status: 'rejected', rejectionReason: '当天未到岗' });
  });

  it('R-ENT-3 / R-TRN-4: an accepted work order’s hours count as confirmed practice hours', async () => {
    const w = await practiceWorld(f, college, enterprise);
    await hoursRow(f, w, { daysAgo: 2, status: 'confirmed' }); // 4 h
    await hoursRow(f, w, { daysAgo: 3 }); // 4 h pending
    await workOrderRow(f, w, 'accepted', 6);
    await workOrderRow(f, w, 'submitted', 5);
    const res = await t.http().get('/api/v1/practice/progress').query({ studentId: w.studentId }).set(bearer(staff)).expect(200);
    expect(res.body).toEqual([expect.objectContaining({ stageIndex: 1, plannedHours: 480, loggedHours: 19, confirmedHours: 10 })]);
  });

  it('R-TRN-4: the stage is at risk when confirmed hours lag elapsed time by more than the setting', async () => {
    const w = await practiceWorld(f, college, enterprise, { startsOn: addDays(today(), -99), endsOn: today() });
    const res = await t.http().get(`/api/v1/practice/placements/${w.placementId}`).set(bearer(staff)).expect(200);
    expect(res.body.progress).toMatchObject({ elapsedShare: 100, confirmedHours: 0, atRisk: true, riskPoints: 20 });
  });

  it('R-TRN-4: the at-risk threshold is the college setting practiceRiskPoints', async () => {
    const lenient = await f.tenant({ name: '实践风险设置学院' });
    await f.query(`UPDATE tenants SET settings = COALESCE(settings, '{}'::jsonb) || '{"practiceRiskPoints": 100}'::jsonb WHERE id = $1`, [lenient]);
    const tok = (await member('college-staff', { tenantId: lenient })).token;
    const w = await practiceWorld(f, lenient, enterprise, { startsOn: addDays(today(), -99), endsOn: today() });
    const res = await t.http().get(`/api/v1/practice/placements/${w.placementId}`).set(bearer(tok)).expect(200);
    expect(res.body.progress).toMatchObject({ elapsedShare: 100, confirmedHours: 0, atRisk: false, riskPoints: 100 });
    const list = await t.http().get('/api/v1/practice/placements').query({ studentId: w.studentId }).set(bearer(tok)).expect(200);
    expect(list.body.items[0].progress).toMatchObject({ atRisk: false, riskPoints: 100 });
  });

  it('R-TRN-4: the placement list reads the progress of the whole page in one query (no query per row), with the same figures as a single read', async () => {
    const w = await practiceWorld(f, college, enterprise);
    await hoursRow(f, w, { daysAgo: 2, status: 'confirmed' });
    await workOrderRow(f, w, 'accepted', 3);
    const repo = t.app.get(PracticeRepository, { strict: false });
    const perRow = jest.spyOn(repo, 'stageTotals');
    const batched = jest.spyOn(repo, 'stageTotalsOf');
    const setting = jest.spyOn(repo, 'riskPoints');
    try {
      const list = await t.http().get('/api/v1/practice/placements').query({ limit: '200' }).set(bearer(staff)).expect(200);
      expect(list.body.items.length).toBeGreaterThanOrEqual(3);
      expect(perRow).not.toHaveBeenCalled();
      expect(batched).toHaveBeenCalledTimes(1);
      expect(setting).toHaveBeenCalledTimes(1);
      perRow.mockClear();
      for (const item of list.body.items.filter((p: { id: string }) => [w.placementId, a.placementId, b.placementId].includes(p.id))) {
        const one = await t.http().get(`/api/v1/practice/placements/${item.id}`).set(bearer(staff)).expect(200);
        expect(item.progress).toEqual(one.body.progress);
      }
      expect(list.body.items.find((p: { id: string }) => p.id === w.placementId).progress).toMatchObject({ loggedHours: 7, confirmedHours: 7 });
    } finally {
      perRow.mockRestore();
      batched.mockRestore();
      setting.mockRestore();
    }
  });

  it('an enterprise mentor sees only their mentees’ placements, hours and work orders', async () => {
    const hb = await hoursRow(f, b, { daysAgo: 8 });
    const ob = await workOrderRow(f, b);
    const oa = await workOrderRow(f, a);
    const placements = await t.http().get('/api/v1/practice/placements').query({ limit: '200' }).set(bearer(mentorA)).expect(200);
    expect(placements.body.items.map((p: { id: string }) => p.id)).toEqual([a.placementId]);
    await t.http().get(`/api/v1/practice/placements/${b.placementId}`).set(bearer(mentorA)).expect(404);
    const hours = await t.http().get('/api/v1/practice/hours').query({ limit: '200' }).set(bearer(mentorA)).expect(200);
    expect(hours.body.items.every((h: { student: { id: string } }) => h.student.id === a.studentId)).toBe(true);
    expect(hours.body.items.some((h: { id: string }) => h.id === hb)).toBe(false);
    const orders = await t.http().get('/api/v1/work-orders').query({ limit: '200' }).set(bearer(mentorA)).expect(200);
    expect(orders.body.items.map((o: { id: string }) => o.id)).toContain(oa);
    expect(orders.body.items.map((o: { id: string }) => o.id)).not.toContain(ob);
    await t.http().get(`/api/v1/work-orders/${ob}`).set(bearer(mentorA)).expect(404);
    await t.http().get('/api/v1/practice/progress').query({ studentId: b.studentId }).set(bearer(mentorA)).expect(404);
  });
});
