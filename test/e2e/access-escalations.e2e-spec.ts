import { randomBytes } from 'node:crypto';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { linkToCollege, partnershipIn, programmeIn, registryEnterprise } from './matrix/enterprises.fixtures';

/** Issue 9 items 1–2: who may create enterprise accounts, and who may link a file (ADR 0008). */
describe('access escalations (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let tenantA: string;
  let partner: { id: string };
  let stranger: { id: string };
  let collegeAdmin: string;

  const phone = () => `13${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  const token = async (role: Parameters<IdentityFactory['member']>[0], place: { tenantId?: string; enterpriseId?: string } = {}) =>
    (await login(t, (await f.member(role, place)).email, TEST_PASSWORD)).accessToken;

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    tenantA = await f.tenant({ name: '越权测试甲技师学院' });
    partner = await registryEnterprise(f, `越权测试合作企业${randomBytes(2).toString('hex')}`);
    stranger = await registryEnterprise(f, `越权测试非合作企业${randomBytes(2).toString('hex')}`, { headcount: 1260 });
    await partnershipIn(f, tenantA, partner.id, 'active');
    await linkToCollege(f, tenantA, stranger.id);
    await partnershipIn(f, tenantA, stranger.id, 'proposed');
    collegeAdmin = await token('college-admin', { tenantId: tenantA });
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  describe('invitations (ADR 0008)', () => {
    it('a college admin cannot invite an enterprise admin, not even for an active partner (403), and nothing is stored', async () => {
      for (const enterpriseId of [partner.id, stranger.id]) {
        const p = phone();
        const res = await t.http().post('/api/v1/invitations').set(bearer(collegeAdmin)).send({ phone: p, displayName: '企业管理员', role: 'enterprise-admin', enterpriseId });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('IDENTITY.INVITE_ROLE_FORBIDDEN');
        expect((await f.query('SELECT count(*)::int AS n FROM invitations WHERE phone = $1', [p])).rows[0].n).toBe(0);
      }
    });

    it('a college admin invites enterprise mentors only for an active partner: a proposed or unrelated enterprise is 422', async () => {
      const other = await registryEnterprise(f);
      for (const enterpriseId of [stranger.id, other.id]) {
        const res = await t.http().post('/api/v1/invitations').set(bearer(collegeAdmin)).send({ phone: phone(), displayName: '企业导师', role: 'enterprise-mentor', enterpriseId });
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('IDENTITY.INVITE_NOT_PARTNER');
      }
      const ok = await t.http().post('/api/v1/invitations').set(bearer(collegeAdmin)).send({ phone: phone(), displayName: '企业导师', role: 'enterprise-mentor', enterpriseId: partner.id });
      expect(ok.status).toBe(201);
    });

    it("the enterprise's own admin and the province may create enterprise admins", async () => {
      const entAdmin = await token('enterprise-admin', { tenantId: tenantA, enterpriseId: partner.id });
      // issue 9: another enterprise named in the body is refused (it used to be replaced by the admin's own, silently)
      const strangerPhone = phone();
      const other = await t.http().post('/api/v1/invitations').set(bearer(entAdmin)).send({ phone: strangerPhone, displayName: '第二位管理员', role: 'enterprise-admin', enterpriseId: stranger.id });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDENTITY.ENTERPRISE_NOT_FOUND');
      expect((await f.query('SELECT count(*)::int AS n FROM invitations WHERE phone = $1', [strangerPhone])).rows[0].n).toBe(0);
      const own = await t.http().post('/api/v1/invitations').set(bearer(entAdmin)).send({ phone: phone(), displayName: '第二位管理员', role: 'enterprise-admin' });
      expect(own.status).toBe(201);
      const row = await f.query('SELECT enterprise_id FROM invitations WHERE id = $1', [own.body.id]);
      expect(row.rows[0].enterprise_id).toBe(partner.id);
      const province = await token('province-admin');
      const first = await t.http().post('/api/v1/invitations').set(bearer(province)).send({ phone: phone(), displayName: '首位管理员', role: 'enterprise-admin', tenantId: tenantA, enterpriseId: stranger.id });
      expect(first.status).toBe(201);
    });

    it('a college proposal to change the profile is applied only when the enterprise accepts; the college cannot accept it', async () => {
      const staff = await token('college-staff', { tenantId: tenantA });
      const proposal = await t.http().post(`/api/v1/enterprises/${stranger.id}/change-proposals`).set(bearer(staff)).send({ changes: { headcount: 99 } });
      expect(proposal.status).toBe(201);
      for (const who of [collegeAdmin, staff]) {
        const res = await t.http().post(`/api/v1/enterprise-change-proposals/${proposal.body.id}/accept`).set(bearer(who));
        expect(res.status).toBe(403);
      }
      const e = await f.query('SELECT headcount FROM enterprises WHERE id = $1', [stranger.id]);
      expect(e.rows[0].headcount).toBe(1260);
    });
  });

  describe('issue 9 item 4: query and body fields naming a programme the enterprise does not partner with', () => {
    it('GET /teams/compliance?programmeId= and POST /offerings refuse (404) another enterprise’s programme and accept their own', async () => {
      const ownProgramme = await programmeIn(f, tenantA, '数控加工（自有合作）');
      await partnershipIn(f, tenantA, stranger.id, 'active', ownProgramme);
      const othersProgramme = await programmeIn(f, tenantA, '工业机器人（竞争企业）');
      await partnershipIn(f, tenantA, partner.id, 'active', othersProgramme);
      const admin = await token('enterprise-admin', { tenantId: tenantA, enterpriseId: stranger.id });
      const refused = await t.http().get('/api/v1/teams/compliance').query({ programmeId: othersProgramme }).set(bearer(admin));
      expect(refused.status).toBe(404);
      await t.http().get('/api/v1/teams/compliance').query({ programmeId: ownProgramme }).set(bearer(admin)).expect(200);
      const before = (await f.provinceQuery('SELECT count(*)::int AS n FROM enterprise_offerings')).rows[0].n;
      const body = { kind: 'post', title: '五轴数控加工中心操作岗', capacity: 2 };
      const bad = await t.http().post('/api/v1/offerings').set(bearer(admin)).send({ ...body, programmeId: othersProgramme });
      expect(bad.status).toBe(404);
      expect(bad.body.code).toBe('ENTERPRISES.PROGRAMME_NOT_FOUND');
      expect((await f.provinceQuery('SELECT count(*)::int AS n FROM enterprise_offerings')).rows[0].n).toBe(before);
      const ok = await t.http().post('/api/v1/offerings').set(bearer(admin)).send({ ...body, programmeId: ownProgramme }).expect(201);
      const moved = await t.http().patch(`/api/v1/offerings/${ok.body.id}`).set(bearer(admin)).send({ programmeId: othersProgramme, version: ok.body.version });
      expect(moved.status).toBe(404);
    });
  });

  describe('issue 9 item 8: failed logins and lockouts in the audit log', () => {
    it('each failure and each refused attempt after the lockout is audited with identifier and IP, never the password; the college admin reads its accounts’ events, another college does not', async () => {
      const victim = await f.member('college-staff', { tenantId: tenantA });
      const wrong = `Wrong-Password-${randomBytes(3).toString('hex')}`;
      for (let i = 0; i < 5; i++) expect((await t.http().post('/api/v1/auth/login').send({ identifier: victim.email, password: wrong })).status).toBe(401);
      const locked = await t.http().post('/api/v1/auth/login').send({ identifier: victim.email, password: wrong });
      expect(locked.status).toBe(429);
      const rows = await f.provinceQuery(`SELECT tenant_id, action, ip, after FROM audit_log WHERE entity = 'login' AND entity_id = $1 ORDER BY occurred_at, id`, [victim.userId]);
      const inCollege = rows.rows.filter((r) => r.tenant_id === tenantA);
      expect(inCollege.map((r) => r.action)).toEqual([...Array(5).fill('login-failed'), 'login-refused-account-locked']);
      expect(rows.rows.filter((r) => r.tenant_id === null)).toHaveLength(6);
      for (const r of rows.rows) {
        expect(r.ip).toBeTruthy();
        expect(r.after.identifier).toBe(victim.email.toLowerCase());
      }
      expect(JSON.stringify(rows.rows)).not.toContain(wrong);
      const seen = await t.http().get('/api/v1/audit').query({ entity: 'login', limit: '50' }).set(bearer(collegeAdmin)).expect(200);
      expect((seen.body.items as { entityId: string }[]).filter((e) => e.entityId === victim.userId)).toHaveLength(6);
      const otherCollege = await f.tenant();
      const otherAdmin = await token('college-admin', { tenantId: otherCollege });
      const hidden = await t.http().get('/api/v1/audit').query({ entity: 'login', limit: '50' }).set(bearer(otherAdmin)).expect(200);
      expect((hidden.body.items as { entityId: string }[]).filter((e) => e.entityId === victim.userId)).toHaveLength(0);
    });

    it('an unknown identifier is audited for the province only', async () => {
      const ghost = `nobody.${randomBytes(4).toString('hex')}@test.demo`;
      await t.http().post('/api/v1/auth/login').send({ identifier: ghost, password: 'whatever-123456' }).expect(401);
      const rows = await f.provinceQuery(`SELECT tenant_id FROM audit_log WHERE entity = 'login' AND after->>'identifier' = $1`, [ghost]);
      expect(rows.rows).toEqual([{ tenant_id: null }]);
    });
  });
});
