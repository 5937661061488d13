import { createHmac } from 'node:crypto';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { LoggingSmsSender } from '../../modules/notifications';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { MailCatcher, sendDirectTo } from '../setup/mail-catcher';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
function signHs256(header: object, payload: object, secret: string): string {
  const head = `${b64(header)}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}
const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

describe('authentication (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let tenantId: string;
  let mail: MailCatcher;

  beforeAll(async () => {
    // the invitation token reaches only the invitee (issue 13): these tests read it from the caught e-mail or SMS
    mail = await MailCatcher.start();
    mail.useForApp();
    t = await bootApp();
    f = await IdentityFactory.open();
    tenantId = await f.tenant({ name: '广州市测试技师学院' });
  });
  afterAll(async () => {
    await f.close();
    await t.close();
    await mail.close();
    for (const k of ['SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE']) delete process.env[k];
  });

  describe('login', () => {
    it('signs in by email and by mobile number and returns a token pair for the membership', async () => {
      const u = await f.member('college-staff', { tenantId });
      await f.query(`UPDATE users SET phone = $2 WHERE id = $1`, [u.userId, `139${String(Date.now()).slice(-8)}`]);
      const phone = (await f.query('SELECT phone FROM users WHERE id = $1', [u.userId])).rows[0].phone;
      const byEmail = await login(t, u.email.toUpperCase(), TEST_PASSWORD);
      expect(byEmail.membership).toMatchObject({ id: u.membershipId, role: 'college-staff', tenantId });
      const byPhone = await login(t, phone, TEST_PASSWORD);
      expect(byPhone.membership.id).toBe(u.membershipId);
      const me = await t.http().get('/api/v1/auth/me').set(bearer(byEmail.accessToken)).expect(200);
      expect(me.body).toMatchObject({ userId: u.userId, role: 'college-staff', tenantId, scope: 'college' });
      expect(me.body.permissions).toContain('tenants.read-own');
    });

    it('answers a wrong password and an unknown account the same way', async () => {
      const u = await f.member('college-staff', { tenantId });
      const wrong = await t.http().post('/api/v1/auth/login').send({ identifier: u.email, password: 'Wrong-pass-123' });
      const unknown = await t.http().post('/api/v1/auth/login').send({ identifier: 'nobody@test.demo', password: 'Wrong-pass-123' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.headers['content-type']).toContain('application/problem+json');
      const strip = (b: any) => ({ ...b, requestId: undefined });
      expect(strip(wrong.body)).toEqual(strip(unknown.body));
      expect(wrong.body.title).toBe('账号或密码错误');
    });

    it('locks an account after 5 failures within 15 minutes, even for the right password, with Retry-After', async () => {
      const u = await f.member('college-staff', { tenantId });
      for (let i = 0; i < 4; i++) {
        await t.http().post('/api/v1/auth/login').send({ identifier: u.email, password: 'Wrong-pass-123' }).expect(401);
      }
      // the fourth failure still leaves one attempt
      await t.http().post('/api/v1/auth/login').send({ identifier: u.email, password: 'Wrong-pass-123' }).expect(401);
      const locked = await t.http().post('/api/v1/auth/login').send({ identifier: u.email, password: TEST_PASSWORD });
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('IDENTITY.ACCOUNT_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      // an unknown account is locked the same way: no way to probe which accounts exist
      for (let i = 0; i < 5; i++) {
        await t.http().post('/api/v1/auth/login').send({ identifier: 'ghost@test.demo', password: 'x' }).expect(401);
      }
      const ghost = await t.http().post('/api/v1/auth/login').send({ identifier: 'ghost@test.demo', password: 'x' });
      expect(ghost.status).toBe(429);
    });

    it('a success before the limit resets the failure count', async () => {
      const u = await f.member('college-staff', { tenantId });
      for (let i = 0; i < 4; i++) {
        await t.http().post('/api/v1/auth/login').send({ identifier: u.email, password: 'bad' }).expect(401);
      }
      await login(t, u.email, TEST_PASSWORD);
      for (let i = 0; i < 4; i++) {
        await t.http().post('/api/v1/auth/login').send({ identifier: u.email, password: 'bad' }).expect(401);
      }
      await login(t, u.email, TEST_PASSWORD);
    });

    it('refuses the members of a suspended college, and their live tokens stop working', async () => {
      const college = await f.tenant();
      const u = await f.member('college-admin', { tenantId: college });
      const s = await login(t, u.email, TEST_PASSWORD);
      const province = await f.member('province-admin');
      const p = await login(t, province.email, TEST_PASSWORD);
      await t.http().post(`/api/v1/tenants/${college}/suspend`).set(bearer(p.accessToken)).send({ reason: '评估不合格' }).expect(200);
      const again = await t.http().post('/api/v1/auth/login').send({ identifier: u.email, password: TEST_PASSWORD });
      expect(again.status).toBe(403);
      expect(again.body.code).toBe('IDENTITY.NO_ACTIVE_MEMBERSHIP');
      const call = await t.http().get('/api/v1/tenants/current').set(bearer(s.accessToken));
      expect(call.status).toBe(401);
      expect(call.body.code).toBe('AUTH.SESSION_ENDED');
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
    });
  });

  describe('access tokens', () => {
    let session: Awaited<ReturnType<typeof login>>;
    const secret = () => process.env.JWT_SECRET!;
    beforeAll(async () => {
      const u = await f.member('college-staff', { tenantId });
      session = await login(t, u.email, TEST_PASSWORD);
    });
    const call = (token: string) => t.http().get('/api/v1/auth/me').set(bearer(token));

    it('accepts the issued token', async () => {
      await call(session.accessToken).expect(200);
    });

    it.each([
      ['no token at all', () => ''],
      ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(decode(session.accessToken))}.`],
      ['a wrong key', () => signHs256({ alg: 'HS256', typ: 'JWT' }, decode(session.accessToken), 'x'.repeat(48))],
      ['a tampered payload', () => {
        const [h, , s] = session.accessToken.split('.');
        return `${h}.${b64({ ...decode(session.accessToken), role: 'province-admin' })}.${s}`;
      }],
      ['an expired token', () => signHs256({ alg: 'HS256' }, { ...decode(session.accessToken), iat: 1000, exp: 2000 }, secret())],
      ['a token without exp', () => {
        const { exp: _exp, ...rest } = decode(session.accessToken);
        return signHs256({ alg: 'HS256' }, rest, secret());
      }],
      ['a future nbf', () => signHs256({ alg: 'HS256' }, { ...decode(session.accessToken), nbf: Math.floor(Date.now() / 1000) + 3600 }, secret())],
      ['a wrong issuer', () => signHs256({ alg: 'HS256' }, { ...decode(session.accessToken), iss: 'evil' }, secret())],
      ['a wrong audience', () => signHs256({ alg: 'HS256' }, { ...decode(session.accessToken), aud: 'other-api' }, secret())],
      ['a refresh token used as an access token', () => session.refreshToken],
      ['a correctly signed token that is not an access token', () => signHs256({ alg: 'HS256' }, { ...decode(session.accessToken), typ: 'refresh' }, secret())],
      ['a token for a membership that does not exist', () =>
        signHs256({ alg: 'HS256' }, { ...decode(session.accessToken), mid: '00000000-0000-4000-8000-000000000000' }, secret())],
    ])('refuses %s with 401 problem+json', async (_name, make) => {
      const token = make();
      const res = token ? await call(token) : await t.http().get('/api/v1/auth/me');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toMatch(/^AUTH\./);
    });
  });

  describe('refresh rotation', () => {
    it('rotates: the new pair works and the old refresh token cannot be used twice; reuse revokes the family', async () => {
      const u = await f.member('college-staff', { tenantId });
      const s1 = await login(t, u.email, TEST_PASSWORD);
      const r1 = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: s1.refreshToken }).expect(200);
      expect(r1.body.refreshToken).not.toBe(s1.refreshToken);
      await t.http().get('/api/v1/auth/me').set(bearer(r1.body.accessToken)).expect(200);
      const reuse = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: s1.refreshToken });
      expect(reuse.status).toBe(401);
      expect(reuse.body.code).toBe('IDENTITY.REFRESH_REUSED');
      // the thief's (or the victim's) newer token died with the family
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken: r1.body.refreshToken }).expect(401);
    });

    it('of two parallel refreshes with the same token at most one succeeds', async () => {
      const u = await f.member('college-staff', { tenantId });
      const s = await login(t, u.email, TEST_PASSWORD);
      const results = await Promise.all(
        [1, 2, 3].map(() => t.http().post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken })),
      );
      expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
      expect(results.every((r) => r.status === 200 || r.status === 401)).toBe(true);
    });

    it('logout ends the session: its refresh token no longer works', async () => {
      const u = await f.member('college-staff', { tenantId });
      const s = await login(t, u.email, TEST_PASSWORD);
      await t.http().post('/api/v1/auth/logout').set(bearer(s.accessToken)).send({ refreshToken: s.refreshToken }).expect(204);
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
    });
  });

  describe('memberships and passwords', () => {
    it('one user, many memberships: lists them and switches to another college', async () => {
      const other = await f.tenant({ name: '佛山市测试技师学院', tier: 'batch2' });
      const u = await f.member('college-mentor', { tenantId });
      const second = await f.addMembership(u.userId, 'college-staff', { tenantId: other });
      const s = await login(t, u.email, TEST_PASSWORD);
      const list = await t.http().get('/api/v1/auth/memberships').set(bearer(s.accessToken)).expect(200);
      expect(list.body.map((m: any) => m.id)).toEqual(expect.arrayContaining([u.membershipId, second]));
      const switched = await t.http().post('/api/v1/auth/switch').set(bearer(s.accessToken)).send({ membershipId: second }).expect(200);
      const me = await t.http().get('/api/v1/auth/me').set(bearer(switched.body.accessToken)).expect(200);
      expect(me.body).toMatchObject({ tenantId: other, role: 'college-staff' });
      // someone else's membership is not switchable
      const stranger = await f.member('college-staff', { tenantId: other });
      await t.http().post('/api/v1/auth/switch').set(bearer(s.accessToken)).send({ membershipId: stranger.membershipId }).expect(404);
    });

    it('changing the password enforces the policy and voids every token issued before', async () => {
      const u = await f.member('college-staff', { tenantId });
      const s = await login(t, u.email, TEST_PASSWORD);
      const weak = await t.http().post('/api/v1/auth/change-password').set(bearer(s.accessToken)).send({ currentPassword: TEST_PASSWORD, newPassword: 'short1' });
      expect(weak.status).toBe(422);
      expect(weak.body.code).toBe('IDENTITY.WEAK_PASSWORD');
      const noDigits = await t.http().post('/api/v1/auth/change-password').set(bearer(s.accessToken)).send({ currentPassword: TEST_PASSWORD, newPassword: 'onlyletterslong' });
      expect(noDigits.status).toBe(422);
      const wrong = await t.http().post('/api/v1/auth/change-password').set(bearer(s.accessToken)).send({ currentPassword: 'Not-the-one-1', newPassword: 'Gd-Jishi-2027x' });
      expect(wrong.body.code).toBe('IDENTITY.WRONG_PASSWORD');
      const ok = await t.http().post('/api/v1/auth/change-password').set(bearer(s.accessToken)).send({ currentPassword: TEST_PASSWORD, newPassword: 'Gd-Jishi-2027x' }).expect(200);
      await t.http().get('/api/v1/auth/me').set(bearer(s.accessToken)).expect(401);
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
      await t.http().get('/api/v1/auth/me').set(bearer(ok.body.accessToken)).expect(200);
      await login(t, u.email, 'Gd-Jishi-2027x');
      const audit = await f.provinceQuery(`SELECT action FROM audit_log WHERE entity = 'user' AND entity_id = $1`, [u.userId]);
      expect(audit.rows.map((r) => r.action)).toEqual(['change-password']);
    });
  });

  describe('invitations', () => {
    it('a college admin invites staff; the invitee sets a password once and is signed in to that college', async () => {
      const admin = await f.member('college-admin', { tenantId });
      const s = await login(t, admin.email, TEST_PASSWORD);
      const email = `new.${Date.now()}@test.demo`;
      const inv = await t.http().post('/api/v1/invitations').set(bearer(s.accessToken)).send({ email, displayName: '王芳', role: 'college-staff' }).expect(201);
      expect(inv.body.token).toBeUndefined();
      await sendDirectTo(t.app, (sql, params) => f.provinceQuery(sql, params), email);
      const token = /token=([A-Za-z0-9_-]+)/.exec(mail.to(email)[0].text)![1];
      const weak = await t.http().post('/api/v1/invitations/accept').send({ token, password: '123' });
      expect(weak.status).toBe(422);
      const accepted = await t.http().post('/api/v1/invitations/accept').send({ token, password: 'Wang-Fang-2026' }).expect(200);
      expect(accepted.body.membership).toMatchObject({ role: 'college-staff', tenantId });
      const again = await t.http().post('/api/v1/invitations/accept').send({ token, password: 'Wang-Fang-2026' });
      expect(again.status).toBe(409);
      await login(t, email, 'Wang-Fang-2026');
    });

    it('an expired invitation is refused with 410, an unknown one with 404', async () => {
      const admin = await f.member('college-admin', { tenantId });
      const s = await login(t, admin.email, TEST_PASSWORD);
      const phone = `137${String(Date.now()).slice(-8)}`;
      const inv = await t.http().post('/api/v1/invitations').set(bearer(s.accessToken)).send({ phone, displayName: '赵强', role: 'college-mentor' }).expect(201);
      await sendDirectTo(t.app, (sql, params) => f.provinceQuery(sql, params), phone);
      const token = /邀请码：([A-Za-z0-9_-]+)/.exec(LoggingSmsSender.sentMessages().filter((m) => m.phone === phone).at(-1)!.text)![1];
      await f.query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [inv.body.id]);
      const expired = await t.http().post('/api/v1/invitations/accept').send({ token, password: 'Zhao-Qiang-2026' });
      expect(expired.status).toBe(410);
      await t.http().post('/api/v1/invitations/accept').send({ token: 'nope', password: 'Zhao-Qiang-2026' }).expect(404);
    });

    it('a college admin cannot invite a province role (403), and must give an email or a mobile (400)', async () => {
      const admin = await f.member('college-admin', { tenantId });
      const s = await login(t, admin.email, TEST_PASSWORD);
      const res = await t.http().post('/api/v1/invitations').set(bearer(s.accessToken)).send({ email: 'x@test.demo', displayName: '某人', role: 'province-admin' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('IDENTITY.INVITE_ROLE_FORBIDDEN');
      const none = await t.http().post('/api/v1/invitations').set(bearer(s.accessToken)).send({ displayName: '某人', role: 'college-staff' });
      expect(none.status).toBe(400);
    });
  });
});
