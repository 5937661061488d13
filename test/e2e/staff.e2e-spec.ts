import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { makePartner, staffRow } from './matrix/staff.fixtures';
import { attachmentRow } from './matrix/programmes.fixtures';

describe('staff: college teachers and enterprise mentors (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let other: string;
  let partner: string;
  let stranger: string;
  let staffToken: string;
  let partnerAdmin: string;
  let strangerAdmin: string;
  let partnerMentor: string;

  const token = async (role: Parameters<IdentityFactory['member']>[0], place: { tenantId?: string; enterpriseId?: string }) =>
    (await login(t, (await f.member(role, place)).email, TEST_PASSWORD)).accessToken;
  const post = (tok: string, body: object) => t.http().post('/api/v1/staff').set(bearer(tok)).send(body);

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '师资测试技师学院' });
    other = await f.tenant({ name: '师资测试另一学院' });
    partner = await f.enterprise('师资测试合作企业');
    stranger = await f.enterprise('师资测试非合作企业');
    await makePartner(f, college, partner);
    staffToken = await token('college-staff', { tenantId: college });
    partnerAdmin = await token('enterprise-admin', { tenantId: college, enterpriseId: partner });
    strangerAdmin = await token('enterprise-admin', { tenantId: college, enterpriseId: stranger });
    partnerMentor = await token('enterprise-mentor', { tenantId: college, enterpriseId: partner });
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  describe('the expert flag is derived (R-EVA-2)', () => {
    it('R-EVA-2: an expert by title: 高级讲师 (副高级) with 三级/高级工', async () => {
      const res = await post(staffToken, {
        side: 'college', name: '陈国华', gender: 'male', field: '数控加工',
        title: { series: 'theory', levelCode: 'deputy-senior' }, skillLevelCode: 'level-3',
      }).expect(201);
      expect(res.body).toMatchObject({
        expert: true, expertBasis: ['title'], confirmation: 'confirmed', status: 'active', enterprise: null,
        title: { series: 'theory', levelCode: 'deputy-senior', levelNameZh: '副高级', name: '高级讲师', senior: true },
        skillLevel: { code: 'level-3', technicianOrAbove: false },
      });
    });

    it('R-EVA-2: an expert by skill level: 技师 (二级) with a 讲师 (中级) title', async () => {
      const res = await post(staffToken, {
        side: 'college', name: '李伟明', gender: 'male', field: '数控加工',
        title: { series: 'practice', levelCode: 'intermediate' }, skillLevelCode: 'level-2',
      }).expect(201);
      expect(res.body).toMatchObject({ expert: true, expertBasis: ['skill-level'] });
    });

    it('R-EVA-2: a non-expert with both below: 中级 title and 三级/高级工', async () => {
      const res = await post(staffToken, {
        side: 'college', name: '王小芳', gender: 'female', field: '数控加工',
        title: { series: 'theory', levelCode: 'intermediate' }, skillLevelCode: 'level-3',
      }).expect(201);
      expect(res.body).toMatchObject({ expert: false, expertBasis: [] });
      const list = await t.http().get('/api/v1/staff').query({ expert: 'false', q: '王小芳' }).set(bearer(staffToken)).expect(200);
      expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['王小芳']);
    });

    it('the flag cannot be typed (400), and an unknown title or skill level code is refused (422)', async () => {
      await post(staffToken, { side: 'college', name: '张三', gender: 'male', field: '数控加工', expert: true }).expect(400);
      const bad = await post(staffToken, { side: 'college', name: '张三', gender: 'male', field: '数控加工', skillLevelCode: 'level-9' });
      expect(bad.status).toBe(422);
      expect(bad.body.code).toBe('REFERENCE.UNKNOWN_SKILL_LEVEL');
    });
  });

  describe('enterprise mentors (R-ENT-2)', () => {
    it('a mentor of a non-partner enterprise is refused (422, in Chinese) and nothing is stored', async () => {
      const res = await post(staffToken, { side: 'enterprise', enterpriseId: stranger, name: '非合作导师', gender: 'male', field: '数控加工' });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'STAFF.NOT_PARTNER' });
      expect(res.body.title).toContain('不是本校的合作企业');
      const n = await f.provinceQuery(`SELECT count(*)::int AS n FROM staff_members WHERE name = '非合作导师'`);
      expect(n.rows[0].n).toBe(0);
      // nor can that enterprise's own admin add one
      const own = await post(strangerAdmin, { side: 'enterprise', name: '非合作导师', gender: 'male', field: '数控加工' });
      expect(own.body.code).toBe('STAFF.NOT_PARTNER');
    });

    it('a college adds a partner’s mentor as pending; only that enterprise’s admin confirms it', async () => {
      const res = await post(staffToken, {
        side: 'enterprise', enterpriseId: partner, name: '黎国栋', gender: 'male', field: '数控加工',
        title: { series: 'engineering', levelCode: 'deputy-senior', name: '高级工程师' },
      }).expect(201);
      expect(res.body).toMatchObject({ confirmation: 'pending-confirmation', enterprise: { id: partner, name: '师资测试合作企业' }, expert: true });
      await t.http().post(`/api/v1/staff/${res.body.id}/confirm`).set(bearer(strangerAdmin)).expect(404);
      const ok = await t.http().post(`/api/v1/staff/${res.body.id}/confirm`).set(bearer(partnerAdmin)).expect(200);
      expect(ok.body.confirmation).toBe('confirmed');
      const again = await t.http().post(`/api/v1/staff/${res.body.id}/confirm`).set(bearer(partnerAdmin));
      expect(again.status).toBe(409);
    });

    it('a rejected mentor carries the reason; the college’s correction asks again', async () => {
      const id = await staffRow(f, college, { enterpriseId: partner, confirmation: 'pending-confirmation' });
      const rej = await t.http().post(`/api/v1/staff/${id}/reject`).set(bearer(partnerAdmin)).send({ reason: '该员工已调岗' }).expect(200);
      expect(rej.body).toMatchObject({ confirmation: 'rejected', rejectionReason: '该员工已调岗' });
      const fixed = await t.http().patch(`/api/v1/staff/${id}`).set(bearer(staffToken)).send({ name: '苏永康', version: rej.body.version }).expect(200);
      expect(fixed.body).toMatchObject({ confirmation: 'pending-confirmation', rejectionReason: null, name: '苏永康' });
    });

    it('an enterprise admin adds its own mentors (confirmed at once) and no other enterprise’s (403)', async () => {
      const res = await post(partnerAdmin, { side: 'enterprise', name: '卢俊杰', gender: 'male', field: '家电制造' }).expect(201);
      expect(res.body).toMatchObject({ confirmation: 'confirmed', enterprise: { id: partner } });
      const other = await post(partnerAdmin, { side: 'enterprise', enterpriseId: stranger, name: '某人', gender: 'male', field: '家电制造' });
      expect(other.status).toBe(403);
      const teacher = await post(partnerAdmin, { side: 'college', name: '某人', gender: 'male', field: '家电制造' });
      expect(teacher.status).toBe(403);
    });

    it('enterprise users see only their own enterprise’s mentors; a college teacher by id answers 404', async () => {
      const teacher = await staffRow(f, college, { name: '院校教师甲' });
      const list = await t.http().get('/api/v1/staff').query({ limit: '200' }).set(bearer(partnerMentor)).expect(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      expect(list.body.items.every((s: { enterprise: { id: string } | null }) => s.enterprise?.id === partner)).toBe(true);
      await t.http().get(`/api/v1/staff/${teacher}`).set(bearer(partnerMentor)).expect(404);
    });

    it('another college’s staff member answers 404', async () => {
      const foreign = await staffRow(f, other);
      await t.http().get(`/api/v1/staff/${foreign}`).set(bearer(staffToken)).expect(404);
    });
  });

  describe('certificates with evidence and the linked account', () => {
    it('a certificate’s evidence must be an attachment of this college (422); with one it is stored', async () => {
      const uploader = await f.member('college-staff', { tenantId: college });
      const evidence = await attachmentRow(f, college, uploader.userId);
      const foreign = await attachmentRow(f, other, (await f.member('college-staff', { tenantId: other })).userId);
      const certificate = { name: '数控车工职业技能等级证书', level: '二级/技师', number: 'S000044010000232000123', issuedOn: '2021-06-30' };
      const base = { side: 'college', name: '周建国', gender: 'male', field: '数控加工', skillLevelCode: 'level-2' };
      const refused = await post(staffToken, { ...base, certificates: [{ ...certificate, attachmentId: foreign }] });
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 422, code: 'STAFF.ATTACHMENT_MISSING' });
      const ok = await post(staffToken, { ...base, certificates: [{ ...certificate, attachmentId: evidence }] }).expect(201);
      expect(ok.body.certificates).toEqual([{ ...certificate, attachmentId: evidence }]);
    });

    it('the linked account is a member of this college (or of the mentor’s enterprise), linked to one person only', async () => {
      const teacherUser = await f.member('college-mentor', { tenantId: college });
      const outsider = await f.member('college-mentor', { tenantId: other });
      const base = { side: 'college', gender: 'female', field: '数控加工' };
      const foreign = await post(staffToken, { ...base, name: '外校账号', userId: outsider.userId });
      expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 422, code: 'STAFF.USER_NOT_MEMBER' });
      const linked = await post(staffToken, { ...base, name: '何丽娟', userId: teacherUser.userId }).expect(201);
      expect(linked.body.userId).toBe(teacherUser.userId);
      const twice = await post(staffToken, { ...base, name: '何丽娟二', userId: teacherUser.userId });
      expect({ status: twice.status, code: twice.body.code }).toEqual({ status: 409, code: 'STAFF.USER_LINKED' });
      // an enterprise mentor's account must be of that enterprise, not a college account
      const wrongSide = await post(partnerAdmin, { side: 'enterprise', name: '错配账号', gender: 'male', field: '数控加工', userId: (await f.member('college-mentor', { tenantId: college })).userId });
      expect(wrongSide.body.code).toBe('STAFF.USER_NOT_MEMBER');
    });
  });

  describe('leaving', () => {
    it('a member with no open items leaves without a successor; a second leave is 409', async () => {
      const id = await staffRow(f, college);
      const res = await t.http().post(`/api/v1/staff/${id}/leave`).set(bearer(staffToken)).send({ leftOn: '2026-07-31', reason: '调离' }).expect(200);
      expect(res.body).toMatchObject({ staff: { status: 'left', leftOn: '2026-07-31' }, handedOver: [] });
      await t.http().post(`/api/v1/staff/${id}/leave`).set(bearer(staffToken)).send({ leftOn: '2026-08-01', reason: '调离' }).expect(409);
    });
  });
});
