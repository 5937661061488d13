import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';

/**
 * Bad input (issue 2): every malformed request is answered with a 4xx problem+json in
 * Chinese (English on request), naming the offending field, carrying a request id, never
 * leaking a stack trace or SQL, and leaving the database exactly as it was.
 */
const CJK = /[\u4e00-\u9fff]/;
const LEAKS = [/\bat [\w.<>]+ \(/, /node_modules/, /\.(ts|js):\d+/, /\b(SELECT|INSERT|UPDATE|DELETE)\b .*\b(FROM|INTO|SET)\b/i, /QueryFailedError/, /"stack"/, /SyntaxError/, /Unexpected token/];

describe('bad input (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let admin: { token: string; userId: string };
  let collegeAdmin: string;
  let tenantId: string;
  const tag = `BI${randomBytes(3).toString('hex')}`;

  /** Everything the requests below could have written. */
  async function snapshot() {
    const one = async (sql: string, params: unknown[]) => (await f.query(sql, params)).rows;
    return {
      tenants: await one(`SELECT count(*)::int AS n FROM tenants WHERE code ILIKE $1 || '%'`, [tag]),
      college: await one('SELECT name, tier, city, status, version FROM tenants WHERE id = $1', [tenantId]),
      invitations: await one(`SELECT count(*)::int AS n FROM invitations WHERE email ILIKE $1 || '%' OR display_name ILIKE $1 || '%'`, [tag]),
      audit: (await f.provinceQuery('SELECT count(*)::int AS n FROM audit_log WHERE actor_user_id = $1', [admin.userId])).rows,
    };
  }

  /**
   * The problem+json contract. `requestId: false` only for errors raised by the body parser,
   * whose request id has its own test below (so one known defect fails one test, not many).
   */
  function expectProblem(res: Response, status: number, lang: 'zh' | 'en' = 'zh', opts = { requestId: true }) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.status).toBe(status);
    expect(typeof res.body.code).toBe('string');
    if (opts.requestId) expectRequestId(res);
    if (lang === 'zh') expect(res.body.title).toMatch(CJK);
    else {
      expect(res.body.title).not.toMatch(CJK);
      for (const e of res.body.errors) expect(e.message).not.toMatch(CJK);
    }
    for (const leak of LEAKS) expect(res.text).not.toMatch(leak);
  }

  function expectRequestId(res: Response) {
    expect(res.body.requestId).toEqual(expect.any(String));
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
  }

  const fields = (res: Response) => (res.body.errors as { field: string }[]).map((e) => e.field).sort();
  const valid = () => ({ code: `${tag}-${randomBytes(2).toString('hex')}`, name: '汕头市技师学院', tier: 'batch1', city: '汕头' });

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    tenantId = await f.tenant({ name: '茂名市技师学院', city: '茂名' });
    const p = await f.member('province-admin');
    admin = { token: (await login(t, p.email, TEST_PASSWORD)).accessToken, userId: p.userId };
    collegeAdmin = (await login(t, (await f.member('college-admin', { tenantId })).email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeEach(async () => {
    before = await snapshot();
  });
  afterEach(async () => {
    // nothing changed in the database
    expect(await snapshot()).toEqual(before);
  });

  it('malformed JSON → 400 COMMON.MALFORMED_JSON', async () => {
    const res = await t
      .http()
      .post('/api/v1/tenants')
      .set(bearer(admin.token))
      .set('Content-Type', 'application/json')
      .send(`{"code": "${tag}-X", "name": "汕头`);
    expectProblem(res, 400, 'zh', { requestId: false });
    expect(res.body.code).toBe('COMMON.MALFORMED_JSON');
    expect(res.body.title).toBe('请求体不是合法的 JSON');
  });

  it('unknown fields → 400 naming each of them', async () => {
    const res = await t.http().post('/api/v1/tenants').set(bearer(admin.token)).send({ ...valid(), principal: '王校长', __proto__x: 1 });
    expectProblem(res, 400);
    expect(res.body.code).toBe('COMMON.VALIDATION_FAILED');
    expect(fields(res)).toEqual(['__proto__x', 'principal']);
    expect(res.body.errors[0].message).toBe('不允许的字段');
  });

  it('wrong types → 400 naming every wrong field', async () => {
    const res = await t.http().post('/api/v1/tenants').set(bearer(admin.token)).send({ code: 12345, name: ['汕头'], tier: true, city: { name: '汕头' } });
    expectProblem(res, 400);
    expect([...new Set(fields(res))]).toEqual(['city', 'code', 'name', 'tier']);
    const patch = await t.http().patch(`/api/v1/tenants/${tenantId}`).set(bearer(admin.token)).send({ name: '新名称', version: 'one' });
    expectProblem(patch, 400);
    expect([...new Set(fields(patch))]).toEqual(['version']);
  });

  it('over-long strings → 400 with the maximum in the message', async () => {
    const res = await t.http().post('/api/v1/tenants').set(bearer(admin.token)).send({ ...valid(), name: '学'.repeat(101), city: '汕'.repeat(33) });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: '长度不能超过 100 个字符' },
        { field: 'city', message: '长度不能超过 32 个字符' },
      ]),
    );
    const code = await t.http().post('/api/v1/tenants').set(bearer(admin.token)).send({ ...valid(), code: `${tag}${'X'.repeat(40)}` });
    expectProblem(code, 400);
    expect(fields(code)).toEqual(['code']);
  });

  it('an invalid UUID in the path → 404 problem+json, never a database error', async () => {
    for (const res of [
      await t.http().get('/api/v1/tenants/12345').set(bearer(admin.token)),
      await t.http().patch('/api/v1/tenants/not-a-uuid').set(bearer(admin.token)).send({ name: '新名称', version: 1 }),
      await t.http().post(`/api/v1/tenants/${tenantId.slice(0, -1)}z/suspend`).set(bearer(admin.token)).send({ reason: '测试' }),
      await t.http().post('/api/v1/memberships/xyz/revoke').set(bearer(collegeAdmin)),
    ]) {
      expectProblem(res, 404);
    }
  });

  it('an invalid UUID in the body or query → 400 naming the field', async () => {
    const inv = await t
      .http()
      .post('/api/v1/invitations')
      .set(bearer(admin.token))
      .send({ email: `${tag}@test.demo`, displayName: `${tag}某人`, role: 'college-staff', tenantId: 'abc', enterpriseId: '123' });
    expectProblem(inv, 400);
    expect(fields(inv)).toEqual(['enterpriseId', 'tenantId']);
    expect(inv.body.errors[0].message).toBe('必须是合法的 UUID');
    const sw = await t.http().post('/api/v1/auth/switch').set(bearer(admin.token)).send({ membershipId: "' OR 1=1 --" });
    expectProblem(sw, 400);
    expect(fields(sw)).toEqual(['membershipId']);
    const q = await t.http().get('/api/v1/audit').query({ tenantId: 'nope' }).set(bearer(admin.token));
    expectProblem(q, 400);
    expect(fields(q)).toEqual(['tenantId']);
  });

  it('a body over BODY_LIMIT (1mb) → 413 COMMON.PAYLOAD_TOO_LARGE', async () => {
    const res = await t
      .http()
      .post('/api/v1/tenants')
      .set(bearer(admin.token))
      .send({ ...valid(), name: 'x'.repeat(1024 * 1024 + 10) });
    expectProblem(res, 413, 'zh', { requestId: false });
    expect(res.body.code).toBe('COMMON.PAYLOAD_TOO_LARGE');
    expect(res.body.title).toBe('请求体过大');
  });

  it('errors raised by the body parser (malformed JSON, oversized body) carry the request id in the body and the X-Request-Id header too', async () => {
    const json = await t.http().post('/api/v1/tenants').set(bearer(admin.token)).set('Content-Type', 'application/json').send('{oops');
    expect(json.status).toBe(400);
    expectRequestId(json);
    const big = await t.http().post('/api/v1/tenants').set(bearer(admin.token)).send({ ...valid(), name: 'x'.repeat(1024 * 1024 + 10) });
    expect(big.status).toBe(413);
    expectRequestId(big);
  });

  it('a body that is not JSON at all (wrong content type or a JSON array) is refused with 4xx', async () => {
    const text = await t.http().post('/api/v1/tenants').set(bearer(admin.token)).set('Content-Type', 'text/plain').send('code=x');
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    expectProblem(text, text.status);
    const arr = await t.http().post('/api/v1/tenants').set(bearer(admin.token)).send([valid()]);
    expect(arr.status).toBe(400);
    expectProblem(arr, 400);
  });

  it('Accept-Language: en gives English titles and field messages', async () => {
    const en = (req: ReturnType<ReturnType<TestApp['http']>['post']>) => req.set('Accept-Language', 'en');
    const json = await en(t.http().post('/api/v1/tenants').set(bearer(admin.token)).set('Content-Type', 'application/json')).send('{oops');
    expectProblem(json, 400, 'en', { requestId: false });
    expect(json.body.title).toBe('The request body is not valid JSON');
    const invalid = await en(t.http().post('/api/v1/tenants').set(bearer(admin.token))).send({ ...valid(), name: '学'.repeat(101), extra: 1 });
    expectProblem(invalid, 400, 'en');
    expect(invalid.body.title).toBe('The request is not valid');
    expect(invalid.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'must be at most 100 characters' },
        { field: 'extra', message: 'is not an allowed field' },
      ]),
    );
    const big = await en(t.http().post('/api/v1/tenants').set(bearer(admin.token))).send({ ...valid(), name: 'x'.repeat(1024 * 1024 + 10) });
    expectProblem(big, 413, 'en', { requestId: false });
    expect(big.body.title).toBe('The request body is too large');
  });
});
