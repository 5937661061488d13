import { TenantContext } from '../../src/tenancy/tenant-context';
import { TeamComplianceService } from '../../modules/teams';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { makePartner, staffRow, teamRow } from './matrix/staff.fixtures';
import { programmeRow } from './matrix/programmes.fixtures';
import { cohortRow } from './matrix/mentorships.fixtures';

describe('teaching and assessment teams, R-EVA-2 (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let other: string;
  let partner: string;
  let staffToken: string;
  let viewerToken: string;

  const compliance = (programmeId: string, tok = staffToken) =>
    t.http().get('/api/v1/teams/compliance').query({ programmeId }).set(bearer(tok));
  const gate = (programmeId: string) =>
    t.app.get(TenantContext).runAsTenant(college, () => t.app.get(TeamComplianceService).assertCompliant(programmeId));

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '团队测试技师学院' });
    other = await f.tenant({ name: '团队测试另一学院' });
    partner = await f.enterprise('团队测试合作企业');
    await makePartner(f, college, partner);
    staffToken = (await login(t, (await f.member('college-staff', { tenantId: college })).email, TEST_PASSWORD)).accessToken;
    viewerToken = (await login(t, (await f.member('province-viewer')).email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('R-EVA-2: 3 enterprise mentors of 10 members with 5 experts passes, live on every read', async () => {
    const team = await teamRow(f, college, { total: 10, enterprise: 3, experts: 5, enterpriseId: partner });
    const res = await compliance(team.programmeId).expect(200);
    expect(res.body).toEqual({
      teamId: team.teamId,
      compliant: true,
      enterpriseShare: { enterprise: 3, total: 10, ratio: 0.3, threshold: 0.3, met: true },
      experts: { count: 5, threshold: 5, met: true },
      missing: [],
    });
    await expect(gate(team.programmeId)).resolves.toBeUndefined();
    // the province sees the same numbers
    const province = await compliance(team.programmeId, viewerToken).expect(200);
    expect(province.body.compliant).toBe(true);
    // removing an enterprise mentor flips it at once (no stored flag)
    const detail = await t.http().get(`/api/v1/teams/${team.teamId}`).set(bearer(staffToken)).expect(200);
    const oneEnterprise = detail.body.members.find((m: { side: string }) => m.side === 'enterprise');
    const after = await t.http().delete(`/api/v1/teams/${team.teamId}/members/${oneEnterprise.id}`).set(bearer(staffToken)).expect(200);
    expect(after.body.compliance.enterpriseShare).toMatchObject({ enterprise: 2, total: 9, met: false });
  });

  it('R-EVA-2: 2 enterprise mentors of 7 fails, asks for 1 more, and the gate answers 422 with the reason', async () => {
    const team = await teamRow(f, college, { total: 7, enterprise: 2, experts: 5, enterpriseId: partner });
    const res = await compliance(team.programmeId).expect(200);
    expect(res.body.compliant).toBe(false);
    expect(res.body.enterpriseShare).toMatchObject({ enterprise: 2, total: 7, met: false });
    expect(res.body.missing[0].zh).toContain('还需增加1名企业导师');
    await expect(gate(team.programmeId)).rejects.toMatchObject({ definition: { code: 'TEAMS.NOT_COMPLIANT', status: 422 } });
  });

  it('R-EVA-2: 5 experts passes, 4 fails with「还需增加1名专家（副高级及以上职称或技师及以上技能等级）」', async () => {
    const five = await teamRow(f, college, { total: 10, enterprise: 4, experts: 5, enterpriseId: partner });
    expect((await compliance(five.programmeId).expect(200)).body.experts).toEqual({ count: 5, threshold: 5, met: true });
    const four = await teamRow(f, college, { total: 10, enterprise: 4, experts: 4, enterpriseId: partner });
    const res = await compliance(four.programmeId).expect(200);
    expect(res.body.experts).toEqual({ count: 4, threshold: 5, met: false });
    expect(res.body.missing.map((m: { zh: string }) => m.zh)).toEqual(['还需增加1名专家（副高级及以上职称或技师及以上技能等级）']);
  });

  it('R-EVA-2: a programme without a team is not compliant and its share is "no data" (null)', async () => {
    const programmeId = await programmeRow(f, college);
    const res = await compliance(programmeId).expect(200);
    expect(res.body).toMatchObject({ teamId: null, compliant: false, enterpriseShare: { ratio: null, met: false, total: 0 } });
  });

  it('a team is built through the API; pending enterprise mentors are listed but not counted until confirmed', async () => {
    const programmeId = await programmeRow(f, college);
    const team = await t.http().post('/api/v1/teams').set(bearer(staffToken)).send({ programmeId, name: '数控加工专业教学和考评团队' }).expect(201);
    const dup = await t.http().post('/api/v1/teams').set(bearer(staffToken)).send({ programmeId, name: '重复' });
    expect(dup.status).toBe(409);
    const teacher = await staffRow(f, college, { titleLevelCode: 'full-senior' });
    const pending = await staffRow(f, college, { enterpriseId: partner, confirmation: 'pending-confirmation', skillLevelCode: 'level-1' });
    await t.http().post(`/api/v1/teams/${team.body.id}/members`).set(bearer(staffToken)).send({ staffMemberId: teacher, role: 'lead' }).expect(201);
    const res = await t.http().post(`/api/v1/teams/${team.body.id}/members`).set(bearer(staffToken)).send({ staffMemberId: pending, role: 'mentor' }).expect(201);
    expect(res.body.members).toHaveLength(2);
    expect(res.body.members.find((m: { staffMemberId: string }) => m.staffMemberId === pending)).toMatchObject({ counted: false, expert: true });
    expect(res.body.compliance.enterpriseShare).toMatchObject({ enterprise: 0, total: 1 });
    expect(res.body.compliance.experts.count).toBe(1);
    const again = await t.http().post(`/api/v1/teams/${team.body.id}/members`).set(bearer(staffToken)).send({ staffMemberId: teacher, role: 'teacher' });
    expect(again.status).toBe(409);
  });

  it('R-EVA-2: a cohort’s own team governs that cohort only; a cohort of another programme is refused (422)', async () => {
    const programmeId = await programmeRow(f, college);
    const elsewhere = await cohortRow(f, college, await programmeRow(f, college));
    const wrong = await t.http().post('/api/v1/teams').set(bearer(staffToken)).send({ programmeId, cohortId: elsewhere, name: '错配班级团队' });
    expect({ status: wrong.status, code: wrong.body.code }).toEqual({ status: 422, code: 'TEAMS.COHORT_NOT_FOUND' });
    const cohortId = await cohortRow(f, college, programmeId);
    const programmeTeam = await t.http().post('/api/v1/teams').set(bearer(staffToken)).send({ programmeId, name: '专业团队' }).expect(201);
    const cohortTeam = await t.http().post('/api/v1/teams').set(bearer(staffToken)).send({ programmeId, cohortId, name: '班级团队' }).expect(201);
    expect(cohortTeam.body.cohortId).toBe(cohortId);
    expect((await compliance(programmeId).expect(200)).body.teamId).toBe(programmeTeam.body.id);
    const byCohort = await t.http().get('/api/v1/teams/compliance').query({ programmeId, cohortId }).set(bearer(staffToken)).expect(200);
    expect(byCohort.body.teamId).toBe(cohortTeam.body.id);
  });

  it('another college’s team and staff answer 404 / 422', async () => {
    const foreign = await teamRow(f, other, { total: 1 });
    await t.http().get(`/api/v1/teams/${foreign.teamId}`).set(bearer(staffToken)).expect(404);
    const own = await teamRow(f, college);
    const res = await t.http().post(`/api/v1/teams/${own.teamId}/members`).set(bearer(staffToken)).send({ staffMemberId: await staffRow(f, other), role: 'teacher' });
    expect(res.status).toBe(422);
  });
});
