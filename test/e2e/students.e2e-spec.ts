import { TenantContext } from '../../src/tenancy/tenant-context';
import { addMonths, CohortKpiService } from '../../modules/cohorts';

import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { cohortRow, freshIdNumber, programmeWithPlan, studentRow } from './matrix/cohorts.fixtures';
import { partnershipIn } from './matrix/enterprises.fixtures';
import { inTenant } from './matrix/programmes.fixtures';
import { placementRow } from './matrix/practice.fixtures';
import { chinaToday } from '../../src/time/china-date';
import { daysFromToday, monthsFromToday, today } from '../setup/dates';

describe('students: PIPL, R-TRK-3, admission and streaming R-EVA-1 (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let other: string;
  let enterprise: string;
  let staffToken: string;
  let adminToken: string;
  let mentorToken: string;
  let enterpriseToken: string;
  let otherToken: string;

  const register = (cohortId: string, body: Record<string, unknown>, token = staffToken) =>
    t.http().post(`/api/v1/cohorts/${cohortId}/students`).set(bearer(token)).send({ name: '陈嘉豪', entryLevel: 'senior-high', ...body });

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '学生测试技师学院' });
    other = await f.tenant({ name: '学生测试另一学院' });
    enterprise = await f.enterprise('学生测试合作企业');
    const tok = async (role: Parameters<IdentityFactory['member']>[0], place: { tenantId?: string; enterpriseId?: string }) =>
      (await login(t, (await f.member(role, place)).email, TEST_PASSWORD)).accessToken;
    staffToken = await tok('college-staff', { tenantId: college });
    adminToken = await tok('college-admin', { tenantId: college });
    mentorToken = await tok('college-mentor', { tenantId: college });
    enterpriseToken = await tok('enterprise-admin', { tenantId: college, enterpriseId: enterprise });
    otherToken = await tok('college-staff', { tenantId: other });
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('R-TRK-3: an entry level that does not match the track is refused with a clear Chinese message; flexible takes any', async () => {
    const { cohortId } = await cohortRow(f, college, { track: 'senior-high' });
    const res = await register(cohortId, { idNumber: freshIdNumber(), entryLevel: 'junior-high' }).expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'entryLevel', message: expect.stringContaining('入学起点“初中”与班级学制不符：本班只招收高中毕业生（R-TRK-3）') })]);
    const flexible = await cohortRow(f, college, { track: 'flexible', durationMonths: 54, stageMonths: 30 });
    await register(flexible.cohortId, { idNumber: freshIdNumber(), entryLevel: 'junior-high' }).expect(201);
  });

  it('resident ID: a check character one off is refused; birth date and gender are read from the number', async () => {
    const { cohortId } = await cohortRow(f, college);
    const id = freshIdNumber('female');
    const chars = '0123456789X';
    const wrong = id.slice(0, 17) + chars[(chars.indexOf(id[17]) + 1) % 11];
    const res = await register(cohortId, { idNumber: wrong }).expect(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'idNumber', message: '身份证号校验位不正确，请核对' });
    const ok = await register(cohortId, { idNumber: id.toLowerCase() }).expect(201);
    expect(ok.body).toMatchObject({ gender: 'female', dateOfBirth: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, status: 'admitted' });
    const mismatch = await register(cohortId, { idNumber: freshIdNumber('male'), gender: 'female' }).expect(422);
    expect(mismatch.body.errors[0].message).toBe('性别与身份证号不一致');
  });

  it('an ID number is unique in the college (blind index) but another college may enrol the same person; stored encrypted', async () => {
    const mine = await cohortRow(f, college);
    const second = await cohortRow(f, college);
    const theirs = await cohortRow(f, other);
    const id = freshIdNumber();
    const created = await register(mine.cohortId, { idNumber: id }).expect(201);
    const dup = await register(second.cohortId, { idNumber: id }).expect(409);
    expect(dup.body.code).toBe('STUDENTS.DUPLICATE_ID_NUMBER');
    await register(theirs.cohortId, { idNumber: id }, otherToken).expect(201);
    const stored = await inTenant(f, college, () => f.query(`SELECT id_number_enc, id_number_hash, id_number_masked, mobile_enc FROM students WHERE id = $1`, [created.body.id]));
    const raw = stored.rows[0];
    expect(raw.id_number_enc.toString('latin1')).not.toContain(id);
    expect(raw.id_number_hash).toHaveLength(32);
    expect(raw.id_number_masked).toBe(`${id.slice(0, 6)}**********${id.slice(-2)}`);
  });

  it('QUALITY §4: every role sees masked numbers; no response carries the full ID or mobile', async () => {
    const ready = await programmeWithPlan(f, college);
    await partnershipIn(f, college, enterprise, 'active', ready.programmeId);
    const { cohortId } = await cohortRow(f, college, ready);
    const id = freshIdNumber();
    const created = await register(cohortId, { idNumber: id, mobile: '13912345678' }).expect(201);
    expect(created.body).toMatchObject({ idNumber: `${id.slice(0, 6)}**********${id.slice(-2)}`, mobile: '139****5678' });
    // issue 9 item 3: the partner enterprise reads the student once it is placed with it
    await placementRow(f, college, created.body.id, enterprise, chinaToday(), chinaToday());
    for (const token of [adminToken, staffToken, mentorToken, enterpriseToken]) {
      const one = await t.http().get(`/api/v1/students/${created.body.id}`).set(bearer(token)).expect(200);
      const list = await t.http().get('/api/v1/students').query({ cohortId }).set(bearer(token)).expect(200);
      const text = JSON.stringify([one.body, list.body]);
      expect(text).not.toContain(id);
      expect(text).not.toContain('13912345678');
      expect(one.body.idNumber).toBe(`${id.slice(0, 6)}**********${id.slice(-2)}`);
    }
    // an enterprise outside the programme's partnerships sees nothing of it
    const hidden = await cohortRow(f, college);
    const s = await studentRow(f, college, hidden.cohortId);
    await t.http().get(`/api/v1/students/${s.studentId}`).set(bearer(enterpriseToken)).expect(404);
  });

  it('QUALITY §4: a reveal needs the permission and writes an audit row with the reason, never the number', async () => {
    const { cohortId } = await cohortRow(f, college);
    const s = await studentRow(f, college, cohortId, { mobile: '13800001111' });
    await t.http().post(`/api/v1/students/${s.studentId}/reveal`).set(bearer(mentorToken)).send({ reason: '核对' }).expect(403);
    await t.http().post(`/api/v1/students/${s.studentId}/reveal`).set(bearer(adminToken)).send({}).expect(400);
    const res = await t.http().post(`/api/v1/students/${s.studentId}/reveal`).set(bearer(adminToken)).send({ reason: '办理学籍注册需核对身份证号' }).expect(200);
    expect(res.body).toEqual({ studentId: s.studentId, idNumber: s.idNumber, mobile: '13800001111' });
    const audit = await inTenant(f, college, () =>
      f.query(`SELECT actor_role, after FROM audit_log WHERE tenant_id = $1 AND entity = 'student' AND entity_id = $2 AND action = 'reveal-pii'`, [college, s.studentId]),
    );
    expect(audit.rows).toEqual([{ actor_role: 'college-admin', after: { reason: '办理学籍注册需核对身份证号', fields: ['idNumber', 'mobile'] } }]);
    expect(JSON.stringify(audit.rows)).not.toContain(s.idNumber);
    const foreign = await studentRow(f, other, (await cohortRow(f, other)).cohortId);
    await t.http().post(`/api/v1/students/${foreign.studentId}/reveal`).set(bearer(adminToken)).send({ reason: '核对' }).expect(404);
  });

  it('R-EVA-1 admission by merit: the top N by total score become students; a tie goes to the earlier registration; the rest are rejected with their rank', async () => {
    const { cohortId } = await cohortRow(f, college);
    const apply = (name: string, scores: Record<string, number>, entryLevel = 'senior-high') =>
      t.http().post(`/api/v1/cohorts/${cohortId}/applicants`).set(bearer(staffToken)).send({ name, idNumber: freshIdNumber(), entryLevel, scores });
    const wrongLevel = await apply('林晓', { 笔试: 99 }, 'bachelor-plus').expect(422);
    expect(wrongLevel.body.errors[0].message).toContain('R-TRK-3');
    await apply('张伟', { 笔试: 80, 面试: 90 }).expect(201); // 170
    await apply('李娜', { 笔试: 85, 面试: 80 }).expect(201); // 165, earlier
    await apply('王强', { 笔试: 90, 面试: 75 }).expect(201); // 165, later
    await apply('赵敏', { 笔试: 60, 面试: 70 }).expect(201); // 130
    const res = await t.http().post(`/api/v1/cohorts/${cohortId}/admissions`).set(bearer(staffToken)).send({ count: 2 }).expect(200);
    expect(res.body.admitted.map((a: { name: string; admissionRank: number }) => [a.name, a.admissionRank])).toEqual([['张伟', 1], ['李娜', 2]]);
    expect(res.body.rejected.map((a: { name: string; resultReason: string }) => [a.name, a.resultReason])).toEqual([
      ['王强', '未达录取名次（第 3 名，录取 2 名）'],
      ['赵敏', '未达录取名次（第 4 名，录取 2 名）'],
    ]);
    expect(res.body.tieRule).toContain('同分者以报名登记时间先者优先');
    const students = await t.http().get('/api/v1/students').query({ cohortId }).set(bearer(staffToken)).expect(200);
    expect(students.body.items.map((s: { name: string }) => s.name).sort()).toEqual(['张伟', '李娜'].sort());
    await t.http().post(`/api/v1/cohorts/${cohortId}/admissions`).set(bearer(staffToken)).send({ count: 2 }).expect(422);
  });

  it('DOMAIN §5: the stage is derived from the cohort dates (senior-worker stage over → technician-stage); a track without that stage starts in technician-stage', async () => {
    const senior = await cohortRow(f, college, { startDate: '2023-09-01', status: 'started' });
    const s1 = await studentRow(f, college, senior.cohortId, { status: 'enrolled' });
    const fresh = await cohortRow(f, college, { startDate: monthsFromToday(-3), status: 'started' });
    const s2 = await studentRow(f, college, fresh.cohortId, { status: 'enrolled' });
    const higher = await cohortRow(f, college, { track: 'higher-vocational', startDate: monthsFromToday(-3), status: 'started' });
    const s3 = await studentRow(f, college, higher.cohortId, { status: 'enrolled', entryLevel: 'higher-vocational' });
    const get = async (id: string) => (await t.http().get(`/api/v1/students/${id}`).set(bearer(staffToken)).expect(200)).body;
    expect((await get(s1.studentId)).status).toBe('technician-stage');
    expect((await get(s2.studentId)).status).toBe('senior-worker-stage');
    expect((await get(s3.studentId)).status).toBe('technician-stage');
    const w = await get(s2.studentId);
    const res = await t.http().post(`/api/v1/students/${s2.studentId}/status`).set(bearer(staffToken)).send({ to: 'withdrawn', on: daysFromToday(-1), reason: '个人原因', version: w.version }).expect(200);
    expect(res.body).toMatchObject({ status: 'withdrawn', leftOn: daysFromToday(-1) });
    expect(res.body.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['withdrawn']);
    await t.http().post(`/api/v1/students/${s2.studentId}/status`).set(bearer(staffToken)).send({ to: 'graduated', on: today(), version: res.body.version }).expect(409);
  });

  it('R-EVA-1 streaming checkpoint is a college setting (streamingCheckpointMonths); without it the end of the senior-worker stage', async () => {
    const start = addMonths(chinaToday(), -20); // stage end (24 months) still ahead; 18 months already behind
    const plain = await f.tenant({ name: '分流设置默认学院' });
    const set = await f.tenant({ name: '分流设置学院' });
    await f.query(`UPDATE tenants SET settings = COALESCE(settings, '{}'::jsonb) || '{"streamingCheckpointMonths": 18}'::jsonb WHERE id = $1`, [set]);
    for (const [tenantId, checkpoint, allowed] of [
      [plain, addMonths(start, 24), false],
      [set, addMonths(start, 18), true],
    ] as const) {
      const tok = (await login(t, (await f.member('college-staff', { tenantId })).email, TEST_PASSWORD)).accessToken;
      const { cohortId } = await cohortRow(f, tenantId, { startDate: start, status: 'started' });
      const s = await studentRow(f, tenantId, cohortId, { status: 'enrolled' });
      const cohort = await t.http().get(`/api/v1/cohorts/${cohortId}`).set(bearer(tok)).expect(200);
      expect(cohort.body.streamingCheckpoint).toBe(checkpoint);
      const res = await t.http().post(`/api/v1/cohorts/${cohortId}/streaming`).set(bearer(tok)).send({ decisions: [{ studentId: s.studentId, decision: 'continue', reason: '考核合格' }] });
      if (allowed) expect(res.body).toMatchObject({ checkpoint, counts: { continue: 1 } });
      else expect(res.body).toMatchObject({ code: 'STUDENTS.CHECKPOINT_NOT_REACHED' });
      expect(res.status).toBe(allowed ? 200 : 422);
    }
  });

  it('R-EVA-1: a streamed student (senior-worker route, leave) leaves the technician denominator; continue stays', async () => {
    const { cohortId } = await cohortRow(f, college, { startDate: '2023-09-01', status: 'started' });
    const a = await studentRow(f, college, cohortId, { status: 'enrolled', name: '甲' });
    const b = await studentRow(f, college, cohortId, { status: 'enrolled', name: '乙' });
    const c = await studentRow(f, college, cohortId, { status: 'enrolled', name: '丙' });
    const denominator = () => t.app.get(TenantContext).runAsTenant(college, () => t.app.get(CohortKpiService).technicianDenominator(cohortId));
    expect(await denominator()).toBe(3);
    const res = await t
      .http()
      .post(`/api/v1/cohorts/${cohortId}/streaming`)
      .set(bearer(staffToken))
      .send({
        decisions: [
          { studentId: a.studentId, decision: 'continue', reason: '高级工阶段考核合格' },
          { studentId: b.studentId, decision: 'senior-worker-route', reason: '本人申请转高级工方向' },
        ],
      })
      .expect(200);
    expect(res.body).toMatchObject({ checkpoint: '2025-09-01', technicianDenominator: 2, counts: { continue: 1, 'senior-worker-route': 1, leave: 0, undecided: 1 } });
    expect(await denominator()).toBe(2);
    const streamed = await t.http().get(`/api/v1/students/${b.studentId}`).set(bearer(staffToken)).expect(200);
    expect(streamed.body).toMatchObject({ status: 'streamed-out', leftOn: '2025-09-01', streaming: { decision: 'senior-worker-route' } });
    const again = await t.http().post(`/api/v1/cohorts/${cohortId}/streaming`).set(bearer(staffToken)).send({ decisions: [{ studentId: b.studentId, decision: 'leave', reason: 'x' }] }).expect(422);
    expect(again.body.code).toBe('STUDENTS.STREAMING_INVALID');
    await t.http().post(`/api/v1/cohorts/${cohortId}/streaming`).set(bearer(staffToken)).send({ decisions: [{ studentId: c.studentId, decision: 'leave', reason: '退出培养' }] }).expect(200);
    expect(await denominator()).toBe(1);
    // before the checkpoint nothing is recorded
    const early = await cohortRow(f, college, { startDate: monthsFromToday(-3), status: 'started' });
    const d = await studentRow(f, college, early.cohortId, { status: 'enrolled' });
    const tooEarly = await t.http().post(`/api/v1/cohorts/${early.cohortId}/streaming`).set(bearer(staffToken)).send({ decisions: [{ studentId: d.studentId, decision: 'leave', reason: 'x' }] }).expect(422);
    expect(tooEarly.body.code).toBe('STUDENTS.CHECKPOINT_NOT_REACHED');
  });
});
