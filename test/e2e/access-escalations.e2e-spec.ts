import { randomBytes } from 'node:crypto';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { linkToCollege, partnershipIn, registryEnterprise } from './matrix/enterprises.fixtures';

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
      const own = await t.http().post('/api/v1/invitations').set(bearer(entAdmin)).send({ phone: phone(), displayName: '第二位管理员', role: 'enterprise-admin', enterpriseId: stranger.id });
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
});
