import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { appPool, asTenant } from '../setup/db';
import { addDays, practiceWorld, PracticeWorld, today, workOrderRow } from './matrix/practice.fixtures';

describe('work orders (e2e, R-ENT-3)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let staff: string;
  let mentor: string;
  let w: PracticeWorld;

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '工单测试技师学院' });
    const enterprise = await f.enterprise('工单测试精工数控有限公司');
    const s = await f.member('college-staff', { tenantId: college });
    staff = (await login(t, s.email, TEST_PASSWORD)).accessToken;
    const m = await f.member('enterprise-mentor', { tenantId: college, enterpriseId: enterprise });
    mentor = (await login(t, m.email, TEST_PASSWORD)).accessToken;
    w = await practiceWorld(f, college, enterprise, { enterpriseUserId: m.userId });
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  const post = (tok: string, path: string, body: object = {}) => t.http().post(path).set(bearer(tok)).send(body);

  it('R-ENT-3: issued → in-progress → submitted → rejected (back to in-progress) → submitted → accepted; history kept', async () => {
    const issued = await post(mentor, '/api/v1/work-orders', {
      placementId: w.placementId, title: '法兰盘批量数控车削首件加工', kind: 'equipment-operation', description: '按图纸完成首件加工与检验',
      skillStandardItems: ['2.1.1 能编制数控车削工艺'], dueOn: addDays(today(), 20), expectedHours: 12,
    }).expect(201);
    const id = issued.body.id;
    expect(issued.body.status).toBe('issued');
    const early = await post(staff, `/api/v1/work-orders/${id}/submit`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('WORK_ORDERS.NO_RECORDS');
    const rec = await post(staff, `/api/v1/work-orders/${id}/records`, { text: '完成首件粗车', hours: 4 }).expect(201);
    expect(rec.body).toMatchObject({ status: 'in-progress', recordedHours: 4 });
    await post(staff, `/api/v1/work-orders/${id}/submit`).expect(200);
    const locked = await post(staff, `/api/v1/work-orders/${id}/records`, { text: '补充', hours: 1 });
    expect(locked.status).toBe(409);
    expect(locked.body.detail).toContain('已提交待验收');
    const rejected = await post(mentor, `/api/v1/work-orders/${id}/reject`, { reason: '内孔粗糙度未达 Ra1.6' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'in-progress', rejections: 1, lastRejectionReason: '内孔粗糙度未达 Ra1.6' });
    await post(staff, `/api/v1/work-orders/${id}/records`, { text: '调整精车参数后重新加工', hours: 2 }).expect(201);
    await post(staff, `/api/v1/work-orders/${id}/submit`).expect(200);
    const accepted = await post(mentor, `/api/v1/work-orders/${id}/accept`, { score: 92, comment: '首件合格' }).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', score: 92, recordedHours: 6 });
    expect(accepted.body.history.map((e: { kind: string }) => e.kind)).toEqual(['issued', 'record', 'submitted', 'rejected', 'record', 'submitted', 'accepted']);
    const again = await post(mentor, `/api/v1/work-orders/${id}/reject`, { reason: '再退回' });
    expect(again.status).toBe(409);
    const progress = await t.http().get('/api/v1/practice/progress').query({ studentId: w.studentId }).set(bearer(staff)).expect(200);
    expect(progress.body[0]).toMatchObject({ confirmedHours: 6 });
  });

  it('R-ENT-3: nothing is deleted: there is no delete route', async () => {
    const res = await t.http().delete(`/api/v1/work-orders/${w.placementId}`).set(bearer(staff));
    expect([404, 405]).toContain(res.status);
  });

  it('R-ENT-3: the runtime role cannot delete an order, nor change or delete its history (42501), even in its own college', async () => {
    const id = await workOrderRow(f, w, 'accepted', 2);
    const pool = appPool(1);
    try {
      for (const sql of [
        `DELETE FROM work_orders WHERE id = '${id}'`,
        `DELETE FROM work_order_events WHERE work_order_id = '${id}'`,
        `UPDATE work_order_events SET hours = 99 WHERE work_order_id = '${id}'`,
      ]) {
        await expect(asTenant(pool, { tenantId: college, scope: 'college' }, (c) => c.query(sql))).rejects.toMatchObject({ code: '42501' });
      }
      const kept = await asTenant(pool, { tenantId: college, scope: 'college' }, (c) => c.query(`SELECT count(*)::int AS n FROM work_order_events WHERE work_order_id = $1`, [id]));
      expect(kept.rows[0].n).toBeGreaterThan(0);
    } finally {
      await pool.end();
    }
  });

  it('R-ENT-3: a score outside 0–100 is refused', async () => {
    await post(mentor, `/api/v1/work-orders/${w.placementId}/accept`, { score: 101, comment: 'x' }).expect(400);
  });
});
