import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { chinaToday } from '../../src/time/china-date';
import { cohortRow, studentRow } from './matrix/cohorts.fixtures';
import { benchmarkFor, certificatesFor, employmentFor, graduatingCohort, studentsIn } from './matrix/graduates.fixtures';
import { activePilot, daysFromToday, readyProgramme } from './matrix/pilots.fixtures';
import { inTenant, programmeRow } from './matrix/programmes.fixtures';

/** Mid-term and completion evaluations and revocation (R-GOV-3, issue 12) through the HTTP API. */
describe('pilot evaluations and revocation (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let collegeA: string;
  let collegeB: string;
  let staffA: string;
  let staffUserA: string;
  let staffB: string;
  let admin: string;
  let expertUserId: string;
  let expert: string;

  const api = (path: string) => `/api/v1${path}`;
  const post = (path: string, token: string, body: object = {}) => t.http().post(api(path)).set(bearer(token)).send(body);
  const get = (path: string, token: string) => t.http().get(api(path)).set(bearer(token));
  const status = async (programmeId: string) => (await get(`/programmes/${programmeId}`, staffA).expect(200)).body.pilotStatus;

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    collegeA = await f.tenant({ name: '评估甲技师学院' });
    collegeB = await f.tenant({ name: '评估乙技师学院' });
    const sa = await f.member('college-staff', { tenantId: collegeA });
    staffUserA = sa.userId;
    staffA = (await login(t, sa.email, TEST_PASSWORD)).accessToken;
    staffB = (await login(t, (await f.member('college-staff', { tenantId: collegeB })).email, TEST_PASSWORD)).accessToken;
    admin = (await login(t, (await f.member('province-admin')).email, TEST_PASSWORD)).accessToken;
    const e = await f.member('province-expert');
    expertUserId = e.userId;
    expert = (await login(t, e.email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  async function schedule(programmeId: string, kind: 'mid-term' | 'completion') {
    const res = await post('/pilot-evaluations', admin, { programmeId, kind, scheduledOn: chinaToday(), expertUserIds: [expertUserId] });
    if (res.status !== 201) throw new Error(`schedule: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  it('R-GOV-3 mid-term: only an active pilot; an expert linked to the college is refused; the pass freezes plan execution, collaboration, staffing and streaming', async () => {
    const candidate = await programmeRow(f, collegeA);
    const notPilot = await post('/pilot-evaluations', admin, { programmeId: candidate, kind: 'mid-term', scheduledOn: chinaToday(), expertUserIds: [] });
    expect(notPilot.status).toBe(422);
    expect(notPilot.body.code).toBe('EVALUATIONS.NOT_A_PILOT');

    const ready = await readyProgramme(f, collegeA, staffUserA);
    await inTenant(f, collegeA, () => f.query(`UPDATE programmes SET pilot_status = 'active' WHERE id = $1`, [ready.programmeId]));
    const linked = await f.member('province-expert');
    await f.addMembership(linked.userId, 'college-admin', { tenantId: collegeA });
    const conflict = await post('/pilot-evaluations', admin, { programmeId: ready.programmeId, kind: 'mid-term', scheduledOn: chinaToday(), expertUserIds: [linked.userId] });
    expect(conflict.status).toBe(422);
    expect(conflict.body.code).toBe('EVALUATIONS.EXPERT_CONFLICT');

    // four enrolled students, one streamed out at mid-term
    const [plan] = (await f.provinceQuery(`SELECT id FROM training_plans WHERE programme_id = $1`, [ready.programmeId])).rows;
    const { cohortId } = await cohortRow(f, collegeA, { programmeId: ready.programmeId, planId: plan.id });
    const students: string[] = [];
    for (let i = 0; i < 4; i++) students.push((await studentRow(f, collegeA, cohortId, { status: 'enrolled' })).studentId);
    await inTenant(f, collegeA, () => f.query(`UPDATE students SET status = 'streamed-out', left_on = $2 WHERE id = $1`, [students[0], daysFromToday(-5)]));

    const ev = await schedule(ready.programmeId, 'mid-term');
    expect(ev).toMatchObject({ status: 'scheduled', kind: 'mid-term', kpiSnapshot: null, conclusion: null });
    // the college sees its evaluation; another college does not; the expert sees what they evaluate
    await get(`/pilot-evaluations/${ev.id}`, staffA).expect(200);
    await get(`/pilot-evaluations/${ev.id}`, staffB).expect(404);
    await get(`/pilot-evaluations/${ev.id}`, expert).expect(200);

    const noDeadline = await post(`/pilot-evaluations/${ev.id}/conclusion`, admin, { checklistScores: { 方案执行: 80 }, conclusion: 'rectify', reason: '校企协同不足' });
    expect(noDeadline.status).toBe(422);
    expect(noDeadline.body.code).toBe('EVALUATIONS.RECTIFY_NEEDS_DEADLINE');
    const passed = await post(`/pilot-evaluations/${ev.id}/conclusion`, admin, {
      checklistScores: { 方案执行: 85, 校企协同: 80, 师资配备: 90, 分段分流: 75 },
      conclusion: 'pass',
      reason: '方案执行到位，校企协同良好',
    }).expect(200);
    expect(passed.body).toMatchObject({ status: 'concluded', conclusion: 'pass', concludedOn: chinaToday() });
    const k = passed.body.kpiSnapshot;
    expect(k.asOf).toBe(chinaToday());
    expect(k.planExecution).toEqual({ plannedHours: 0, confirmedHours: 0, ratio: null });
    expect(k.collaboration).toMatchObject({ activePartners: 1, agreementsInForce: 1 });
    expect(k.staffing).toMatchObject({ compliant: true });
    expect(k.streaming).toEqual({ cohorts: 1, enrolled: 4, streamedOut: 1, ratio: 0.25 });
    expect(await status(ready.programmeId)).toBe('midterm-passed');
    // frozen: a later change does not alter the stored snapshot
    await inTenant(f, collegeA, () => f.query(`UPDATE students SET status = 'streamed-out', left_on = $2 WHERE id = $1`, [students[1], daysFromToday(-1)]));
    expect((await get(`/pilot-evaluations/${ev.id}`, admin).expect(200)).body.kpiSnapshot.streaming.streamedOut).toBe(1);
    const again = await post(`/pilot-evaluations/${ev.id}/conclusion`, admin, { checklistScores: { a: 1 }, conclusion: 'fail', reason: 'x' });
    expect(again.status).toBe(409);

    // R-GOV-3 completion: the partner-enterprise satisfaction score is required; attainment (R-EVA-3) and matched employment
    // (R-EVA-4) come from the KPI module: 5 graduates of whom 4 attained, 3 employed of whom 2 in a matching post
    const grad = await graduatingCohort(f, collegeA, { programmeId: ready.programmeId, planId: plan.id });
    const graduates = await studentsIn(f, collegeA, grad.cohortId, 5);
    await certificatesFor(f, collegeA, graduates.slice(0, 4), 'national-technician');
    const city = await benchmarkFor(f, 7000);
    await employmentFor(f, collegeA, graduates.slice(0, 2), { city, matched: true, monthlyPay: 7500 });
    await employmentFor(f, collegeA, graduates.slice(2, 3), { city, matched: false, monthlyPay: 7500 });
    const completion = await schedule(ready.programmeId, 'completion');
    const noScore = await post(`/pilot-evaluations/${completion.id}/conclusion`, admin, { checklistScores: { 技师达标: 80 }, conclusion: 'pass', reason: '达标' });
    expect(noScore.status).toBe(422);
    expect(noScore.body.code).toBe('EVALUATIONS.SATISFACTION_REQUIRED');
    const done = await post(`/pilot-evaluations/${completion.id}/conclusion`, admin, { checklistScores: { 技师达标: 80 }, enterpriseSatisfaction: 88, conclusion: 'pass', reason: '达标' }).expect(200);
    const viaKpiApi = (await get(`/kpis/programmes/${ready.programmeId}`, staffA).expect(200)).body.kpis as any[];
    const figureOf = (key: string) => {
      const k = viaKpiApi.find((x) => x.key === key);
      return { numerator: k.numerator, denominator: k.denominator, ratio: k.ratio, target: k.target, met: k.met };
    };
    expect(done.body.kpiSnapshot).toEqual({
      asOf: chinaToday(),
      attainment: figureOf('technicianAttainment'),
      matchedEmployment: figureOf('matchedEmployment'),
      kpiSource: 'kpi-module',
      enterpriseSatisfaction: { score: 88, source: 'partner-enterprise-survey' },
    });
    // and those are the expected numbers: 4/5 = 80 % meets R-EVA-3's 80 %; 2/3 ≥ 60 % meets R-EVA-4
    expect(done.body.kpiSnapshot.attainment).toEqual({ numerator: 4, denominator: 5, ratio: 0.8, target: 0.8, met: true });
    expect(done.body.kpiSnapshot.matchedEmployment).toEqual({ numerator: 2, denominator: 3, ratio: 0.6667, target: 0.6, met: true });
    expect(await status(ready.programmeId)).toBe('completed');
  });

  it('R-GOV-3 R-EVA-3 R-EVA-4: the completion snapshot of a programme with no graduates is "no data" (ratio and met null), never 0 % and never met', async () => {
    const programmeId = await activePilot(f, collegeA);
    await inTenant(f, collegeA, () => f.query(`UPDATE programmes SET pilot_status = 'midterm-passed' WHERE id = $1`, [programmeId]));
    const ev = await schedule(programmeId, 'completion');
    const done = await post(`/pilot-evaluations/${ev.id}/conclusion`, admin, { checklistScores: { 技师达标: 60 }, enterpriseSatisfaction: 70, conclusion: 'rectify', rectifyBy: daysFromToday(60), reason: '尚无毕业生' }).expect(200);
    const empty = (target: number) => ({ numerator: 0, denominator: 0, ratio: null, target, met: null });
    expect(done.body.kpiSnapshot).toMatchObject({ kpiSource: 'kpi-module', attainment: empty(0.8), matchedEmployment: empty(0.6) });
    const viaKpiApi = (await get(`/kpis/programmes/${programmeId}`, staffA).expect(200)).body.kpis as any[];
    expect(viaKpiApi.find((k) => k.key === 'technicianAttainment')).toMatchObject({ ratio: null, met: null });
  });

  it('R-GOV-3: a failed evaluation revokes the pilot with the reason, notified to the college; rectify keeps it with a deadline', async () => {
    const rectifyProgramme = await activePilot(f, collegeA);
    const r = await schedule(rectifyProgramme, 'mid-term');
    const rectified = await post(`/pilot-evaluations/${r.id}/conclusion`, admin, { checklistScores: { 校企协同: 55 }, conclusion: 'rectify', rectifyBy: daysFromToday(90), reason: '校企协同不足，限期整改' }).expect(200);
    expect(rectified.body).toMatchObject({ conclusion: 'rectify', rectifyBy: daysFromToday(90) });
    expect(await status(rectifyProgramme)).toBe('active');

    const programmeId = await activePilot(f, collegeA);
    const ev = await schedule(programmeId, 'mid-term');
    const failed = await post(`/pilot-evaluations/${ev.id}/conclusion`, admin, { checklistScores: { 方案执行: 40 }, conclusion: 'fail', reason: '方案执行严重滞后，企业实践未开展' }).expect(200);
    expect(failed.body.conclusion).toBe('fail');
    expect(await status(programmeId)).toBe('revoked');
    const rows = await f.provinceQuery(`SELECT cause, reason, evaluation_id AS "evaluationId" FROM pilot_revocations WHERE programme_id = $1`, [programmeId]);
    expect(rows.rows).toEqual([{ cause: 'evaluation', reason: '方案执行严重滞后，企业实践未开展', evaluationId: ev.id }]);
    const events = await f.query(`SELECT payload->>'event' AS e FROM outbox WHERE payload->>'subjectId' = $1`, [ev.id]);
    expect(events.rows.map((x: any) => x.e).sort()).toEqual(['evaluation-fail', 'evaluation-scheduled']);
  });

  it('R-GOV-3: a recorded violation revokes an active pilot (audited in the college, notified); a revoked one cannot be revoked again', async () => {
    const programmeId = await activePilot(f, collegeA);
    const res = await post('/pilot-revocations', admin, { programmeId, reason: '违规跨专业招生，经核实属实' }).expect(201);
    expect(res.body).toMatchObject({ programmeId, cause: 'violation', revokedOn: chinaToday(), pilotStatus: 'revoked' });
    expect(await status(programmeId)).toBe('revoked');
    const audit = await f.provinceQuery(`SELECT tenant_id AS "tenantId", after->>'cause' AS cause FROM audit_log WHERE entity = 'programme' AND entity_id = $1 AND action = 'pilot-status'`, [programmeId]);
    expect(audit.rows).toEqual([{ tenantId: collegeA, cause: 'revoked-violation' }]);
    const again = await post('/pilot-revocations', admin, { programmeId, reason: '再次' });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('EVALUATIONS.ALREADY_REVOKED');
    await post('/pilot-revocations', staffA, { programmeId, reason: 'x' }).expect(403);
    const candidate = await programmeRow(f, collegeA);
    const notPilot = await post('/pilot-revocations', admin, { programmeId: candidate, reason: '违规' });
    expect(notPilot.status).toBe(422);
  });
});
