import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { asCollege, freshUscc, linkToCollege, offByOne, partnershipIn, registryEnterprise } from './matrix/enterprises.fixtures';
import { makePartner, staffRow } from './matrix/staff.fixtures';

describe('enterprises (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let tenantA: string;
  let tenantB: string;
  let staffA: string;
  let staffB: string;
  let province: string;
  let e1: { id: string; uscc: string };
  let e2: { id: string; uscc: string };
  let ent1Admin: string;
  let ent2Admin: string;

  const token = async (role: Parameters<IdentityFactory['member']>[0], place: { tenantId?: string; enterpriseId?: string } = {}) =>
    (await login(t, (await f.member(role, place)).email, TEST_PASSWORD)).accessToken;

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    tenantA = await f.tenant({ name: '企业测试甲技师学院' });
    tenantB = await f.tenant({ name: '企业测试乙技师学院' });
    staffA = await token('college-staff', { tenantId: tenantA });
    staffB = await token('college-staff', { tenantId: tenantB });
    province = await token('province-admin');
    e1 = await registryEnterprise(f, '广州测试数控设备有限公司', { contact_phone: '13800138020', headcount: 1200 });
    e2 = await registryEnterprise(f, '佛山测试家电集团有限公司');
    await linkToCollege(f, tenantA, e1.id);
    await linkToCollege(f, tenantA, e2.id);
    ent1Admin = await token('enterprise-admin', { tenantId: tenantA, enterpriseId: e1.id });
    ent2Admin = await token('enterprise-admin', { tenantId: tenantA, enterpriseId: e2.id });
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  describe('R-ENT-0 registration by USCC', () => {
    it('R-ENT-0: a valid code creates the enterprise (201) and links it to the college', async () => {
      const uscc = freshUscc();
      const res = await t.http().post('/api/v1/enterprises').set(bearer(staffA)).send({ uscc, name: '广州新登记精密机械有限公司', clusterCodes: ['P03'], revenueBand: '400m-2b' }).expect(201);
      expect(res.body.outcome).toBe('created');
      expect(res.body.enterprise).toMatchObject({ uscc, revenueBandLabel: '4亿元至20亿元', clusterCodes: ['P03'] });
      await t.http().get(`/api/v1/enterprises/${res.body.enterprise.id}`).set(bearer(staffA)).expect(200);
      await t.http().get(`/api/v1/enterprises/${res.body.enterprise.id}`).set(bearer(staffB)).expect(404);
    });

    it('R-ENT-0: a code one character off is refused with the reason in Chinese', async () => {
      const res = await t.http().post('/api/v1/enterprises').set(bearer(staffA)).send({ uscc: offByOne(freshUscc()), name: '错误代码企业' }).expect(422);
      expect(res.body.code).toBe('ENTERPRISES.USCC_INVALID');
      expect(res.body.errors[0]).toMatchObject({ field: 'uscc' });
      expect(res.body.errors[0].message).toContain('校验码错误');
    });

    it('R-ENT-0: a code with I/O/S/V/Z or of the wrong length is refused', async () => {
      const good = freshUscc();
      const withO = `${good.slice(0, 10)}O${good.slice(11)}`;
      const r1 = await t.http().post('/api/v1/enterprises').set(bearer(staffA)).send({ uscc: withO, name: '字母错误企业' }).expect(422);
      expect(r1.body.errors[0].message).toContain('“O”不允许');
      const r2 = await t.http().post('/api/v1/enterprises').set(bearer(staffA)).send({ uscc: good.slice(0, 17), name: '长度错误企业' }).expect(422);
      expect(r2.body.errors[0].message).toContain('应为 18 位');
    });

    it('R-ENT-0: an existing USCC is linked, never duplicated, and the response says so', async () => {
      const res = await t.http().post('/api/v1/enterprises').set(bearer(staffB)).send({ uscc: e1.uscc, name: '任意名称' }).expect(200);
      expect(res.body.outcome).toBe('linked');
      expect(res.body.message).toContain('已关联到本校');
      expect(res.body.enterprise.id).toBe(e1.id);
      expect(res.body.enterprise.name).toBe('广州测试数控设备有限公司');
      const count = await f.query('SELECT count(*)::int AS n FROM enterprises WHERE uscc = $1', [e1.uscc]);
      expect(count.rows[0].n).toBe(1);
      const again = await t.http().post('/api/v1/enterprises').set(bearer(staffB)).send({ uscc: e1.uscc, name: '任意名称' }).expect(200);
      expect(again.body.outcome).toBe('already-linked');
    });

    it('R-ENT-0: only a province admin records an override for a failing code', async () => {
      const bad = offByOne(freshUscc());
      const body = { uscc: bad, name: '早期代码企业有限公司', usccOverrideReason: '2015 年前取得的代码，经市场监管部门核实' };
      await t.http().post('/api/v1/enterprises/uscc-override').set(bearer(staffA)).send(body).expect(403);
      const res = await t.http().post('/api/v1/enterprises/uscc-override').set(bearer(province)).send(body).expect(201);
      expect(res.body.enterprise).toMatchObject({ uscc: bad, usccOverrideReason: body.usccOverrideReason });
      const audit = await f.provinceQuery(`SELECT action FROM audit_log WHERE entity = 'enterprise' AND entity_id = $1`, [res.body.enterprise.id]);
      expect(audit.rows.map((r) => r.action)).toContain('register-with-uscc-override');
    });

    it('refuses unknown 双十 cluster codes', async () => {
      const res = await t.http().post('/api/v1/enterprises').set(bearer(staffA)).send({ uscc: freshUscc(), name: '集群错误企业', clusterCodes: ['P99'] }).expect(422);
      expect(res.body.code).toBe('ENTERPRISES.UNKNOWN_CLUSTER');
    });
  });

  describe('profile, proposals, masking', () => {
    it('a college user cannot PATCH the profile (403) but proposes; the enterprise admin accepts and the registry changes', async () => {
      await t.http().patch(`/api/v1/enterprises/${e1.id}`).set(bearer(staffA)).send({ headcount: 1350, version: 1 }).expect(403);
      const p = await t.http().post(`/api/v1/enterprises/${e1.id}/change-proposals`).set(bearer(staffA)).send({ changes: { headcount: 1350, standing: '国家级专精特新“小巨人”企业' }, note: '按 2025 年年报' }).expect(201);
      expect(p.body.status).toBe('pending');
      const listed = await t.http().get(`/api/v1/enterprises/${e1.id}/change-proposals`).set(bearer(ent1Admin)).expect(200);
      expect(listed.body.map((x: any) => x.id)).toContain(p.body.id);
      // another enterprise's admin cannot decide it
      await t.http().post(`/api/v1/enterprise-change-proposals/${p.body.id}/accept`).set(bearer(ent2Admin)).expect(404);
      const accepted = await t.http().post(`/api/v1/enterprise-change-proposals/${p.body.id}/accept`).set(bearer(ent1Admin)).expect(200);
      expect(accepted.body.status).toBe('accepted');
      const after = await t.http().get(`/api/v1/enterprises/${e1.id}`).set(bearer(staffA)).expect(200);
      expect(after.body).toMatchObject({ headcount: 1350, standing: '国家级专精特新“小巨人”企业' });
      await t.http().post(`/api/v1/enterprise-change-proposals/${p.body.id}/reject`).set(bearer(ent1Admin)).send({ reason: '重复' }).expect(409);
      const audit = await f.provinceQuery(`SELECT action FROM audit_log WHERE entity_id = $1 OR entity_id = $2`, [e1.id, p.body.id]);
      expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['propose', 'apply-change-proposal', 'accept']));
    });

    it('the enterprise admin rejects a proposal with a reason', async () => {
      const p = await t.http().post(`/api/v1/enterprises/${e2.id}/change-proposals`).set(bearer(staffA)).send({ changes: { headcount: 5 } }).expect(201);
      const r = await t.http().post(`/api/v1/enterprise-change-proposals/${p.body.id}/reject`).set(bearer(ent2Admin)).send({ reason: '人数以社保缴纳为准' }).expect(200);
      expect(r.body).toMatchObject({ status: 'rejected', rejectReason: '人数以社保缴纳为准' });
    });

    it('the enterprise admin edits its own profile with a version (stale → 409); another enterprise → 404', async () => {
      const cur = await t.http().get(`/api/v1/enterprises/${e2.id}`).set(bearer(ent2Admin)).expect(200);
      const ok = await t.http().patch(`/api/v1/enterprises/${e2.id}`).set(bearer(ent2Admin)).send({ takesPartInAssessment: true, version: cur.body.version }).expect(200);
      expect(ok.body.takesPartInAssessment).toBe(true);
      const stale = await t.http().patch(`/api/v1/enterprises/${e2.id}`).set(bearer(ent2Admin)).send({ canPlaceGraduates: true, version: cur.body.version }).expect(409);
      expect(stale.body.code).toBe('COMMON.STALE_VERSION');
      await t.http().patch(`/api/v1/enterprises/${e1.id}`).set(bearer(ent2Admin)).send({ headcount: 1, version: 1 }).expect(404);
    });

    it('the contact number is masked except for the enterprise’s own admin and province admins', async () => {
      expect((await t.http().get(`/api/v1/enterprises/${e1.id}`).set(bearer(staffA))).body.contactPhone).toBe('138****8020');
      expect((await t.http().get(`/api/v1/enterprises/${e1.id}`).set(bearer(ent1Admin))).body.contactPhone).toBe('13800138020');
      expect((await t.http().get(`/api/v1/enterprises/${e1.id}`).set(bearer(province))).body.contactPhone).toBe('13800138020');
    });
  });

  describe('enterprise visibility', () => {
    it('an enterprise user cannot read another enterprise’s profile, offerings or partnerships in the same college (404)', async () => {
      await t.http().get(`/api/v1/enterprises/${e2.id}`).set(bearer(ent1Admin)).expect(404);
      const offering = await t.http().post('/api/v1/offerings').set(bearer(ent2Admin)).send({ kind: 'post', title: '注塑设备维护岗', capacity: 4 }).expect(201);
      await t.http().get(`/api/v1/offerings/${offering.body.id}`).set(bearer(ent1Admin)).expect(404);
      const list = await t.http().get('/api/v1/offerings').set(bearer(ent1Admin)).expect(200);
      expect(list.body.items.map((o: any) => o.enterpriseId).every((id: string) => id === e1.id)).toBe(true);
      // the college sees every enterprise's offerings
      const collegeList = await t.http().get('/api/v1/offerings').set(bearer(staffA)).query({ enterpriseId: e2.id }).expect(200);
      expect(collegeList.body.items.map((o: any) => o.id)).toContain(offering.body.id);
      const partnership = await partnershipIn(f, tenantA, e2.id);
      await t.http().get(`/api/v1/partnerships/${partnership}`).set(bearer(ent1Admin)).expect(404);
      await t.http().get(`/api/v1/partnerships/${partnership}`).set(bearer(ent2Admin)).expect(200);
      const plist = await t.http().get('/api/v1/partnerships').set(bearer(ent1Admin)).expect(200);
      expect(plist.body.items.map((p: any) => p.id)).not.toContain(partnership);
    });

    it('an enterprise user cannot read another enterprise’s mentors (404) and lists only its own', async () => {
      await makePartner(f, tenantA, e1.id);
      await makePartner(f, tenantA, e2.id);
      const own = await staffRow(f, tenantA, { enterpriseId: e1.id, name: '一号企业导师' });
      const other = await staffRow(f, tenantA, { enterpriseId: e2.id, name: '二号企业导师' });
      await t.http().get(`/api/v1/staff/${own}`).set(bearer(ent1Admin)).expect(200);
      await t.http().get(`/api/v1/staff/${other}`).set(bearer(ent1Admin)).expect(404);
      const list = await t.http().get('/api/v1/staff').query({ limit: '200' }).set(bearer(ent1Admin)).expect(200);
      const ids = list.body.items.map((m: any) => m.id);
      expect(ids).toContain(own);
      expect(ids).not.toContain(other);
      // the college sees both
      await t.http().get(`/api/v1/staff/${other}`).set(bearer(staffA)).expect(200);
    });

    it('nor any record of a college it has no membership in (404)', async () => {
      const offeringB = await asCollege(f, tenantB, `INSERT INTO enterprise_offerings (enterprise_id, kind, title, capacity) VALUES ($1, 'project', '乙校项目', 2) RETURNING id`, [e1.id]);
      await t.http().get(`/api/v1/offerings/${offeringB[0].id}`).set(bearer(ent1Admin)).expect(404);
      const partnershipB = await partnershipIn(f, tenantB, e1.id);
      await t.http().get(`/api/v1/partnerships/${partnershipB}`).set(bearer(ent1Admin)).expect(404);
    });
  });

  describe('R-ENT-1…4 criteria', () => {
    it('R-ENT-2: only a confirmed, active enterprise mentor record counts; pending or departed ones do not', async () => {
      const e = await registryEnterprise(f, '导师条件测试企业', {
        headcount: 500,
        revenue_band: '400m-2b',
        standing: '市级龙头企业',
        values_skills_training: true,
        takes_part_in_assessment: true,
        can_place_graduates: true,
      });
      await linkToCollege(f, tenantA, e.id);
      const admin = await token('enterprise-admin', { tenantId: tenantA, enterpriseId: e.id });
      await t.http().post('/api/v1/offerings').set(bearer(admin)).send({ kind: 'post', title: '装配工艺岗', capacity: 2 }).expect(201);
      await t.http().post(`/api/v1/enterprises/${e.id}/cooperations`).set(bearer(admin))
        .send({ kind: 'industry-college', partnerCollege: '佛山市技师学院', title: '智能制造产业学院', startedOn: '2025-03-01' }).expect(201);
      const ent2 = async () =>
        (await t.http().get(`/api/v1/enterprises/${e.id}/criteria`).set(bearer(staffA)).query({ referenceDate: '2026-06-30' }).expect(200)).body.find(
          (c: any) => c.rule === 'R-ENT-2',
        );
      // a mentor login alone is not a named mentor
      await f.member('enterprise-mentor', { tenantId: tenantA, enterpriseId: e.id });
      expect((await ent2()).met).toBe(false);
      await staffRow(f, tenantA, { enterpriseId: e.id, titleLevelCode: 'deputy-senior', confirmation: 'pending-confirmation' });
      expect((await ent2()).met).toBe(false);
      const confirmed = await staffRow(f, tenantA, { enterpriseId: e.id, titleLevelCode: 'deputy-senior' });
      expect((await ent2()).met).toBe(true);
      await asCollege(f, tenantA, `UPDATE staff_members SET status = 'left', left_on = '2026-06-01', left_reason = '离职' WHERE id = $1`, [confirmed]);
      expect((await ent2()).met).toBe(false);
    });

    it('R-ENT-1: cooperation 3 years and a day before the reference date does not count; exactly 3 years does', async () => {
      const e = await registryEnterprise(f, '条件测试企业', {
        headcount: 800,
        revenue_band: '400m-2b',
        standing: '省级专精特新企业',
        values_skills_training: true,
        takes_part_in_assessment: true,
        can_place_graduates: true,
      });
      await linkToCollege(f, tenantA, e.id);
      const admin = await token('enterprise-admin', { tenantId: tenantA, enterpriseId: e.id });
      await staffRow(f, tenantA, { enterpriseId: e.id, titleLevelCode: 'deputy-senior' });
      await t.http().post('/api/v1/offerings').set(bearer(admin)).send({ kind: 'project', title: '产线自动化改造项目', capacity: 3 }).expect(201);
      const coop = await t.http().post(`/api/v1/enterprises/${e.id}/cooperations`).set(bearer(admin))
        .send({ kind: 'order-class', partnerCollege: '广州市工贸技师学院', title: '数控订单班', startedOn: '2021-09-01', endedOn: '2023-03-30' }).expect(201);
      expect(coop.body.kindLabel).toBe('订单班');
      const dayTooLate = await t.http().get(`/api/v1/enterprises/${e.id}/criteria`).set(bearer(staffA)).query({ referenceDate: '2026-03-31' }).expect(200);
      const ent1 = dayTooLate.body.find((c: any) => c.rule === 'R-ENT-1');
      expect(ent1.met).toBe(false);
      expect(ent1.reasons[0].zh).toContain('近三年内');
      expect(dayTooLate.body.filter((c: any) => c.rule !== 'R-ENT-1').every((c: any) => c.met)).toBe(true);
      const exactly = await t.http().get(`/api/v1/enterprises/${e.id}/criteria`).set(bearer(staffA)).query({ referenceDate: '2026-03-30' }).expect(200);
      expect(exactly.body.every((c: any) => c.met)).toBe(true);
      // a well-formed but impossible date is bad input (400), not a server error
      const impossible = await t.http().get(`/api/v1/enterprises/${e.id}/criteria`).set(bearer(staffA)).query({ referenceDate: '2026-02-30' });
      expect(impossible.status).toBe(400);
      expect(impossible.body.errors[0]).toMatchObject({ field: 'referenceDate' });
    });
  });
});
