import { randomBytes } from 'node:crypto';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { chinaToday } from '../../src/time/china-date';
import { activePilot, applicationRow, daysFromToday, evaluationRow, THIS_YEAR } from './matrix/pilots.fixtures';
import { attachmentRow } from './matrix/programmes.fixtures';
import { programmeRow } from './matrix/programmes.fixtures';

/** Governance records and the province overview (R-GOV-1, R-GOV-5, R-COL-3; issue 12). */
describe('pilot governance (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let admin: string;
  let viewer: string;
  let staff: string;
  let college: string;
  const city = `测试市${randomBytes(2).toString('hex')}`;

  const api = (path: string) => `/api/v1${path}`;

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '治理测试技师学院', tier: 'batch2', city });
    admin = (await login(t, (await f.member('province-admin')).email, TEST_PASSWORD)).accessToken;
    viewer = (await login(t, (await f.member('province-viewer')).email, TEST_PASSWORD)).accessToken;
    staff = (await login(t, (await f.member('college-staff', { tenantId: college })).email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('R-GOV-1: a consultation is recorded with attendees, topics, decisions and follow-up actions (owners, due dates); colleges may not read them', async () => {
    const body = {
      heldOn: daysFromToday(-3),
      title: '学制技师培养试点工作推进会商',
      attendees: [
        { name: '王建国', organisation: '省人社厅职业能力建设处' },
        { name: '李红', organisation: '治理测试技师学院' },
      ],
      topics: ['中期评估安排', '企业导师配备'],
      decisions: ['下季度开展中期评估'],
      actions: [{ action: '补充企业导师 2 名并报备', owner: '治理测试技师学院', dueOn: daysFromToday(30) }],
    };
    const created = await t.http().post(api('/pilot-consultations')).set(bearer(admin)).send(body).expect(201);
    expect(created.body).toMatchObject(body);
    const list = await t.http().get(api('/pilot-consultations?limit=200')).set(bearer(viewer)).expect(200);
    expect(list.body.items.map((x: any) => x.id)).toContain(created.body.id);
    await t.http().get(api('/pilot-consultations')).set(bearer(staff)).expect(403);
    const bad = await t.http().post(api('/pilot-consultations')).set(bearer(admin)).send({ ...body, actions: [{ action: '补充', owner: '学院', dueOn: '2026-02-30' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('actions.0.dueOn');
  });

  it('R-GOV-5: a funding decision and per-student coefficient are recorded against a pilot programme only', async () => {
    const pilot = await activePilot(f, college);
    const ok = await t.http().post(api('/pilot-funding-decisions')).set(bearer(admin)).send({ programmeId: pilot, decidedOn: chinaToday(), amountYuan: 500000, perStudentCoefficient: 1.2, basis: '中期评估通过，给予专项经费支持' }).expect(201);
    expect(ok.body).toMatchObject({ collegeId: college, programmeId: pilot, amountYuan: 500000, perStudentCoefficient: 1.2 });
    const candidate = await programmeRow(f, college);
    const notPilot = await t.http().post(api('/pilot-funding-decisions')).set(bearer(admin)).send({ programmeId: candidate, decidedOn: chinaToday(), amountYuan: 1, basis: 'x' });
    expect(notPilot.status).toBe(422);
    expect(notPilot.body.code).toBe('GOVERNANCE.NOT_A_PILOT');
    const neither = await t.http().post(api('/pilot-funding-decisions')).set(bearer(admin)).send({ programmeId: pilot, decidedOn: chinaToday(), basis: 'x' });
    expect(neither.status).toBe(422);
    expect(neither.body.code).toBe('GOVERNANCE.AMOUNT_OR_COEFFICIENT');
    const rows = await f.provinceQuery(`SELECT count(*)::int AS n FROM pilot_funding_decisions WHERE college_id = $1`, [college]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('R-COL-3: the province overview counts application programmes by year, tier, city and stage, pilots by status, evaluations by outcome (drafts not counted)', async () => {
    await applicationRow(f, college, { status: 'decided', stage: 'approved' });
    await applicationRow(f, college, { status: 'decided', stage: 'approved' });
    await applicationRow(f, college, { status: 'under-review', stage: 'pending' });
    await applicationRow(f, college, { status: 'draft', stage: 'pending' });
    await evaluationRow(f, college, { kind: 'mid-term' });
    const res = await t.http().get(api(`/pilot-overview?year=${THIS_YEAR}`)).set(bearer(viewer)).expect(200);
    const mine = res.body.applicationProgrammes.filter((r: any) => r.city === city);
    expect(mine).toEqual([
      { year: THIS_YEAR, tier: 'batch2', city, stage: 'approved', count: 2 },
      { year: THIS_YEAR, tier: 'batch2', city, stage: 'pending', count: 1 },
    ]);
    const pilots = res.body.programmes.filter((r: any) => r.city === city);
    expect(pilots).toEqual(expect.arrayContaining([{ tier: 'batch2', city, pilotStatus: 'active', count: 2 }]));
    expect(res.body.evaluations).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'mid-term', outcome: 'scheduled' })]));
    expect(res.body.asOf).toBe(chinaToday());
    await t.http().get(api('/pilot-overview')).set(bearer(staff)).expect(403);
  });
  it('R-GOV-4: a college submits its annual experience report; the province selects outstanding ones into the case library', async () => {
    const collegeAdmin = await f.member('college-admin', { tenantId: college });
    const adminToken = (await login(t, collegeAdmin.email, TEST_PASSWORD)).accessToken;
    const otherCollege = await f.tenant({ name: '治理测试乙技师学院' });
    const otherStaff = (await login(t, (await f.member('college-staff', { tenantId: otherCollege })).email, TEST_PASSWORD)).accessToken;
    const programmeId = await programmeRow(f, college);
    const attachmentId = await attachmentRow(f, college, collegeAdmin.userId);
    const created = await t.http().post(api('/experience-reports')).set(bearer(adminToken)).send({
      year: THIS_YEAR, title: '数控加工专业学制技师培养试点年度经验总结', summary: '校企共建学习型工厂，企业导师全程参与过程性考评。', programmeId, attachmentId,
    }).expect(201);
    expect(created.body).toMatchObject({ tenantId: college, selected: false, caseTitle: null, programmeId, attachmentId });
    const foreignProgramme = await t.http().post(api('/experience-reports')).set(bearer(adminToken)).send({ year: THIS_YEAR, title: '总结', summary: '内容', programmeId: await programmeRow(f, otherCollege) });
    expect(foreignProgramme.status).toBe(422);
    expect(foreignProgramme.body.code).toBe('GOVERNANCE.REPORT_REFERENCE');
    // the other college does not see it; the province does
    const otherList = await t.http().get(api('/experience-reports?limit=200')).set(bearer(otherStaff)).expect(200);
    expect(otherList.body.items.map((x: any) => x.id)).not.toContain(created.body.id);
    await t.http().post(api(`/experience-reports/${created.body.id}/selection`)).set(bearer(adminToken)).send({ caseTitle: 'x', reason: 'y' }).expect(403);
    const selected = await t.http().post(api(`/experience-reports/${created.body.id}/selection`)).set(bearer(admin)).send({ caseTitle: '校企共建学习型工厂的双导师培养模式', reason: '模式可复制，企业参与度高' }).expect(200);
    expect(selected.body).toMatchObject({ selected: true, caseTitle: '校企共建学习型工厂的双导师培养模式', selectionReason: '模式可复制，企业参与度高' });
    await t.http().post(api(`/experience-reports/${created.body.id}/selection`)).set(bearer(admin)).send({ caseTitle: '再选', reason: '再选' }).expect(409);
    const library = await t.http().get(api(`/experience-reports?selected=true&year=${THIS_YEAR}&limit=200`)).set(bearer(viewer)).expect(200);
    expect(library.body.items.map((x: any) => x.id)).toContain(created.body.id);
    expect(library.body.items.every((x: any) => x.selected)).toBe(true);
    const audit = await f.provinceQuery(`SELECT tenant_id AS "tenantId" FROM audit_log WHERE entity = 'pilot-experience-report' AND entity_id = $1 AND action = 'select-case'`, [created.body.id]);
    expect(audit.rows).toEqual([{ tenantId: college }]);
  });
});
