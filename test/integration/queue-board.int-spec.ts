import { randomBytes } from 'node:crypto';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';

process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `jtb${randomBytes(4).toString('hex')}`;

/** Bull Board on the real app: province admins only, errors as problem+json, outside /api/v1. */
describe('queue board at /admin/queues', () => {
  let t: TestApp;
  let factory: IdentityFactory;
  let provinceAdmin: string;
  let collegeAdmin: string;

  beforeAll(async () => {
    t = await bootApp();
    factory = await IdentityFactory.open();
    const tenantId = await factory.tenant();
    const admin = await factory.member('province-admin');
    const college = await factory.member('college-admin', { tenantId });
    provinceAdmin = (await login(t, admin.email, TEST_PASSWORD)).accessToken;
    collegeAdmin = (await login(t, college.email, TEST_PASSWORD)).accessToken;
  });

  afterAll(async () => {
    await factory?.close();
    await t?.close();
  });

  it('answers 401 problem+json without a token', async () => {
    const res = await t.http().get('/admin/queues').expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ status: 401, code: 'AUTH.TOKEN_MISSING' });
  });

  it('answers 401 for a forged token, on the board API too', async () => {
    const res = await t.http().get('/admin/queues/api/queues').set(bearer('not.a.jwt')).expect(401);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });

  it('answers 403 problem+json to a college admin', async () => {
    const res = await t.http().get('/admin/queues/api/queues').set(bearer(collegeAdmin)).set('Accept-Language', 'en').expect(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN' });
  });

  it('serves the board and its API to a province admin', async () => {
    const page = await t.http().get('/admin/queues').set(bearer(provinceAdmin)).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const api = await t.http().get('/admin/queues/api/queues').set(bearer(provinceAdmin)).expect(200);
    const names = (api.body.queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(['imports', 'kpis', 'maintenance', 'notifications', 'reminders', 'reports']);
  });

  it('opens in a browser: ?token= becomes an HttpOnly cookie scoped to the board, then a redirect without it', async () => {
    const link = await t.http().get(`/admin/queues?token=${provinceAdmin}`).expect(302);
    expect(link.headers.location).toBe('/admin/queues');
    const cookie = String(link.headers['set-cookie']);
    expect(cookie).toMatch(/^jishi_board=[^;]+; Path=\/admin\/queues; HttpOnly; SameSite=Strict; Max-Age=900/);
    const page = await t.http().get('/admin/queues').set('Cookie', cookie.split(';')[0]).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('a college admin’s token in the link is still refused (403)', async () => {
    const link = await t.http().get(`/admin/queues?token=${collegeAdmin}`).expect(302);
    const cookie = String(link.headers['set-cookie']).split(';')[0];
    await t.http().get('/admin/queues/api/queues').set('Cookie', cookie).expect(403);
  });

  it('is not under /api/v1', async () => {
    await t.http().get('/api/v1/admin/queues').set(bearer(provinceAdmin)).expect(404);
  });
});
