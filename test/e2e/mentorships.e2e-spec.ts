import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { inTenant } from './matrix/programmes.fixtures';
import { cohortRow, mentorshipRow, partnerWithAgreement, studentOf, studentRow } from './matrix/mentorships.fixtures';
import { staffRow } from './matrix/staff.fixtures';
import { hoursRow, practiceWorld, today, workOrderRow } from './matrix/practice.fixtures';
import { daysFromToday } from '../setup/dates';

describe('1+1 dual mentors, R-TRN-3 (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let other: string;
  let partner: string;
  let stranger: string;
  let programme: string;
  let staffToken: string;

  type Role = Parameters<IdentityFactory['member']>[0];
  const signIn = async (role: Role, place: { tenantId?: string; enterpriseId?: string }) => {
    const m = await f.member(role, place);
    return { userId: m.userId, token: (await login(t, m.email, TEST_PASSWORD)).accessToken };
  };
  const assign = (body: object, tok = staffToken) => t.http().post('/api/v1/mentorships').set(bearer(tok)).send(body);
  const active = async (studentId: string) =>
    (
      await inTenant(f, college, () =>
        f.query(`SELECT side, staff_member_id AS "staffMemberId" FROM mentorships WHERE tenant_id = $1 AND student_id = $2 AND ended_on IS NULL ORDER BY side`, [
          college,
          studentId,
        ]),
      )
    ).rows;
  /** A confirmed enterprise mentor of the programme's partner. */
  const partnerMentor = (name?: string) => staffRow(f, college, { enterpriseId: partner, name });

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '导师测试技师学院' });
    other = await f.tenant({ name: '导师测试另一学院' });
    partner = await f.enterprise('导师测试合作企业');
    stranger = await f.enterprise('导师测试其他专业合作企业');
    programme = (await partnerWithAgreement(f, college, partner)).programmeId;
    // `stranger` partners another programme of the college: a real partner, but not of this programme
    await partnerWithAgreement(f, college, stranger);
    staffToken = (await signIn('college-staff', { tenantId: college })).token;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  describe('assignment', () => {
    it('R-TRN-3: a student gets a college mentor and an enterprise mentor of a partner with an agreement in force', async () => {
      const student = await studentOf(f, college, programme, '陈子轩');
      const teacher = await staffRow(f, college, { name: '吴嘉琪' });
      const mentor = await partnerMentor('黎国栋');
      const c = await assign({ studentId: student, side: 'college', staffMemberId: teacher, startedOn: '2026-09-01' }).expect(201);
      expect(c.body).toEqual({
        mentorship: expect.objectContaining({
          student: { id: student, name: '陈子轩' },
          side: 'college',
          mentor: { id: teacher, name: '吴嘉琪', enterpriseName: null },
          startedOn: '2026-09-01',
          endedOn: null,
          active: true,
        }),
        warnings: [],
      });
      const e = await assign({ studentId: student, side: 'enterprise', staffMemberId: mentor }).expect(201);
      expect(e.body.mentorship).toMatchObject({ side: 'enterprise', mentor: { id: mentor, name: '黎国栋', enterpriseName: '导师测试合作企业' }, active: true });
      expect(await active(student)).toEqual([
        { side: 'college', staffMemberId: teacher },
        { side: 'enterprise', staffMemberId: mentor },
      ]);
    });

    it('R-TRN-3: a second active mentor of the same side is refused (409) and the first stays', async () => {
      const student = await studentOf(f, college, programme);
      const first = await staffRow(f, college);
      await assign({ studentId: student, side: 'college', staffMemberId: first }).expect(201);
      const second = await assign({ studentId: student, side: 'college', staffMemberId: await staffRow(f, college) });
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('MENTORSHIPS.SIDE_TAKEN');
      expect(second.body.title).toContain('已有在任的院校导师');
      const secondEnterprise = await partnerMentor();
      await assign({ studentId: student, side: 'enterprise', staffMemberId: await partnerMentor() }).expect(201);
      const again = await assign({ studentId: student, side: 'enterprise', staffMemberId: secondEnterprise });
      expect(again.body.code).toBe('MENTORSHIPS.SIDE_TAKEN');
      expect((await active(student)).map((r: { staffMemberId: string }) => r.staffMemberId)).toContain(first);
      expect(await active(student)).toHaveLength(2);
    });

    it('R-TRN-3: an enterprise mentor of an enterprise that is not a partner of the student’s programme is refused (422)', async () => {
      const student = await studentOf(f, college, programme);
      const res = await assign({ studentId: student, side: 'enterprise', staffMemberId: await staffRow(f, college, { enterpriseId: stranger, name: '外专业导师' }) });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('MENTORSHIPS.NOT_PROGRAMME_PARTNER');
      expect(res.body.title).toContain('外专业导师');
      expect(await active(student)).toEqual([]);
    });

    it('R-TRN-3: a partner whose agreement is not in force (expired, or only a draft) cannot provide the enterprise mentor', async () => {
      for (const agreement of [{ termStart: '2023-09-01', termEnd: '2026-06-30' }, { status: 'draft' as const }, null]) {
        const enterprise = await f.enterprise();
        const { programmeId } = await partnerWithAgreement(f, college, enterprise, agreement);
        const student = await studentOf(f, college, programmeId);
        const res = await assign({ studentId: student, side: 'enterprise', staffMemberId: await staffRow(f, college, { enterpriseId: enterprise }) });
        expect({ agreement, status: res.status, code: res.body.code }).toEqual({ agreement, status: 422, code: 'MENTORSHIPS.NOT_PROGRAMME_PARTNER' });
      }
    });

    it('a mentor of the wrong side, an unconfirmed mentor and an unknown student are refused (422)', async () => {
      const student = await studentOf(f, college, programme);
      const wrong = await assign({ studentId: student, side: 'enterprise', staffMemberId: await staffRow(f, college) });
      expect(wrong.body.code).toBe('MENTORSHIPS.WRONG_SIDE');
      const pending = await assign({ studentId: student, side: 'enterprise', staffMemberId: await staffRow(f, college, { enterpriseId: partner, confirmation: 'pending-confirmation' }) });
      expect(pending.body.code).toBe('MENTORSHIPS.MENTOR_NOT_ACTIVE');
      const foreignStudent = await studentOf(f, other);
      const unknown = await assign({ studentId: foreignStudent, side: 'college', staffMemberId: await staffRow(f, college) });
      expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 422, code: 'MENTORSHIPS.STUDENT_NOT_FOUND' });
    });
  });

  describe('reassignment and departure', () => {
    it('R-TRN-3: reassignment closes the old pair with the date and reason, opens the new one the same day, and keeps the history', async () => {
      const student = await studentOf(f, college, programme);
      const oldMentor = await partnerMentor('苏永康');
      const newMentor = await partnerMentor('林建业');
      const first = await assign({ studentId: student, side: 'enterprise', staffMemberId: oldMentor, startedOn: '2026-09-01' }).expect(201);
      const oldId = first.body.mentorship.id;
      const res = await t
        .http()
        .post(`/api/v1/mentorships/${oldId}/reassign`)
        .set(bearer(staffToken))
        .send({ staffMemberId: newMentor, on: '2026-11-02', reason: '原导师调往外地分厂' })
        .expect(200);
      expect(res.body.mentorship).toMatchObject({ side: 'enterprise', mentor: { id: newMentor }, startedOn: '2026-11-02', active: true });
      const old = await t.http().get(`/api/v1/mentorships/${oldId}`).set(bearer(staffToken)).expect(200);
      expect(old.body).toMatchObject({ mentor: { id: oldMentor }, startedOn: '2026-09-01', endedOn: '2026-11-02', endReason: '原导师调往外地分厂', replacedBy: res.body.mentorship.id, active: false });
      const history = await t.http().get('/api/v1/mentorships').query({ studentId: student }).set(bearer(staffToken)).expect(200);
      expect(history.body.items.map((m: { mentor: { id: string }; active: boolean }) => [m.mentor.id, m.active]).sort()).toEqual(
        [[oldMentor, false], [newMentor, true]].sort(),
      );
      const onlyHistory = await t.http().get('/api/v1/mentorships').query({ studentId: student, active: 'false' }).set(bearer(staffToken)).expect(200);
      expect(onlyHistory.body.items.map((m: { id: string }) => m.id)).toEqual([oldId]);
      // an ended pair cannot be reassigned again
      const again = await t.http().post(`/api/v1/mentorships/${oldId}/reassign`).set(bearer(staffToken)).send({ staffMemberId: oldMentor, on: '2026-11-20', reason: '再次更换' });
      expect(again.status).toBe(409);
    });

    it('R-TRN-3: reassignment applies the same rules to the new mentor (non-partner 422, same mentor 409, date before the start 422)', async () => {
      const student = await studentOf(f, college, programme);
      const mentor = await partnerMentor();
      const id = (await assign({ studentId: student, side: 'enterprise', staffMemberId: mentor, startedOn: '2026-09-01' }).expect(201)).body.mentorship.id;
      const send = (body: object) => t.http().post(`/api/v1/mentorships/${id}/reassign`).set(bearer(staffToken)).send(body);
      const strangerMentor = await staffRow(f, college, { enterpriseId: stranger });
      expect((await send({ staffMemberId: strangerMentor, on: '2026-10-01', reason: '调整' })).body.code).toBe('MENTORSHIPS.NOT_PROGRAMME_PARTNER');
      expect((await send({ staffMemberId: mentor, on: '2026-10-01', reason: '调整' })).status).toBe(409);
      const early = await send({ staffMemberId: await partnerMentor(), on: '2026-08-01', reason: '调整' });
      expect({ status: early.status, code: early.body.code }).toEqual({ status: 422, code: 'MENTORSHIPS.ENDS_BEFORE_START' });
      expect(await active(student)).toEqual([{ side: 'enterprise', staffMemberId: mentor }]);
    });

    it('R-TRN-3: a mentor who leaves hands their mentees to the successor; the history names both', async () => {
      const leaving = await staffRow(f, college, { name: '离任教师' });
      const successor = await staffRow(f, college, { name: '接任教师' });
      const students = [await studentOf(f, college, programme), await studentOf(f, college, programme)];
      for (const s of students) await assign({ studentId: s, side: 'college', staffMemberId: leaving, startedOn: '2026-09-01' }).expect(201);
      const leftOn = today();
      const refused = await t.http().post(`/api/v1/staff/${leaving}/leave`).set(bearer(staffToken)).send({ leftOn, reason: '退休' });
      expect(refused.status).toBe(422);
      expect(refused.body.title).toContain('在带学生2名');
      const res = await t
        .http()
        .post(`/api/v1/staff/${leaving}/leave`)
        .set(bearer(staffToken))
        .send({ leftOn, reason: '退休', successorId: successor })
        .expect(200);
      expect(res.body.handedOver).toEqual([{ kind: 'mentorships', count: 2 }]);
      for (const s of students) {
        expect(await active(s)).toEqual([{ side: 'college', staffMemberId: successor }]);
        const list = await t.http().get('/api/v1/mentorships').query({ studentId: s, active: 'false' }).set(bearer(staffToken)).expect(200);
        expect(list.body.items).toEqual([expect.objectContaining({ mentor: expect.objectContaining({ id: leaving }), endedOn: leftOn, endReason: '导师离任：退休' })]);
      }
    });

    it('R-TRN-3: leaving before a mentorship began is a 422 naming its start (not the 400 of a check constraint); nothing changes', async () => {
      const leaving = await staffRow(f, college, { name: '早离教师' });
      const successor = await staffRow(f, college, { name: '早离接任' });
      const student = await studentOf(f, college, programme);
      const startedOn = daysFromToday(-2);
      await assign({ studentId: student, side: 'college', staffMemberId: leaving, startedOn }).expect(201);
      const leave = (leftOn: string) => t.http().post(`/api/v1/staff/${leaving}/leave`).set(bearer(staffToken)).send({ leftOn, reason: '调离', successorId: successor });
      const before = await leave(daysFromToday(-3)); // the day before the start
      expect({ status: before.status, code: before.body.code, field: before.body.errors?.[0]?.field }).toEqual({ status: 422, code: 'STAFF.LEFT_BEFORE_MENTORSHIP_START', field: 'leftOn' });
      expect(before.body.title).toContain(`（${startedOn}）`);
      expect(await active(student)).toEqual([{ side: 'college', staffMemberId: leaving }]);
      expect((await t.http().get(`/api/v1/staff/${leaving}`).set(bearer(staffToken)).expect(200)).body.status).toBe('active');
      // a departure dated in the future has not happened: refused like hours
      const future = await leave(daysFromToday(1));
      expect({ status: future.status, code: future.body.code }).toEqual({ status: 422, code: 'TIME.DATE_IN_FUTURE' });
      // on the start day itself the hand-over works
      await leave(startedOn).expect(200);
      expect(await active(student)).toEqual([{ side: 'college', staffMemberId: successor }]);
    });

    it('R-TRN-3: a reassignment (or an assignment) dated in the future is refused, so no future mentor is active today; today passes', async () => {
      const student = await studentOf(f, college, programme);
      const mentor = await partnerMentor();
      const ahead = await assign({ studentId: student, side: 'enterprise', staffMemberId: mentor, startedOn: daysFromToday(1) });
      expect({ status: ahead.status, code: ahead.body.code, field: ahead.body.errors?.[0]?.field }).toEqual({ status: 422, code: 'TIME.DATE_IN_FUTURE', field: 'startedOn' });
      const id = (await assign({ studentId: student, side: 'enterprise', staffMemberId: mentor, startedOn: daysFromToday(-1) }).expect(201)).body.mentorship.id;
      const next = await partnerMentor();
      const send = (on: string) => t.http().post(`/api/v1/mentorships/${id}/reassign`).set(bearer(staffToken)).send({ staffMemberId: next, on, reason: '调整' });
      const tomorrow = await send(daysFromToday(1));
      expect({ status: tomorrow.status, code: tomorrow.body.code, field: tomorrow.body.errors?.[0]?.field }).toEqual({ status: 422, code: 'TIME.DATE_IN_FUTURE', field: 'on' });
      expect(await active(student)).toEqual([{ side: 'enterprise', staffMemberId: mentor }]);
      await send(today()).expect(200);
      expect(await active(student)).toEqual([{ side: 'enterprise', staffMemberId: next }]);
    });

    it('R-TRN-3: an enterprise mentor who leaves hands over the open items: the pending hours and the open work order are decided by the successor', async () => {
      const leaver = await signIn('enterprise-mentor', { tenantId: college, enterpriseId: partner });
      const heir = await signIn('enterprise-mentor', { tenantId: college, enterpriseId: partner });
      const w = await practiceWorld(f, college, partner, { enterpriseUserId: leaver.userId });
      const successor = await staffRow(f, college, { enterpriseId: partner, userId: heir.userId, name: '接任企业导师' });
      const hours = await hoursRow(f, w, { daysAgo: 2 });
      const order = await workOrderRow(f, w, 'submitted');
      const on = today();
      // a successor of the other side is refused; none at all is refused while items are open
      const wrongSide = await t.http().post(`/api/v1/staff/${w.enterpriseMentorId}/leave`).set(bearer(staffToken))
        .send({ leftOn: on, reason: '调回总部', successorId: w.collegeMentorId });
      expect({ status: wrongSide.status, code: wrongSide.body.code }).toEqual({ status: 422, code: 'STAFF.SUCCESSOR_INVALID' });
      const none = await t.http().post(`/api/v1/staff/${w.enterpriseMentorId}/leave`).set(bearer(staffToken)).send({ leftOn: on, reason: '调回总部' });
      expect({ status: none.status, code: none.body.code }).toEqual({ status: 422, code: 'STAFF.SUCCESSOR_REQUIRED' });
      const res = await t.http().post(`/api/v1/staff/${w.enterpriseMentorId}/leave`).set(bearer(staffToken))
        .send({ leftOn: on, reason: '调回总部', successorId: successor }).expect(200);
      expect(res.body.handedOver).toEqual(expect.arrayContaining([{ kind: 'mentorships', count: 1 }]));
      expect(await active(w.studentId)).toEqual([
        { side: 'college', staffMemberId: w.collegeMentorId },
        { side: 'enterprise', staffMemberId: successor },
      ]);
      // the former mentor decides nothing any more
      const stale = await t.http().post(`/api/v1/practice/hours/${hours}/confirm`).set(bearer(leaver.token));
      expect(stale.status).toBe(404); // no longer their mentee: not even visible
      const staleAccept = await t.http().post(`/api/v1/work-orders/${order}/accept`).set(bearer(leaver.token)).send({ score: 80, comment: '合格' });
      expect(staleAccept.status).toBe(404);
      // the successor confirms the pending hours and accepts the submitted work order
      const confirmed = await t.http().post(`/api/v1/practice/hours/${hours}/confirm`).set(bearer(heir.token)).expect(200);
      expect(confirmed.body).toMatchObject({ status: 'confirmed', decidedBy: { id: successor } });
      const accepted = await t.http().post(`/api/v1/work-orders/${order}/accept`).set(bearer(heir.token)).send({ score: 88, comment: '首件合格' }).expect(200);
      expect(accepted.body).toMatchObject({ status: 'accepted', score: 88 });
    });
  });

  describe('mentor load', () => {
    it('R-TRN-3: an enterprise mentor with 8 mentees gets no warning; the 9th brings one (default setting 8)', async () => {
      const mentor = await partnerMentor('钟丽萍');
      for (let i = 0; i < 7; i++) await mentorshipRow(f, college, { studentId: await studentOf(f, college, programme), side: 'enterprise', staffMemberId: mentor });
      const eighth = await assign({ studentId: await studentOf(f, college, programme), side: 'enterprise', staffMemberId: mentor }).expect(201);
      expect(eighth.body.warnings).toEqual([]);
      const ninth = await assign({ studentId: await studentOf(f, college, programme), side: 'enterprise', staffMemberId: mentor }).expect(201);
      expect(ninth.body.warnings).toEqual([
        { code: 'MENTOR_LOAD', zh: '企业导师钟丽萍在带学生9名，超过建议上限8名', en: 'Enterprise mentor 钟丽萍 now has 9 mentees, above the advised 8' },
      ]);
    });

    it('R-TRN-3: the threshold is the college setting tenants.settings.mentorLoadWarning', async () => {
      const tenant = await f.tenant({ name: '导师负荷设置学院' });
      await f.query(`UPDATE tenants SET settings = settings || '{"mentorLoadWarning": 2}'::jsonb WHERE id = $1`, [tenant]);
      const enterprise = await f.enterprise();
      const { programmeId } = await partnerWithAgreement(f, tenant, enterprise);
      const mentor = await staffRow(f, tenant, { enterpriseId: enterprise });
      const tok = (await signIn('college-admin', { tenantId: tenant })).token;
      const warnings: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await assign({ studentId: await studentOf(f, tenant, programmeId), side: 'enterprise', staffMemberId: mentor }, tok).expect(201);
        warnings.push(res.body.warnings.length);
      }
      expect(warnings).toEqual([0, 0, 1]);
    });
  });

  describe('bulk assignment for a cohort', () => {
    it('R-TRN-3: one bad row → nothing changes, and every bad row is reported with its number and student', async () => {
      const cohort = await cohortRow(f, college, programme);
      const students = [];
      for (const name of ['王浩', '李娜', '张伟', '刘洋']) students.push(await studentRow(f, college, cohort, name));
      const teacher = await staffRow(f, college);
      const mentor = await partnerMentor();
      // 张伟 already has a college mentor
      await mentorshipRow(f, college, { studentId: students[2], side: 'college', staffMemberId: await staffRow(f, college) });
      const before = await inTenant(f, college, () => f.query('SELECT count(*)::int AS n FROM mentorships WHERE tenant_id = $1', [college]));
      const rows = [
        { studentId: students[0], side: 'college', staffMemberId: teacher },
        { studentId: students[1], side: 'enterprise', staffMemberId: await staffRow(f, college, { enterpriseId: stranger }) },
        { studentId: students[2], side: 'college', staffMemberId: teacher },
        { studentId: students[3], side: 'enterprise', staffMemberId: mentor },
        { studentId: students[3], side: 'enterprise', staffMemberId: mentor },
      ];
      const res = await t.http().post('/api/v1/mentorships/bulk').set(bearer(staffToken)).send({ rows });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('MENTORSHIPS.BULK_INVALID');
      expect(res.body.title).toContain('3 行有错误');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['rows.1', 'rows.2', 'rows.4']);
      expect(res.body.errors[0].message).toContain('第2行（学生：李娜）');
      expect(res.body.errors[1].message).toContain('第3行（学生：张伟）');
      expect(res.body.errors[2].message).toContain('第5行（学生：刘洋）');
      const after = await inTenant(f, college, () => f.query('SELECT count(*)::int AS n FROM mentorships WHERE tenant_id = $1', [college]));
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('R-TRN-3: a clean batch assigns the whole cohort at once', async () => {
      const cohort = await cohortRow(f, college, programme);
      const teacher = await staffRow(f, college);
      const mentor = await partnerMentor();
      const rows = [];
      for (let i = 0; i < 3; i++) {
        const s = await studentRow(f, college, cohort);
        rows.push({ studentId: s, side: 'college', staffMemberId: teacher }, { studentId: s, side: 'enterprise', staffMemberId: mentor });
      }
      const res = await t.http().post('/api/v1/mentorships/bulk').set(bearer(staffToken)).send({ rows }).expect(201);
      expect(res.body.items).toHaveLength(6);
      expect(res.body.warnings).toEqual([]);
    });
  });

  describe('guidance and who sees what', () => {
    let studentA: string;
    let studentB: string;
    let collegeMentorA: { userId: string; token: string };
    let collegeMentorB: { userId: string; token: string };
    let enterpriseMentorA: { userId: string; token: string };
    let enterpriseMentorB: { userId: string; token: string };
    let partnerAdmin: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      studentA = await studentOf(f, college, programme, '甲同学');
      studentB = await studentOf(f, college, programme, '乙同学');
      collegeMentorA = await signIn('college-mentor', { tenantId: college });
      collegeMentorB = await signIn('college-mentor', { tenantId: college });
      enterpriseMentorA = await signIn('enterprise-mentor', { tenantId: college, enterpriseId: partner });
      enterpriseMentorB = await signIn('enterprise-mentor', { tenantId: college, enterpriseId: partner });
      partnerAdmin = (await signIn('enterprise-admin', { tenantId: college, enterpriseId: partner })).token;
      const pairs: [string, string, 'college' | 'enterprise', string, string | null][] = [
        ['collegeA', studentA, 'college', collegeMentorA.userId, null],
        ['enterpriseA', studentA, 'enterprise', enterpriseMentorA.userId, partner],
        ['collegeB', studentB, 'college', collegeMentorB.userId, null],
        ['enterpriseB', studentB, 'enterprise', enterpriseMentorB.userId, partner],
      ];
      for (const [key, studentId, side, userId, enterpriseId] of pairs) {
        const staffMemberId = await staffRow(f, college, { enterpriseId, userId });
        ids[key] = (await assign({ studentId, side, staffMemberId, startedOn: '2026-09-01' }).expect(201)).body.mentorship.id;
      }
    });

    const record = (tok: string, studentId: string, kind = 'topic-selection') =>
      t.http().post('/api/v1/mentorships/guidance').set(bearer(tok)).send({ studentId, occurredOn: '2026-10-15', kind, notes: '讨论课题方向：薄壁件车削变形控制' });

    it('R-TRN-3: guidance is recorded by the student’s college and enterprise mentors, and by nobody else', async () => {
      const c = await record(collegeMentorA.token, studentA).expect(201);
      expect(c.body).toMatchObject({ studentId: studentA, mentorshipId: ids.collegeA, mentor: { side: 'college' }, kind: 'topic-selection', occurredOn: '2026-10-15' });
      const e = await record(enterpriseMentorA.token, studentA, 'project-study').expect(201);
      expect(e.body).toMatchObject({ mentorshipId: ids.enterpriseA, mentor: { side: 'enterprise' }, kind: 'project-study' });
      // another student's mentors
      for (const tok of [collegeMentorB.token, enterpriseMentorB.token]) {
        const res = await record(tok, studentA);
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'MENTORSHIPS.NOT_YOUR_MENTEE' });
      }
      // staff and enterprise admins do not record guidance (no permission)
      expect((await record(staffToken, studentA)).status).toBe(403);
      expect((await record(partnerAdmin, studentA)).status).toBe(403);
      // a mentor without a linked staff record
      const unlinked = await signIn('college-mentor', { tenantId: college });
      expect((await record(unlinked.token, studentA)).body.code).toBe('MENTORSHIPS.NOT_YOUR_MENTEE');
      // an unknown kind is a validation error
      expect((await record(collegeMentorA.token, studentA, 'chat')).status).toBe(400);

      const log = await t.http().get('/api/v1/mentorships/guidance').query({ studentId: studentA }).set(bearer(staffToken)).expect(200);
      expect(log.body.items.map((g: { kind: string }) => g.kind).sort()).toEqual(['project-study', 'topic-selection']);
    });

    it('R-TRN-3: an enterprise mentor sees only their own mentees; a college mentor only theirs; staff all', async () => {
      const list = async (tok: string, query: Record<string, string> = {}) =>
        (await t.http().get('/api/v1/mentorships').query({ limit: '200', ...query }).set(bearer(tok)).expect(200)).body.items.map((m: { id: string }) => m.id);
      expect(await list(enterpriseMentorA.token)).toEqual([ids.enterpriseA]);
      expect(await list(collegeMentorA.token)).toEqual([ids.collegeA]);
      expect(await list(collegeMentorB.token)).toEqual([ids.collegeB]);
      const all = await list(staffToken);
      for (const id of Object.values(ids)) expect(all).toContain(id);
      // an enterprise admin sees its own enterprise's mentors' mentees, never the college side
      const byAdmin = await list(partnerAdmin);
      expect(byAdmin).toEqual(expect.arrayContaining([ids.enterpriseA, ids.enterpriseB]));
      expect(byAdmin).not.toContain(ids.collegeA);

      // someone else's mentorship and guidance log answer 404
      await t.http().get(`/api/v1/mentorships/${ids.enterpriseB}`).set(bearer(enterpriseMentorA.token)).expect(404);
      await t.http().get(`/api/v1/mentorships/${ids.collegeA}`).set(bearer(enterpriseMentorA.token)).expect(404);
      await t.http().get(`/api/v1/mentorships/${ids.enterpriseA}`).set(bearer(enterpriseMentorA.token)).expect(200);
      await t.http().get('/api/v1/mentorships/guidance').query({ studentId: studentA }).set(bearer(collegeMentorB.token)).expect(404);
      await t.http().get('/api/v1/mentorships/guidance').query({ studentId: studentA }).set(bearer(enterpriseMentorA.token)).expect(200);
    });

    it('R-TRN-3: after a reassignment the former mentor can no longer record guidance; the successor can', async () => {
      const successor = await signIn('college-mentor', { tenantId: college });
      const staffMemberId = await staffRow(f, college, { userId: successor.userId });
      await t.http().post(`/api/v1/mentorships/${ids.collegeB}/reassign`).set(bearer(staffToken)).send({ staffMemberId, on: '2026-11-02', reason: '原导师调岗' }).expect(200);
      expect((await record(collegeMentorB.token, studentB)).status).toBe(403);
      await record(successor.token, studentB, 'defence-preparation').expect(201);
    });

    it('another college’s mentorship answers 404', async () => {
      const student = await studentOf(f, other);
      const id = await mentorshipRow(f, other, { studentId: student, side: 'college', staffMemberId: await staffRow(f, other) });
      await t.http().get(`/api/v1/mentorships/${id}`).set(bearer(staffToken)).expect(404);
      await t.http().post(`/api/v1/mentorships/${id}/reassign`).set(bearer(staffToken)).send({ staffMemberId: await staffRow(f, college), on: '2026-11-02', reason: '调整' }).expect(404);
      await t.http().get('/api/v1/mentorships/guidance').query({ studentId: student }).set(bearer(staffToken)).expect(404);
    });
  });
});
