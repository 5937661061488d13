import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { defenceBody, practiceWorld, PracticeWorld, today } from './matrix/practice.fixtures';
import { staffRow } from './matrix/staff.fixtures';
import { daysFromToday } from '../setup/dates';

describe('projects (e2e, R-TRN-3)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let staff: string;
  let collegeMentor: string;
  let enterpriseMentor: string;
  let w: PracticeWorld;

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '课题测试技师学院' });
    const enterprise = await f.enterprise('课题测试精工数控有限公司');
    staff = (await login(t, (await f.member('college-staff', { tenantId: college })).email, TEST_PASSWORD)).accessToken;
    const cm = await f.member('college-mentor', { tenantId: college });
    const em = await f.member('enterprise-mentor', { tenantId: college, enterpriseId: enterprise });
    collegeMentor = (await login(t, cm.email, TEST_PASSWORD)).accessToken;
    enterpriseMentor = (await login(t, em.email, TEST_PASSWORD)).accessToken;
    w = await practiceWorld(f, college, enterprise, { collegeUserId: cm.userId, enterpriseUserId: em.userId });
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  const post = (tok: string, path: string, body: object = {}) => t.http().post(path).set(bearer(tok)).send(body);

  it('R-TRN-3: the topic needs both mentors’ approvals before study and defence; the panel needs both mentors and another expert', async () => {
    const created = await post(collegeMentor, '/api/v1/projects', { studentId: w.studentId, topic: '薄壁套类零件数控车削变形控制', summary: '优化装夹与切削参数' }).expect(201);
    const id = created.body.id;
    await post(staff, '/api/v1/projects', { studentId: w.studentId, topic: '重复', summary: '重复' }).expect(409);

    const early = await post(staff, `/api/v1/projects/${id}/milestones`, { title: '完成试切', dueOn: today() });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('PROJECTS.TOPIC_NOT_APPROVED');
    expect(early.body.detail).toContain('院校导师、企业导师');

    // a mentor approves only their own side
    const wrongSide = await post(collegeMentor, `/api/v1/projects/${id}/approvals`, { side: 'enterprise' });
    expect(wrongSide.status).toBe(403);
    const one = await post(collegeMentor, `/api/v1/projects/${id}/approvals`, { side: 'college' }).expect(200);
    expect(one.body).toMatchObject({ topicApproved: false, approvals: { college: { by: { id: w.collegeMentorId } }, enterprise: null } });
    const stillEarly = await post(staff, `/api/v1/projects/${id}/mid-check`, { checkedOn: today(), result: 'pass', comment: '正常' });
    expect(stillEarly.status).toBe(409);
    expect(stillEarly.body.detail).toContain('尚缺：企业导师');
    const two = await post(enterpriseMentor, `/api/v1/projects/${id}/approvals`, { side: 'enterprise' }).expect(200);
    expect(two.body.topicApproved).toBe(true);
    await t.http().patch(`/api/v1/projects/${id}`).set(bearer(staff)).send({ topic: '改题', summary: '改', version: two.body.version }).expect(409);

    const ms = await post(staff, `/api/v1/projects/${id}/milestones`, { title: '完成工艺方案与试切', dueOn: today() }).expect(201);
    // issue 8: a completion dated tomorrow (China) has not happened yet: 422, nothing saved; today passes
    const doneTomorrow = await post(staff, `/api/v1/projects/${id}/milestones/${ms.body.milestones[0].id}/complete`, { doneOn: daysFromToday(1) });
    expect({ status: doneTomorrow.status, code: doneTomorrow.body.code, field: doneTomorrow.body.errors?.[0]?.field }).toEqual({ status: 422, code: 'TIME.DATE_IN_FUTURE', field: 'doneOn' });
    await post(staff, `/api/v1/projects/${id}/milestones/${ms.body.milestones[0].id}/complete`, { doneOn: today() }).expect(200);
    await post(staff, `/api/v1/projects/${id}/defence`, defenceBody(w, w.collegeMentorId)).expect(409); // no mid-check yet
    // issue 8: a mid-check dated in the future (tomorrow, next year) is refused like hours; today is accepted
    for (const checkedOn of [daysFromToday(1), daysFromToday(365)]) {
      const future = await post(staff, `/api/v1/projects/${id}/mid-check`, { checkedOn, result: 'pass', comment: '进度正常' });
      expect({ status: future.status, code: future.body.code }).toEqual({ status: 422, code: 'TIME.DATE_IN_FUTURE' });
      expect(future.body.title).toContain(`中期检查日期（${checkedOn}）`);
    }
    expect((await t.http().get(`/api/v1/projects/${id}`).set(bearer(staff)).expect(200)).body.midCheck).toBeNull();
    await post(staff, `/api/v1/projects/${id}/mid-check`, { checkedOn: today(), result: 'pass', comment: '进度正常' }).expect(200);

    const notExpert = await staffRow(f, college, { skillLevelCode: 'level-3' });
    const expert = await staffRow(f, college, { skillLevelCode: 'level-2' });
    const noExpert = await post(staff, `/api/v1/projects/${id}/defence`, defenceBody(w, notExpert));
    expect(noExpert.status).toBe(422);
    expect(noExpert.body.code).toBe('PROJECTS.PANEL_INCOMPLETE');
    expect(noExpert.body.detail).toContain('其他专家');
    const body = defenceBody(w, expert);
    const noEnterprise = await post(staff, `/api/v1/projects/${id}/defence`, { ...body, panel: [body.panel[0], body.panel[2], { staffMemberId: notExpert, score: 80 }] });
    expect(noEnterprise.status).toBe(422);
    expect(noEnterprise.body.detail).toContain('缺少企业导师');
    const done = await post(staff, `/api/v1/projects/${id}/defence`, body).expect(200);
    expect(done.body.defence).toMatchObject({ result: 'pass', score: 86.67 });
    expect(done.body.defence.panel.map((p: { role: string }) => p.role).sort()).toEqual(['college-mentor', 'enterprise-mentor', 'expert']);
  });

  it('R-TRN-3: only technician-stage students have a project', async () => {
    const s = await practiceWorld(f, college, await f.enterprise('课题测试二企业'), { placement: false });
    await f.query('BEGIN');
    await f.query("SELECT set_config('app.tenant_id', $1, true)", [college]);
    await f.query(`UPDATE cohorts SET senior_worker_stage_months = 23, start_date = china_today() - 30 WHERE id = (SELECT cohort_id FROM students WHERE id = $1)`, [s.studentId]);
    await f.query('COMMIT');
    const res = await post(staff, '/api/v1/projects', { studentId: s.studentId, topic: '课题', summary: '摘要' });
    expect(res.status).toBe(422);
    expect(res.body.detail).toContain('高级工阶段');
  });
});
