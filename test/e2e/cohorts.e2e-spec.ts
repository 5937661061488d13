import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { cohortRow, defaultCohortStart, programmeWithPlan, studentRow } from './matrix/cohorts.fixtures';
import { inTenant } from './matrix/programmes.fixtures';

describe('cohorts, R-TRK-1/2, R-TRN-1, R-EVA-2 (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let other: string;
  let enterprise: string;
  let staff: { userId: string; email: string };
  let token: string;
  let enterpriseToken: string;

  const create = (body: Record<string, unknown>) => t.http().post('/api/v1/cohorts').set(bearer(token)).send(body);
  const base = async (track: string, startDate: string, extra: Record<string, unknown> = {}) => {
    const { programmeId, planId } = await programmeWithPlan(f, college);
    return { programmeId, planVersionId: planId, name: `${track}班${Math.random().toString(36).slice(2, 6)}`, intakeYear: Number(startDate.slice(0, 4)), trackCode: track, startDate, ...extra };
  };

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '班级测试技师学院' });
    other = await f.tenant({ name: '班级测试另一学院' });
    enterprise = await f.enterprise('班级测试合作企业');
    staff = await f.member('college-staff', { tenantId: college });
    token = (await login(t, staff.email, TEST_PASSWORD)).accessToken;
    enterpriseToken = (await login(t, (await f.member('enterprise-admin', { tenantId: college, enterpriseId: enterprise })).email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it.each([
    ['junior-high', 72, 48, '2029-09-01', '2031-09-01'],
    ['senior-high', 48, 24, '2027-09-01', '2029-09-01'],
    ['secondary-vocational', 36, 24, '2027-09-01', '2028-09-01'],
    ['higher-vocational', 24, 0, null, '2027-09-01'],
    ['bachelor-plus', 12, 0, null, '2026-09-01'],
  ])('R-TRK-1 %s: duration, senior-worker stage end and graduation are derived from the track', async (track, months, stage, stageEnd, graduation) => {
    const res = await create(await base(track, '2025-09-01')).expect(201);
    expect(res.body).toMatchObject({
      durationMonths: months,
      seniorWorkerStageMonths: stage,
      seniorWorkerStageEnd: stageEnd,
      expectedGraduation: graduation,
      streamingCheckpoint: stageEnd ?? expect.any(String),
      status: 'planned',
      studentCount: 0,
      warnings: [],
    });
  });

  it('R-TRK-1 leap year: a senior-high cohort from 2024-02-29 ends its stage 2026-02-28 and graduates 2028-02-29; bachelor-plus 2025-02-28', async () => {
    const senior = await create(await base('senior-high', '2024-02-29')).expect(201);
    expect(senior.body).toMatchObject({ seniorWorkerStageEnd: '2026-02-28', expectedGraduation: '2028-02-29' });
    const bachelor = await create(await base('bachelor-plus', '2024-02-29')).expect(201);
    expect(bachelor.body.expectedGraduation).toBe('2025-02-28');
  });

  it.each([
    ['junior-high', undefined, '2028-02-29', '2030-02-28'],
    ['senior-high', undefined, '2026-02-28', '2028-02-29'],
    ['secondary-vocational', undefined, '2026-02-28', '2027-02-28'],
    ['higher-vocational', undefined, null, '2026-02-28'],
    ['bachelor-plus', undefined, null, '2025-02-28'],
    ['flexible', { durationMonths: 48, seniorWorkerStageMonths: 36, justification: '企业订单班，三年高级工阶段后一年技师阶段' }, '2027-02-28', '2028-02-29'],
  ])('R-TRK-1/R-TRK-2 leap day: a %s cohort from 2024-02-29 gets its derived dates over HTTP', async (track, flexible, stageEnd, graduation) => {
    const res = await create(await base(track, '2024-02-29', flexible ? { flexible } : {})).expect(201);
    expect(res.body).toMatchObject({ seniorWorkerStageEnd: stageEnd, expectedGraduation: graduation });
  });

  it('R-TRK-2 flexible track: its own duration and split with a justification; a fixed track cannot state one', async () => {
    const flexible = { durationMonths: 54, seniorWorkerStageMonths: 30, justification: '企业订单班，按企业生产周期两段式培养，经专业建设指导委员会论证' };
    const res = await create(await base('flexible', '2025-09-01', { flexible, assistantEngineer: true })).expect(201);
    expect(res.body).toMatchObject({
      durationMonths: 54,
      seniorWorkerStageEnd: '2028-03-01',
      expectedGraduation: '2030-03-01',
      flexibleJustification: flexible.justification,
      assistantEngineer: true,
      track: { code: 'flexible', flexible: true },
    });
    const missing = await create(await base('flexible', '2025-09-01')).expect(422);
    expect(missing.body.code).toBe('COHORTS.FLEXIBLE_SPLIT_REQUIRED');
    const fixed = await create(await base('senior-high', '2025-09-01', { flexible })).expect(422);
    expect(fixed.body.code).toBe('COHORTS.FLEXIBLE_SPLIT_NOT_ALLOWED');
    // the derived figures cannot be typed in
    const typed = await create(await base('senior-high', '2025-09-01', { durationMonths: 12 }));
    expect(typed.status).toBe(400);
  });

  it('a plan version of another programme, a draft version or another college’s programme is refused', async () => {
    const a = await programmeWithPlan(f, college);
    const b = await programmeWithPlan(f, college);
    const res = await create({ ...(await base('senior-high', '2025-09-01')), programmeId: a.programmeId, planVersionId: b.planId }).expect(422);
    expect(res.body.code).toBe('COHORTS.PLAN_VERSION_INVALID');
    const foreign = await programmeWithPlan(f, other);
    const res2 = await create({ ...(await base('senior-high', '2025-09-01')), programmeId: foreign.programmeId, planVersionId: foreign.planId }).expect(422);
    expect(res2.body.code).toBe('COHORTS.PROGRAMME_NOT_FOUND');
  });

  it('R-TRN-2 class size above the college setting (default 30) is a warning, not an error', async () => {
    const { cohortId } = await cohortRow(f, college);
    for (let i = 0; i < 31; i++) await studentRow(f, college, cohortId);
    const res = await t.http().get(`/api/v1/cohorts/${cohortId}`).set(bearer(token)).expect(200);
    expect(res.body.studentCount).toBe(31);
    expect(res.body.warnings).toEqual([expect.objectContaining({ code: 'COHORTS.CLASS_SIZE_ABOVE_RECOMMENDED' })]);
    await f.query(`UPDATE tenants SET settings = settings || '{"classSizeWarning": 40}'::jsonb WHERE id = $1`, [college]);
    const relaxed = await t.http().get(`/api/v1/cohorts/${cohortId}`).set(bearer(token)).expect(200);
    expect(relaxed.body.warnings).toEqual([]);
    await f.query(`UPDATE tenants SET settings = settings - 'classSizeWarning' WHERE id = $1`, [college]);
  });

  it('R-GOV-3 (issue 12): only an active pilot opens a cohort — candidate, applied, suspended, revoked and completed are refused; active and mid-term passed start', async () => {
    const statusOf = async (cohortId: string) => (await inTenant(f, college, () => f.query(`SELECT status FROM cohorts WHERE id = $1`, [cohortId]))).rows[0].status;
    for (const pilot of ['candidate', 'applied', 'suspended', 'revoked', 'completed', 'active', 'midterm-passed']) {
      const ready = await programmeWithPlan(f, college, { enterpriseId: enterprise, uploadedBy: staff.userId, agreement: true, team: true });
      await inTenant(f, college, () => f.query(`UPDATE programmes SET pilot_status = $2 WHERE id = $1`, [ready.programmeId, pilot]));
      const { cohortId } = await cohortRow(f, college, ready);
      const res = await t.http().post(`/api/v1/cohorts/${cohortId}/start`).set(bearer(token));
      if (pilot === 'active' || pilot === 'midterm-passed') {
        expect(res.status).toBe(200);
        expect(await statusOf(cohortId)).toBe('started');
      } else {
        expect(res.status).toBe(422);
        expect(res.body.errors).toEqual([{ field: 'pilotStatus', message: expect.stringContaining('R-GOV-3') }]);
        expect(res.body.detail).toContain('不能开班');
        expect(await statusOf(cohortId)).toBe('planned');
      }
    }
  });

  it('R-TRN-1 + R-EVA-2 + R-GOV-3: start is refused with 422 and every reason, then succeeds (an active pilot) and enrols the admitted students', async () => {
    const bare = await programmeWithPlan(f, college);
    const { cohortId } = await cohortRow(f, college, bare);
    const refused = await t.http().post(`/api/v1/cohorts/${cohortId}/start`).set(bearer(token)).expect(422);
    expect(refused.body.code).toBe('COHORTS.START_REFUSED');
    const constraints = refused.body.errors.map((e: { constraint?: string; field: string }) => e.field);
    expect(constraints).toContain('agreement');
    expect(constraints).toContain('pilotStatus');
    expect(constraints.some((c: string) => c.startsWith('team.'))).toBe(true);
    expect(refused.body.detail).toContain('R-TRN-1');

    // an agreement alone is not enough: the team must be compliant too
    const agreementOnly = await programmeWithPlan(f, college, { enterpriseId: enterprise, uploadedBy: staff.userId, agreement: true });
    const c2 = await cohortRow(f, college, agreementOnly);
    const r2 = await t.http().post(`/api/v1/cohorts/${c2.cohortId}/start`).set(bearer(token)).expect(422);
    expect(r2.body.errors.map((e: { field: string }) => e.field)).not.toContain('agreement');

    const ready = await programmeWithPlan(f, college, { enterpriseId: enterprise, uploadedBy: staff.userId, agreement: true, team: true });
    await inTenant(f, college, () => f.query(`UPDATE programmes SET pilot_status = 'active' WHERE id = $1`, [ready.programmeId]));
    const c3 = await cohortRow(f, college, ready);
    const s = await studentRow(f, college, c3.cohortId);
    const ok = await t.http().post(`/api/v1/cohorts/${c3.cohortId}/start`).set(bearer(token)).expect(200);
    expect(ok.body.status).toBe('started');
    const enrolled = await inTenant(f, college, () => f.query(`SELECT status, enrolled_on::text FROM students WHERE id = $1`, [s.studentId]));
    expect(enrolled.rows[0]).toEqual({ status: 'enrolled', enrolled_on: defaultCohortStart() });
    const dated = await inTenant(f, college, () => f.query(`SELECT from_status, to_status, effective_on::text FROM student_status_changes WHERE student_id = $1`, [s.studentId]));
    expect(dated.rows).toEqual([{ from_status: 'admitted', to_status: 'enrolled', effective_on: defaultCohortStart() }]);
    await t.http().post(`/api/v1/cohorts/${c3.cohortId}/start`).set(bearer(token)).expect(409);
  });

  it('an enterprise sees only cohorts of programmes it partners with; another college’s cohort is 404', async () => {
    const mine = await programmeWithPlan(f, college, { enterpriseId: enterprise, uploadedBy: staff.userId, agreement: true });
    const visible = await cohortRow(f, college, mine);
    const hidden = await cohortRow(f, college);
    await t.http().get(`/api/v1/cohorts/${visible.cohortId}`).set(bearer(enterpriseToken)).expect(200);
    await t.http().get(`/api/v1/cohorts/${hidden.cohortId}`).set(bearer(enterpriseToken)).expect(404);
    const list = await t.http().get('/api/v1/cohorts').query({ limit: 200 }).set(bearer(enterpriseToken)).expect(200);
    const ids = list.body.items.map((c: { id: string }) => c.id);
    expect(ids).toContain(visible.cohortId);
    expect(ids).not.toContain(hidden.cohortId);
    const foreign = await cohortRow(f, other);
    await t.http().get(`/api/v1/cohorts/${foreign.cohortId}`).set(bearer(token)).expect(404);
  });
});
