import { randomBytes } from 'node:crypto';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { attachmentRow, inTenant, planContent } from './matrix/programmes.fixtures';
import { staffRow, teamOf } from './matrix/staff.fixtures';

const tag = () => randomBytes(3).toString('hex').toUpperCase();
const REF = '2026-05-20';

describe('programmes and the eligibility checklist (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let collegeA: string;
  let provinceAdmin: string;
  let collegeB: string;
  let staffA: string;
  let staffB: string;
  let provinceViewer: string;
  let staffUserA: string;

  const body = (over: Record<string, unknown> = {}) => ({
    code: `SK-${tag()}`,
    name: '数控加工（数控车工）',
    occupation: { code: '6-18-01-01', name: '车工' },
    clusterCodes: ['E02', 'E10'],
    talentGap: { evidence: '广州市先进制造业协会 2025 年调研：数控加工技师级人才缺口约 3200 人', number: 3200 },
    ...over,
  });

  async function programme(token: string, over: Record<string, unknown> = {}) {
    const res = await t.http().post('/api/v1/programmes').set(bearer(token)).send(body(over));
    if (res.status !== 201) throw new Error(`create programme: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  const eligibility = async (id: string, token = staffA) =>
    (await t.http().get(`/api/v1/programmes/${id}/eligibility`).query({ referenceDate: REF }).set(bearer(token)).expect(200)).body;
  const criterion = (e: any, rule: string) => e.criteria.find((c: any) => c.rule === rule);

  /** A current plan whose latest review concluded `conclusion` (R-PRG-2). */
  async function reviewedPlan(programmeId: string, conclusion = 'passed') {
    const plans = `/api/v1/programmes/${programmeId}/plans`;
    await t.http().post(plans).set(bearer(staffA)).send({ content: planContent() }).expect(201);
    await t.http().post(`${plans}/1/adopt`).set(bearer(staffA)).send({ version: 1 }).expect(200);
    await t
      .http()
      .post(`${plans}/1/reviews`)
      .set(bearer(staffA))
      .send({ reviewedOn: '2026-03-18', experts: [{ name: '陈国华', title: '正高级工程师', organisation: '广东省机械工程学会' }], conclusion })
      .expect(201);
  }

  /**
   * A partner enterprise of the programme (rows written directly; R-ENT-1…4 all met unless
   * told) with an active partnership and a signed agreement whose term is given.
   */
  async function partner(programmeId: string, opts: { name?: string; noMentor?: boolean; termEnd?: string } = {}) {
    const enterpriseId = await f.enterprise(opts.name ?? `珠江精密机械有限公司${tag()}`);
    await f.query(
      `UPDATE enterprises SET headcount = 860, revenue_band = '2b-10b', standing = '省级专精特新企业', values_skills_training = true,
              takes_part_in_assessment = true, can_place_graduates = true WHERE id = $1`,
      [enterpriseId],
    );
    await f.query(
      `INSERT INTO enterprise_cooperations (enterprise_id, kind, partner_college, title, started_on) VALUES ($1, 'order-class', '广州市工贸技师学院', '数控车工订单班', '2025-09-01')`,
      [enterpriseId],
    );
    if (!opts.noMentor) await staffRow(f, collegeA, { enterpriseId, titleLevelCode: 'deputy-senior' });
    const file = await attachmentRow(f, collegeA, staffUserA);
    await inTenant(f, collegeA, async () => {
      await f.query(`INSERT INTO enterprise_offerings (tenant_id, enterprise_id, kind, title, capacity) VALUES ($1, $2, 'post', '数控车间岗位', 6)`, [collegeA, enterpriseId]);
      const p = await f.query(
        `INSERT INTO partnerships (tenant_id, programme_id, enterprise_id, status, started_on) VALUES ($1, $2, $3, 'active', '2026-01-01') RETURNING id`,
        [collegeA, programmeId, enterpriseId],
      );
      await f.query(
        `INSERT INTO agreements (tenant_id, partnership_id, college_party_name, enterprise_party_name, signed_on, term_start, term_end,
                                 rights_and_duties, signed_file_attachment_id, status)
         VALUES ($1, $2, '广州市工贸技师学院', '合作企业', '2026-01-05', '2026-01-05', $3, '双方共同制定培养方案、共同考核', $4, 'signed')`,
        [collegeA, p.rows[0].id, opts.termEnd ?? '2029-01-04', file],
      );
    });
    return enterpriseId;
  }

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    collegeA = await f.tenant({ name: '专业甲技师学院' });
    collegeB = await f.tenant({ name: '专业乙技师学院' });
    const sa = await f.member('college-staff', { tenantId: collegeA });
    staffUserA = sa.userId;
    staffA = (await login(t, sa.email, TEST_PASSWORD)).accessToken;
    staffB = (await login(t, (await f.member('college-staff', { tenantId: collegeB })).email, TEST_PASSWORD)).accessToken;
    provinceViewer = (await login(t, (await f.member('province-viewer')).email, TEST_PASSWORD)).accessToken;
    provinceAdmin = (await login(t, (await f.member('province-admin')).email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  describe('programmes', () => {
    it('R-PRG-1: a college creates a programme linked to 双十 clusters (names from the reference data), audited', async () => {
      const p = await programme(staffA, { clusterCodes: ['e02', 'E02', 'E10'] });
      expect(p).toMatchObject({ tenantId: collegeA, pilotStatus: 'candidate', version: 1, occupation: { code: '6-18-01-01', name: '车工' } });
      expect(p.clusters).toEqual([
        { code: 'E02', nameZh: '高端装备制造', nameEn: 'High-end equipment manufacturing' },
        { code: 'E10', nameZh: '精密仪器设备', nameEn: 'Precision instruments and equipment' },
      ]);
      expect(p.talentGap).toEqual({ evidence: expect.stringContaining('3200'), number: 3200 });
      const audit = await f.provinceQuery(`SELECT action FROM audit_log WHERE entity = 'programme' AND entity_id = $1`, [p.id]);
      expect(audit.rows).toEqual([{ action: 'create' }]);
    });

    it('R-PRG-1: an unknown cluster code is refused (422), a bad occupation code or a mass-assigned field with 400', async () => {
      const res = await t.http().post('/api/v1/programmes').set(bearer(staffA)).send(body({ clusterCodes: ['E02', 'P99'] }));
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'PROGRAMMES.UNKNOWN_CLUSTER' });
      expect(res.body.title).toContain('P99');
      const occ = await t.http().post('/api/v1/programmes').set(bearer(staffA)).send(body({ occupation: { code: '618-01', name: '车工' } }));
      expect(occ.status).toBe(400);
      expect(occ.body.errors[0].field).toBe('occupation.code');
      for (const extra of [{ tenantId: collegeB }, { pilotStatus: 'active' }, { id: '00000000-0000-4000-8000-000000000001' }]) {
        const mass = await t.http().post('/api/v1/programmes').set(bearer(staffA)).send(body(extra));
        expect(mass.status).toBe(400);
      }
    });

    it('a code is unique per college (any case), but another college may use it', async () => {
      const code = `DUP-${tag()}`;
      await programme(staffA, { code });
      const dup = await t.http().post('/api/v1/programmes').set(bearer(staffA)).send(body({ code: code.toLowerCase() }));
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('PROGRAMMES.CODE_TAKEN');
      await programme(staffB, { code });
    });

    it('lists with keyset paging and filters; colleges see their own, the province every college', async () => {
      const marker = `LS${tag()}`;
      for (const [suffix, clusters] of [['C', ['E03']], ['a', ['E02']], ['B', ['E03']], ['d', ['P04']]] as const) {
        await programme(staffA, { code: `${marker}-${suffix}`, clusterCodes: clusters });
      }
      await programme(staffB, { code: `${marker}-E` });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await t.http().get('/api/v1/programmes').query({ q: marker, limit: 2, ...(cursor ? { cursor } : {}) }).set(bearer(staffA)).expect(200);
        seen.push(...res.body.items.map((i: any) => i.code));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([`${marker}-a`, `${marker}-B`, `${marker}-C`, `${marker}-d`]);
      const robots = await t.http().get('/api/v1/programmes').query({ q: marker, clusterCode: 'e03' }).set(bearer(staffA)).expect(200);
      expect(robots.body.items.map((i: any) => i.code)).toEqual([`${marker}-B`, `${marker}-C`]);
      // a college cannot widen its view with ?tenantId=
      const pinned = await t.http().get('/api/v1/programmes').query({ q: marker, tenantId: collegeB }).set(bearer(staffA)).expect(200);
      expect(pinned.body.items).toHaveLength(4);
      const all = await t.http().get('/api/v1/programmes').query({ q: marker }).set(bearer(provinceViewer)).expect(200);
      expect(all.body.items).toHaveLength(5);
      const onlyB = await t.http().get('/api/v1/programmes').query({ q: marker, tenantId: collegeB }).set(bearer(provinceViewer)).expect(200);
      expect(onlyB.body.items.map((i: any) => i.tenantId)).toEqual([collegeB]);
      await t.http().get('/api/v1/programmes').query({ cursor: 'not-a-cursor' }).set(bearer(staffA)).expect(400);
    });

    it('another college’s programme answers 404; the province reads it but cannot change it (403)', async () => {
      const p = await programme(staffA);
      await t.http().get(`/api/v1/programmes/${p.id}`).set(bearer(staffB)).expect(404);
      await t.http().patch(`/api/v1/programmes/${p.id}`).set(bearer(staffB)).send({ name: 'x', version: 1 }).expect(404);
      await t.http().get(`/api/v1/programmes/${p.id}/eligibility`).set(bearer(staffB)).expect(404);
      await t.http().get(`/api/v1/programmes/${p.id}`).set(bearer(provinceViewer)).expect(200);
      await t.http().patch(`/api/v1/programmes/${p.id}`).set(bearer(provinceViewer)).send({ name: 'x', version: 1 }).expect(403);
    });

    it('a version-checked update: the stale write answers 409 and changes nothing', async () => {
      const p = await programme(staffA);
      const ok = await t.http().patch(`/api/v1/programmes/${p.id}`).set(bearer(staffA)).send({ name: '数控加工（五轴方向）', talentGap: null, version: 1 }).expect(200);
      expect(ok.body).toMatchObject({ name: '数控加工（五轴方向）', talentGap: null, version: 2 });
      const stale = await t.http().patch(`/api/v1/programmes/${p.id}`).set(bearer(staffA)).send({ name: '别的名称', version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('COMMON.STALE_VERSION');
      expect((await t.http().get(`/api/v1/programmes/${p.id}`).set(bearer(staffA))).body.name).toBe('数控加工（五轴方向）');
    });

    it('pilot status beyond applied is refused for college users (403, in Chinese); candidate → applied is the application’s, not a PATCH (422)', async () => {
      const p = await programme(staffA);
      for (const to of ['active', 'midterm-passed', 'completed', 'suspended', 'revoked']) {
        const res = await t.http().patch(`/api/v1/programmes/${p.id}`).set(bearer(staffA)).send({ pilotStatus: to, version: 1 });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('PROGRAMMES.PILOT_STATUS_PROVINCE_ONLY');
        expect(res.body.title).toContain('只能由省级部门设定');
      }
      const notYet = await t.http().patch(`/api/v1/programmes/${p.id}`).set(bearer(staffA)).send({ pilotStatus: 'applied', version: 1 });
      expect(notYet.status).toBe(422);
      expect(notYet.body.code).toBe('PROGRAMMES.PILOT_STATUS_BY_APPLICATION');
      expect(notYet.body.title).toContain('/pilot-applications');
      // the same status as now is not a move: the rest of the PATCH applies
      await t.http().patch(`/api/v1/programmes/${p.id}`).set(bearer(staffA)).send({ pilotStatus: 'candidate', name: '数控加工（申报前）', version: 1 }).expect(200);
      expect((await t.http().get(`/api/v1/programmes/${p.id}`).set(bearer(staffA))).body).toMatchObject({ pilotStatus: 'candidate', name: '数控加工（申报前）', version: 2 });
    });
  });

  describe('eligibility checklist', () => {
    it('R-PRG-1: no cluster or no talent-gap evidence is unmet, with the reason; both present is met', async () => {
      const none = await programme(staffA, { clusterCodes: [], talentGap: null });
      const e1 = criterion(await eligibility(none.id), 'R-PRG-1');
      expect(e1).toMatchObject({ met: false, mandatory: true });
      expect(e1.reasons.map((r: any) => r.zh)).toEqual(['尚未关联“双十”产业集群', '尚未填写技师层级人才缺口依据']);
      const noEvidence = await programme(staffA, { talentGap: null });
      expect(criterion(await eligibility(noEvidence.id), 'R-PRG-1').met).toBe(false);
      const noCluster = await programme(staffA, { clusterCodes: [] });
      expect(criterion(await eligibility(noCluster.id), 'R-PRG-1').met).toBe(false);
      const both = await programme(staffA);
      const met = criterion(await eligibility(both.id), 'R-PRG-1');
      expect(met.met).toBe(true);
      expect(met.reasons[1].zh).toContain('缺口约 3200 人');
    });

    it('R-PRG-2: no plan, an unreviewed or not-passed current plan are unmet; a passed review of the current version is met', async () => {
      const p = await programme(staffA);
      expect(criterion(await eligibility(p.id), 'R-PRG-2').reasons[0].zh).toBe('尚无现行的人才培养方案');
      await reviewedPlan(p.id, 'revise');
      const revise = criterion(await eligibility(p.id), 'R-PRG-2');
      expect(revise.met).toBe(false);
      expect(revise.reasons[0].zh).toContain('修改后再审');
      const q = await programme(staffA);
      await reviewedPlan(q.id, 'passed');
      const passed = criterion(await eligibility(q.id), 'R-PRG-2');
      expect(passed).toMatchObject({ met: true, mandatory: true });
      expect(passed.reasons[0].zh).toContain('第 1 版');
    });

    it('R-PRG-2: a review passed on an older version but not on the current one is unmet', async () => {
      const p = await programme(staffA);
      await reviewedPlan(p.id, 'passed');
      const content = planContent();
      content.integrations.teachers = '新增技能大师工作室导师';
      await t.http().post(`/api/v1/programmes/${p.id}/plans/1/changes`).set(bearer(staffA)).send({ kind: 'minor', summary: '调整师资', content }).expect(201);
      const c = criterion(await eligibility(p.id), 'R-PRG-2');
      expect(c.met).toBe(false);
      expect(c.reasons.map((r: any) => r.zh)).toEqual(['现行方案（第 2 版）尚未经专业建设指导委员会评审', '第 1 版曾评审通过，但不是现行版本']);
    });

    it('R-PRG-3: 0 partners is unmet; 1 and 2 qualifying partners with agreements in force are met; 3 is unmet', async () => {
      const p = await programme(staffA);
      const zero = criterion(await eligibility(p.id), 'R-PRG-3');
      expect(zero).toMatchObject({ met: false, partners: [] });
      expect(zero.reasons[0].zh).toContain('尚无合作中的企业');
      await partner(p.id, { name: `广州精工数控有限公司${tag()}` });
      const one = criterion(await eligibility(p.id), 'R-PRG-3');
      expect(one.met).toBe(true);
      expect(one.partners).toHaveLength(1);
      expect(one.partners[0]).toMatchObject({ met: true, agreementInForce: true, missing: [] });
      expect(one.partners[0].criteria.map((c: any) => [c.rule, c.met])).toEqual([
        ['R-ENT-1', true],
        ['R-ENT-2', true],
        ['R-ENT-3', true],
        ['R-ENT-4', true],
      ]);
      await partner(p.id);
      const two = criterion(await eligibility(p.id), 'R-PRG-3');
      expect(two.met).toBe(true);
      expect(two.partners).toHaveLength(2);
      // R-PRG-3: a 3rd active partner (activation refuses it; here written directly, as legacy data might be) is unmet
      await partner(p.id);
      const three = criterion(await eligibility(p.id), 'R-PRG-3');
      expect(three).toMatchObject({ met: false });
      expect(three.partners).toHaveLength(3);
      expect(three.partners.every((x: any) => x.met)).toBe(true);
      expect(three.reasons[0].zh).toBe('合作企业 3 家，超过 2 家的上限');
    });

    it('R-PRG-3: a partner that misses an enterprise criterion, or whose agreement is out of force, is unmet, naming what is missing', async () => {
      const p = await programme(staffA);
      const name = `佛山美智家电有限公司${tag()}`;
      await partner(p.id, { name, noMentor: true });
      const c = criterion(await eligibility(p.id), 'R-PRG-3');
      expect(c.met).toBe(false);
      expect(c.partners[0].missing.map((m: any) => m.zh)).toEqual([expect.stringMatching(/^R-ENT-2：/)]);
      expect(c.reasons[0].zh).toContain(name);

      const q = await programme(staffA);
      await partner(q.id, { termEnd: '2026-04-30' });
      const expired = criterion(await eligibility(q.id), 'R-PRG-3');
      expect(expired.met).toBe(false);
      expect(expired.partners[0]).toMatchObject({ agreementInForce: false });
      expect(expired.partners[0].missing[0].zh).toContain(`截至 ${REF} 没有已签署且在有效期内的联合培养协议`);
    });

    it('R-PRG-4 is priority only (mandatory: false); R-PRG-5: canApply once R-PRG-1…3 are met; a PATCH never applies (the pilot application does)', async () => {
      const p = await programme(staffA, {
        priorityExperience: [{ kind: 'worldskills-conversion', description: '世赛数控车项目成果转化为 6 个教学项目', evidence: '集训基地授牌文件', year: 2023 }],
      });
      const before = await eligibility(p.id);
      expect(before.canApply).toBe(false);
      expect(criterion(before, 'R-PRG-4')).toMatchObject({ mandatory: false, met: true });
      await reviewedPlan(p.id);
      expect((await eligibility(p.id)).canApply).toBe(false);
      const enterpriseId = await partner(p.id);
      const after = await eligibility(p.id);
      expect(after).toMatchObject({ programmeId: p.id, referenceDate: REF, canApply: true });
      expect(after.criteria.map((c: any) => [c.rule, c.met])).toEqual([
        ['R-PRG-1', true],
        ['R-PRG-2', true],
        ['R-PRG-3', true],
        ['R-PRG-4', true],
      ]);
      // without priority experience the programme may still apply
      const q = await programme(staffA);
      await reviewedPlan(q.id);
      await partner(q.id);
      const plain = await eligibility(q.id);
      expect(criterion(plain, 'R-PRG-4')).toMatchObject({ met: false, mandatory: false });
      expect(plain.canApply).toBe(true);

      // the province reads the same checklist
      const seenByProvince = await eligibility(p.id, provinceViewer);
      expect(seenByProvince.canApply).toBe(true);

      // issue 12: even eligible and with a compliant team (R-EVA-2), a PATCH does not apply — submitting the pilot
      // application does, after checking R-PRG-5 and R-EVA-2 again (test/e2e/pilots.e2e-spec.ts, "submission gates")
      await teamOf(f, collegeA, p.id, { total: 10, enterprise: 3, experts: 5, enterpriseId });
      const byPatch = await t.http().patch(`/api/v1/programmes/${p.id}`).set(bearer(staffA)).send({ pilotStatus: 'applied', version: 1 });
      expect(byPatch.status).toBe(422);
      expect(byPatch.body.code).toBe('PROGRAMMES.PILOT_STATUS_BY_APPLICATION');
      expect((await t.http().get(`/api/v1/programmes/${p.id}`).set(bearer(staffA))).body).toMatchObject({ pilotStatus: 'candidate', version: 1 });
      const audit = await f.provinceQuery(`SELECT 1 FROM audit_log WHERE entity = 'programme' AND entity_id = $1 AND action = 'pilot-status'`, [p.id]);
      expect(audit.rows).toEqual([]);
      // once applied (by the process; here a fixture), the college cannot move it back
      await inTenant(f, collegeA, () => f.query(`UPDATE programmes SET pilot_status = 'applied' WHERE id = $1`, [p.id]));
      const { version } = (await t.http().get(`/api/v1/programmes/${p.id}`).set(bearer(staffA)).expect(200)).body;
      const back = await t.http().patch(`/api/v1/programmes/${p.id}`).set(bearer(staffA)).send({ pilotStatus: 'candidate', version });
      expect(back.status).toBe(422);
      expect(back.body.code).toBe('PROGRAMMES.PILOT_STATUS_TRANSITION');
    });

    it('the reference date defaults to today in China and must be a real date', async () => {
      const p = await programme(staffA);
      const res = await t.http().get(`/api/v1/programmes/${p.id}/eligibility`).set(bearer(staffA)).expect(200);
      expect(res.body.referenceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await t.http().get(`/api/v1/programmes/${p.id}/eligibility`).query({ referenceDate: '2026-02-30' }).set(bearer(staffA)).expect(400);
    });
  });
  describe('pilot status set by the province (DOMAIN §5, R-GOV-3)', () => {
    async function appliedProgramme(): Promise<string> {
      const p = await programme(staffA);
      await inTenant(f, collegeA, () => f.query(`UPDATE programmes SET pilot_status = 'applied' WHERE id = $1`, [p.id]));
      return p.id;
    }
    const move = (id: string, status: string, version: number, token = provinceAdmin) =>
      t.http().post(`/api/v1/programmes/${id}/pilot-status`).set(bearer(token)).send({ status, reason: '省级评审结论', version });

    it('R-GOV-3: the province approves, passes mid-term, suspends and revokes; each move audited in the college’s log with its reason', async () => {
      const id = await appliedProgramme();
      expect((await move(id, 'active', 1).expect(200)).body.pilotStatus).toBe('active');
      expect((await move(id, 'midterm-passed', 2).expect(200)).body.pilotStatus).toBe('midterm-passed');
      expect((await move(id, 'suspended', 3).expect(200)).body.pilotStatus).toBe('suspended');
      expect((await move(id, 'revoked', 4).expect(200)).body.pilotStatus).toBe('revoked');
      const audit = await f.provinceQuery(
        `SELECT tenant_id AS "tenantId", after->>'pilotStatus' AS "to", after->>'reason' AS reason FROM audit_log
         WHERE entity = 'programme' AND entity_id = $1 AND action = 'pilot-status' ORDER BY occurred_at`,
        [id],
      );
      expect(audit.rows.map((r) => r.to)).toEqual(['active', 'midterm-passed', 'suspended', 'revoked']);
      expect(audit.rows.every((r) => r.tenantId === collegeA && r.reason === '省级评审结论')).toBe(true);
    });

    it('moves outside the life cycle are refused (422), a stale version is 409, a revoked pilot stays revoked', async () => {
      const id = await appliedProgramme();
      expect((await move(id, 'completed', 1)).status).toBe(422);
      expect((await move(id, 'active', 7)).status).toBe(409);
      // revocation is for active pilots: an application is not yet one
      expect((await move(id, 'revoked', 1)).status).toBe(422);
      await move(id, 'active', 1).expect(200);
      await move(id, 'revoked', 2).expect(200);
      const again = await move(id, 'active', 3);
      expect(again.status).toBe(422);
      expect(again.body.code).toBe('PROGRAMMES.PILOT_STATUS_TRANSITION');
    });

    it('the college’s own move (candidate → applied) is not the province’s to make, and college users cannot call the route (403)', async () => {
      const p = await programme(staffA);
      expect((await move(p.id, 'applied', 1)).status).toBe(422);
      expect((await move(p.id, 'active', 1, staffA)).status).toBe(403);
      expect((await move(p.id, 'active', 1, provinceViewer)).status).toBe(403);
    });
});

/**
 * Issue 3 "Shown by": the OpenAPI document describes every route of the programmes,
 * training-plan, enterprise, partnership and attachment modules with examples in Chinese.
 */
describe('OpenAPI for issue 3 routes (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const ISSUE3_CONTROLLERS = [
    'ProgrammesController',
    'TrainingPlansController',
    'PlanFilingsController',
    'EnterprisesController',
    'ChangeProposalsController',
    'OfferingsController',
    'PartnershipsController',
    'AgreementsController',
    'AttachmentsController',
  ];
  const CJK = /[\u4e00-\u9fff]/;

  it('every route has a Chinese summary, and every JSON request and response body a Chinese example', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const deref = (s: any): any => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);
    /** Whether a schema (followed through refs, arrays, compositions, properties) carries an example with Chinese text. */
    const hasChineseExample = (schema: any, seen = new Set<any>()): boolean => {
      const s = deref(schema);
      if (!s || typeof s !== 'object' || seen.has(s)) return false;
      seen.add(s);
      if (s.example !== undefined && CJK.test(JSON.stringify(s.example))) return true;
      if (s.examples !== undefined && CJK.test(JSON.stringify(s.examples))) return true;
      const parts = [s.items, s.additionalProperties, ...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? []), ...Object.values(s.properties ?? {})];
      return parts.some((p) => hasChineseExample(p, seen));
    };
    const problems: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [verb, op] of Object.entries<any>(item)) {
        const controller = String(op?.operationId ?? '').split('_')[0];
        if (!ISSUE3_CONTROLLERS.includes(controller)) continue;
        operations++;
        const where = `${verb.toUpperCase()} ${path}`;
        if (!CJK.test(op.summary ?? '')) problems.push(`${where}: no Chinese summary`);
        for (const [type, media] of Object.entries<any>(op.requestBody?.content ?? {})) {
          // named examples (a body of only a version number has no Chinese field) count when described in Chinese
          const named = CJK.test(JSON.stringify(media.examples ?? {}));
          if (!named && !hasChineseExample(media.schema)) problems.push(`${where}: ${type} request body has no Chinese example`);
        }
        for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
          if (!/^2/.test(status)) continue;
          for (const [type, media] of Object.entries<any>(response.content ?? {})) {
            if (media.schema?.format === 'binary') continue; // a file download
            if (!hasChineseExample(media.schema)) problems.push(`${where}: ${status} ${type} response has no Chinese example`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // programmes 5, plans 9 + filings 1, enterprises 11 + proposals 2, offerings 5, partnerships 7 + agreements 4, attachments 3
    expect(operations).toBe(48);
  });
  });
});
