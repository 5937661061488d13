import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { planContent, programmeRow } from './matrix/programmes.fixtures';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

describe('training plans (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let collegeA: string;
  let collegeB: string;
  let staffA: string; // college-staff of A
  let adminA: string; // college-admin of A
  let adminB: string; // college-admin of B
  let province: string; // province-viewer

  const plans = (programmeId: string, rest = '') => `/api/v1/programmes/${programmeId}/plans${rest}`;
  const review = (conclusion = 'passed', reviewedOn = '2026-03-01') => ({
    reviewedOn,
    experts: [
      { name: '陈国华', title: '正高级工程师', organisation: '广州数控设备有限公司（演示）' },
      { name: '林秀英', title: '高级讲师', organisation: '广东省职业技能鉴定指导中心' },
    ],
    conclusion,
  });

  async function currentPlan(token: string, tenantId: string) {
    const programmeId = await programmeRow(f, tenantId);
    await t.http().post(plans(programmeId)).set(bearer(token)).send({ content: planContent() }).expect(201);
    await t.http().post(plans(programmeId, '/1/adopt')).set(bearer(token)).send({ version: 1 }).expect(200);
    return programmeId;
  }

  async function upload(token: string): Promise<string> {
    const res = await t.http().post('/api/v1/attachments').set(bearer(token)).attach('file', PDF, { filename: '党委会会议纪要.pdf', contentType: 'application/pdf' });
    if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  /** A major change of the course system (R-GOV-2): a new technician course. */
  function majorContent() {
    const c = planContent();
    c.stages[1].courses.push({ name: '五轴零件加工', workTask: '叶轮五轴加工', hours: 120, skillStandardItems: ['2.3.1 能进行多轴加工'] });
    return c;
  }

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    collegeA = await f.tenant({ name: '培养方案甲技师学院' });
    collegeB = await f.tenant({ name: '培养方案乙技师学院' });
    staffA = (await login(t, (await f.member('college-staff', { tenantId: collegeA })).email, TEST_PASSWORD)).accessToken;
    adminA = (await login(t, (await f.member('college-admin', { tenantId: collegeA })).email, TEST_PASSWORD)).accessToken;
    adminB = (await login(t, (await f.member('college-admin', { tenantId: collegeB })).email, TEST_PASSWORD)).accessToken;
    province = (await login(t, (await f.member('province-viewer')).email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  describe('drafts and structured content (R-TRN-2)', () => {
    it('creates version 1 as an editable draft with totals, and audits it', async () => {
      const programmeId = await programmeRow(f, collegeA);
      const res = await t.http().post(plans(programmeId)).set(bearer(staffA)).send({ content: planContent() }).expect(201);
      expect(res.body).toMatchObject({ versionNo: 1, status: 'draft', editable: true, changeKind: 'initial', classSize: 28, reviews: [], reviewPassed: false });
      expect(res.body.totals).toEqual({ seniorWorkerHours: 560, technicianHours: 360, courseHours: 920, practiceHours: 800 });
      expect(res.body.content.stages[1].courses[0]).toMatchObject({ name: '复杂轴类零件数控车削加工', hours: 200 });
      const audit = await f.provinceQuery(`SELECT action FROM audit_log WHERE entity = 'training-plan' AND entity_id = $1`, [res.body.id]);
      expect(audit.rows.map((r) => r.action)).toEqual(['create']);
      // a second plan for the same programme is a change, not a new plan
      const again = await t.http().post(plans(programmeId)).set(bearer(staffA)).send({ content: planContent() });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('PLANS.ALREADY_EXISTS');
    });

    it('R-TRN-2: class size 30 gives no warning, 31 gives a warning (default setting 30) and is still saved', async () => {
      const programmeId = await programmeRow(f, collegeA);
      const at30 = await t.http().post(plans(programmeId)).set(bearer(staffA)).send({ content: planContent({ classSize: 30 }) }).expect(201);
      expect(at30.body.warnings).toEqual([]);
      const at31 = await t.http().patch(plans(programmeId, '/1')).set(bearer(staffA)).send({ content: planContent({ classSize: 31 }), version: 1 }).expect(200);
      expect(at31.body.classSize).toBe(31);
      expect(at31.body.warnings).toEqual([
        expect.objectContaining({ code: 'PLANS.CLASS_SIZE_ABOVE_RECOMMENDED', zh: expect.stringContaining('超过建议的 30 人') }),
      ]);
    });

    it('R-TRN-2: the threshold is the college setting tenants.settings.classSizeWarning', async () => {
      const tenantId = await f.tenant({ name: '小班化技师学院' });
      await f.query(`UPDATE tenants SET settings = settings || '{"classSizeWarning": 24}'::jsonb WHERE id = $1`, [tenantId]);
      const token = (await login(t, (await f.member('college-staff', { tenantId })).email, TEST_PASSWORD)).accessToken;
      const programmeId = await programmeRow(f, tenantId);
      const res = await t.http().post(plans(programmeId)).set(bearer(token)).send({ content: planContent({ classSize: 25 }) }).expect(201);
      expect(res.body.warnings[0].zh).toContain('超过建议的 24 人');
    });

    it('R-TRN-2: refuses incomplete content: nested field errors (400) and no technician stage (422)', async () => {
      const programmeId = await programmeRow(f, collegeA);
      const bad = planContent();
      (bad.assessments[0] as any).passMark = 101;
      (bad.stages[0].courses[0] as any).hours = 0;
      (bad.practiceStages[0] as any).siteType = 'home';
      // R-TRN-2: each of the five integrations is recorded, each work task covers skill-standard items
      (bad.integrations as any).venues = '   ';
      (bad.stages[0].courses[0] as any).skillStandardItems = [];
      const res = await t.http().post(plans(programmeId)).set(bearer(staffA)).send({ content: bad });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.field)).toEqual(
        expect.arrayContaining([
          'content.assessments.0.passMark',
          'content.stages.0.courses.0.hours',
          'content.practiceStages.0.siteType',
          'content.integrations.venues',
          'content.stages.0.courses.0.skillStandardItems',
        ]),
      );
      const noTechnician = planContent({ stages: [planContent().stages[0]] });
      const res2 = await t.http().post(plans(programmeId)).set(bearer(staffA)).send({ content: noTechnician });
      expect(res2.status).toBe(422);
      expect(res2.body.code).toBe('PLANS.CONTENT_INVALID');
      expect(res2.body.errors[0]).toMatchObject({ field: 'content.stages' });
    });

    it('a stale version answers 409; adopting makes it current and no longer editable in place', async () => {
      const programmeId = await programmeRow(f, collegeA);
      await t.http().post(plans(programmeId)).set(bearer(staffA)).send({ content: planContent() }).expect(201);
      await t.http().patch(plans(programmeId, '/1')).set(bearer(staffA)).send({ content: planContent({ classSize: 26 }), version: 1 }).expect(200);
      const stale = await t.http().patch(plans(programmeId, '/1')).set(bearer(staffA)).send({ content: planContent(), version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('COMMON.STALE_VERSION');
      const adopted = await t.http().post(plans(programmeId, '/1/adopt')).set(bearer(staffA)).send({ version: 2 }).expect(200);
      expect(adopted.body).toMatchObject({ status: 'current', editable: false });
      expect(adopted.body.effectiveAt).toEqual(expect.any(String));
      const edit = await t.http().patch(plans(programmeId, '/1')).set(bearer(staffA)).send({ content: planContent(), version: adopted.body.version });
      expect(edit.status).toBe(409);
      expect(edit.body.code).toBe('PLANS.NOT_EDITABLE');
      expect(edit.body.title).toContain('只有草稿可以直接修改');
    });
  });

  describe('changes (R-GOV-2)', () => {
    it('R-GOV-2: a minor change takes effect at once; the old version is superseded and read-only', async () => {
      const programmeId = await currentPlan(staffA, collegeA);
      const content = planContent();
      content.integrations.teachers = '院校导师与企业导师 1+1，增设技能大师工作室';
      content.classSize = 26;
      const res = await t.http().post(plans(programmeId, '/1/changes')).set(bearer(staffA)).send({ kind: 'minor', summary: '调整师资安排与班额', content }).expect(201);
      expect(res.body).toMatchObject({ versionNo: 2, status: 'current', changeKind: 'minor', basedOnVersion: 1, changedAreas: ['integrations', 'class-size'] });
      const v1 = await t.http().get(plans(programmeId, '/1')).set(bearer(staffA)).expect(200);
      expect(v1.body).toMatchObject({ status: 'superseded', editable: false });
      const reviewOld = await t.http().post(plans(programmeId, '/1/reviews')).set(bearer(staffA)).send(review());
      expect(reviewOld.status).toBe(409);
      expect(reviewOld.body.code).toBe('PLANS.SUPERSEDED_READ_ONLY');
      const changeOld = await t.http().post(plans(programmeId, '/1/changes')).set(bearer(staffA)).send({ kind: 'minor', summary: '再次调整', content });
      expect(changeOld.body.code).toBe('PLANS.NOT_CURRENT');
      const list = await t.http().get(plans(programmeId)).set(bearer(staffA)).expect(200);
      expect(list.body.items.map((p: any) => [p.versionNo, p.status])).toEqual([
        [2, 'current'],
        [1, 'superseded'],
      ]);
    });

    it('R-GOV-2: a change of the course system, assessments or training projects cannot pass as minor (422)', async () => {
      const programmeId = await currentPlan(staffA, collegeA);
      const res = await t.http().post(plans(programmeId, '/1/changes')).set(bearer(staffA)).send({ kind: 'minor', summary: '新增课程', content: majorContent() });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('PLANS.MAJOR_CHANGE_DECLARED_MINOR');
      expect(res.body.title).toContain('课程体系');
      const assess = planContent();
      assess.assessments[1].passMark = 75;
      const res2 = await t.http().post(plans(programmeId, '/1/changes')).set(bearer(staffA)).send({ kind: 'minor', summary: '提高合格线', content: assess });
      expect(res2.body.title).toContain('考核评价安排');
      const projects = planContent();
      projects.practiceStages[1].plannedHours = 520;
      const res3 = await t.http().post(plans(programmeId, '/1/changes')).set(bearer(staffA)).send({ kind: 'minor', summary: '延长顶岗实践', content: projects });
      expect(res3.status).toBe(422);
      expect(res3.body.code).toBe('PLANS.MAJOR_CHANGE_DECLARED_MINOR');
      expect(res3.body.title).toContain('实训项目');
      const same = await t.http().post(plans(programmeId, '/1/changes')).set(bearer(staffA)).send({ kind: 'minor', summary: '无变化', content: planContent() });
      expect(same.body.code).toBe('PLANS.NO_CHANGE');
    });

    it('R-GOV-2: a major change does not take effect until the party committee decides and it is filed', async () => {
      const programmeId = await currentPlan(staffA, collegeA);
      const change = await t.http().post(plans(programmeId, '/1/changes')).set(bearer(staffA)).send({ kind: 'major', summary: '新增五轴加工课程', content: majorContent() }).expect(201);
      expect(change.body).toMatchObject({ versionNo: 2, status: 'pending-filing', changedAreas: ['course-system'], effectiveAt: null });
      // the old version is still the one in force
      expect((await t.http().get(plans(programmeId, '/1')).set(bearer(staffA))).body.status).toBe('current');
      // one open change at a time
      const second = await t.http().post(plans(programmeId, '/1/changes')).set(bearer(staffA)).send({ kind: 'major', summary: '另一调整', content: majorContent() });
      expect(second.body.code).toBe('PLANS.CHANGE_PENDING');

      // filing before the decision is refused
      const early = await t.http().post(plans(programmeId, '/2/filing')).set(bearer(adminA)).send({ reference: '粤技教研备〔2026〕101号' });
      expect(early.status).toBe(422);
      expect(early.body.code).toBe('PLANS.DECISION_REQUIRED');
      // college staff may not record the decision or file (plans.file-major-change is the college admin's)
      const minutes = await upload(adminA);
      await t.http().post(plans(programmeId, '/2/party-decision')).set(bearer(staffA)).send({ decidedOn: '2026-03-02', minutesAttachmentId: minutes }).expect(403);
      // another college's attachment is not found
      const foreignMinutes = await upload(adminB);
      const wrong = await t.http().post(plans(programmeId, '/2/party-decision')).set(bearer(adminA)).send({ decidedOn: '2026-03-02', minutesAttachmentId: foreignMinutes });
      expect(wrong.status).toBe(404);
      const decided = await t.http().post(plans(programmeId, '/2/party-decision')).set(bearer(adminA)).send({ decidedOn: '2026-03-02', minutesAttachmentId: minutes }).expect(201);
      expect(decided.body).toMatchObject({ status: 'pending-filing', partyDecision: { decidedOn: '2026-03-02', minutesAttachmentId: minutes, minutesFilename: '党委会会议纪要.pdf' } });
      expect((await t.http().get(plans(programmeId, '/1')).set(bearer(staffA))).body.status).toBe('current');

      const filed = await t.http().post(plans(programmeId, '/2/filing')).set(bearer(adminA)).send({ reference: '粤技教研备〔2026〕101号' }).expect(201);
      expect(filed.body).toMatchObject({ versionNo: 2, status: 'current', filing: { reference: '粤技教研备〔2026〕101号' } });
      expect((await t.http().get(plans(programmeId, '/1')).set(bearer(staffA))).body.status).toBe('superseded');
      const again = await t.http().post(plans(programmeId, '/2/filing')).set(bearer(adminA)).send({ reference: 'x' });
      expect(again.body.code).toBe('PLANS.ALREADY_FILED');
      const audit = await f.provinceQuery(`SELECT action FROM audit_log WHERE entity = 'training-plan' AND entity_id = $1 ORDER BY occurred_at`, [change.body.id]);
      expect(audit.rows.map((r) => r.action)).toEqual(['change-major', 'party-decision', 'file']);
    });

    it('a review date in the future is refused; reviews are recorded per version (R-PRG-2)', async () => {
      const programmeId = await currentPlan(staffA, collegeA);
      const future = await t.http().post(plans(programmeId, '/1/reviews')).set(bearer(staffA)).send(review('passed', '2999-01-01'));
      expect(future.status).toBe(422);
      await t.http().post(plans(programmeId, '/1/reviews')).set(bearer(staffA)).send(review('revise', '2026-02-01')).expect(201);
      const passed = await t.http().post(plans(programmeId, '/1/reviews')).set(bearer(staffA)).send(review('passed', '2026-03-01')).expect(201);
      expect(passed.body.reviewPassed).toBe(true);
      expect(passed.body.reviews.map((r: any) => r.conclusion)).toEqual(['revise', 'passed']);
      expect(passed.body.reviews[1].experts[0]).toEqual({ name: '陈国华', title: '正高级工程师', organisation: '广州数控设备有限公司（演示）' });
    });
  });

  describe('scopes', () => {
    it('another college’s programme answers 404; province users read plans but cannot write them (403)', async () => {
      const programmeId = await currentPlan(staffA, collegeA);
      await t.http().get(plans(programmeId)).set(bearer(adminB)).expect(404);
      await t.http().get(plans(programmeId, '/1')).set(bearer(adminB)).expect(404);
      const res = await t.http().post(plans(programmeId, '/1/changes')).set(bearer(adminB)).send({ kind: 'minor', summary: 'x', content: planContent({ classSize: 20 }) });
      expect(res.status).toBe(404);
      const read = await t.http().get(plans(programmeId, '/1')).set(bearer(province)).expect(200);
      expect(read.body).toMatchObject({ tenantId: collegeA, status: 'current' });
      await t.http().post(plans(programmeId, '/1/reviews')).set(bearer(province)).send(review()).expect(403);
    });

    it('R-GOV-2: province users list the filings of every college (RLS province read), college users may not (403)', async () => {
      const filingIn = async (tenantId: string, admin: string, reference: string) => {
        const programmeId = await currentPlan(admin, tenantId);
        await t.http().post(plans(programmeId, '/1/changes')).set(bearer(admin)).send({ kind: 'major', summary: '调整考核', content: majorContent() }).expect(201);
        const minutes = await upload(admin);
        await t.http().post(plans(programmeId, '/2/party-decision')).set(bearer(admin)).send({ decidedOn: '2026-03-02', minutesAttachmentId: minutes }).expect(201);
        await t.http().post(plans(programmeId, '/2/filing')).set(bearer(admin)).send({ reference }).expect(201);
        return programmeId;
      };
      await filingIn(collegeA, adminA, '粤技教研备〔2026〕201号');
      await filingIn(collegeB, adminB, '粤技教研备〔2026〕202号');

      const all = await t.http().get('/api/v1/plan-filings').query({ limit: 200 }).set(bearer(province)).expect(200);
      const refs = all.body.items.map((i: any) => i.reference);
      expect(refs).toEqual(expect.arrayContaining(['粤技教研备〔2026〕201号', '粤技教研备〔2026〕202号']));
      const b = all.body.items.find((i: any) => i.reference === '粤技教研备〔2026〕202号');
      expect(b).toMatchObject({ tenantId: collegeB, collegeName: '培养方案乙技师学院', versionNo: 2, decidedOn: '2026-03-02', changedAreas: ['course-system'] });

      const onlyA = await t.http().get('/api/v1/plan-filings').query({ tenantId: collegeA, limit: 200 }).set(bearer(province)).expect(200);
      expect(onlyA.body.items.every((i: any) => i.tenantId === collegeA)).toBe(true);

      // keyset walk: one by one, newest first, no duplicates
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await t.http().get('/api/v1/plan-filings').query({ limit: 1, ...(cursor ? { cursor } : {}) }).set(bearer(province)).expect(200);
        seen.push(...page.body.items.map((i: any) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor && seen.length < 50);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(all.body.items.length);

      await t.http().get('/api/v1/plan-filings').set(bearer(adminA)).expect(403);
    });
  });
});
