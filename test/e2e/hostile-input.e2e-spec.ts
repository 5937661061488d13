import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Response } from 'supertest';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';

/**
 * Hostile input (issue 8, items 4, 5, 7 and 9): rules every route meets, enforced once
 * for the whole app (the body parser's raw-byte depth check, the global hygiene
 * interceptor, the problem filter), each proven here on a few representative routes.
 * The fuzz test (fuzz.e2e-spec.ts) then drives every route of the OpenAPI document.
 */
const CJK = /[\u4e00-\u9fff]/;

function expectProblem(res: Response, status: number) {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status, type: expect.stringContaining('application/problem+json') });
  expect(res.body.status).toBe(status);
  expect(res.body.title).toMatch(CJK);
  expect(res.body.requestId).toEqual(expect.any(String));
}

const nested = (depth: number, leaf = '1') => '['.repeat(depth) + leaf + ']'.repeat(depth);
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('hostile input (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let admin: string;
  let adminUser: string;
  let tenantId: string;

  /** Rows the requests below could have written (tenants, audit) — unchanged after every 4xx. */
  async function counts() {
    const tenants = (await f.query('SELECT count(*)::int AS n FROM tenants')).rows[0].n;
    const audit = (await f.provinceQuery('SELECT count(*)::int AS n FROM audit_log WHERE actor_user_id = $1', [adminUser])).rows[0].n;
    return { tenants, audit };
  }

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    tenantId = await f.tenant({ name: '汕尾市技师学院', city: '汕尾' });
    const p = await f.member('province-admin');
    adminUser = p.userId;
    admin = (await login(t, p.email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  const newTenant = () => ({ code: `HI${Math.random().toString(36).slice(2, 8)}`, name: '汕头市技师学院', tier: 'other', city: '汕头' });

  describe('item 4: JSON nesting is bounded before the structure is built', () => {
    it('33 levels are refused with 400 COMMON.JSON_TOO_DEEP on every JSON route, the public login included', async () => {
      const before = await counts();
      for (const [path, headers] of [
        ['/api/v1/auth/login', {}],
        ['/api/v1/tenants', bearer(admin)],
      ] as const) {
        for (const body of [nested(33), nestedObject(33), `{"name":${nested(32)}}`]) {
          const res = await t.http().post(path).set(headers).set('Content-Type', 'application/json').send(body);
          expectProblem(res, 400);
          expect(res.body.code).toBe('COMMON.JSON_TOO_DEEP');
        }
      }
      expect(await counts()).toEqual(before);
    });

    it('32 levels still parse (the limit is inclusive): the answer is an ordinary validation error, not JSON_TOO_DEEP', async () => {
      const res = await t.http().post('/api/v1/tenants').set(bearer(admin)).set('Content-Type', 'application/json').send(`{"name":${nested(31)}}`);
      expectProblem(res, 400);
      expect(res.body.code).toBe('COMMON.VALIDATION_FAILED');
    });

    it('brackets inside strings do not count as nesting, escaped quotes included', async () => {
      const name = '[{\\"'.repeat(20) + '学院';
      const res = await t.http().post('/api/v1/tenants').set(bearer(admin)).set('Content-Type', 'application/json').send(`{"code":"HI${Date.now().toString(36).slice(-6)}","name":"${name}","tier":"other","city":"汕头"}`);
      expect(res.status).toBe(201);
    });

    it('a 1 MB body nested 500,000 levels deep is refused at once without stalling the process', async () => {
      const body = nested(500_000).slice(0, 1_000_000);
      const h = monitorEventLoopDelay({ resolution: 5 });
      h.enable();
      const started = process.hrtime.bigint();
      const res = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(body);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      h.disable();
      expectProblem(res, 400);
      expect(res.body.code).toBe('COMMON.JSON_TOO_DEEP');
      // measurement for the report, not a timed assertion (QUALITY §5)
      console.log(`1 MB nested body: answered in ${ms.toFixed(1)} ms, max event-loop delay ${(h.max / 1e6).toFixed(1)} ms`);
    });
  });

  describe('item 5: U+0000 and lone surrogates are refused with 400 naming the field', () => {
    it('in a body field, nested or not, and as a field name', async () => {
      const before = await counts();
      for (const [body, field] of [
        [{ ...newTenant(), name: '汕头\u0000学院' }, 'name'],
        [{ ...newTenant(), city: '\ud800汕头' }, 'city'],
        [{ ...newTenant(), city: '汕头\udc00' }, 'city'],
      ] as const) {
        const res = await t.http().post('/api/v1/tenants').set(bearer(admin)).send(body);
        expectProblem(res, 400);
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      const key = await t.http().post('/api/v1/tenants').set(bearer(admin)).set('Content-Type', 'application/json').send(`{"na\\u0000me":"x"}`);
      expectProblem(key, 400);
      expect(key.body.errors[0].field).toBe('na\\u0000me');
      expect(await counts()).toEqual(before);
    });

    it('a well-formed surrogate pair (an emoji) is accepted: only lone halves are refused', async () => {
      const res = await t.http().post('/api/v1/tenants').set(bearer(admin)).send({ ...newTenant(), city: '汕头😀' });
      expect(res.status).toBe(201);
    });

    it('on the login route: a lone surrogate in the e-mail or NUL in the password is 400, never 500', async () => {
      for (const body of [
        { identifier: '\ud800@example.cn', password: 'x' },
        { identifier: 'a@example.cn', password: 'pass\u0000word' },
      ]) {
        const res = await t.http().post('/api/v1/auth/login').send(body);
        expectProblem(res, 400);
      }
    });

    it('in a query string (q=%00, a filter) and in a path parameter', async () => {
      const q = await t.http().get('/api/v1/enterprises?q=%00').set(bearer(admin));
      expectProblem(q, 400);
      expect(q.body.errors).toEqual([expect.objectContaining({ field: 'q' })]);
      const filter = await t.http().get('/api/v1/audit?entity=a%00b').set(bearer(admin));
      expectProblem(filter, 400);
      expect(filter.body.errors[0].field).toBe('entity');
      const param = await t.http().get('/api/v1/tenants/%00').set(bearer(admin));
      expectProblem(param, 400);
      expect(param.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    });

    it('in a forged cursor (U+0000 or a number beyond 2^53 inside the decoded keyset) → 400 PAGINATION.BAD_CURSOR', async () => {
      for (const values of [['\u0000', tenantId], ['x\ud800', tenantId], [1e300, tenantId]]) {
        const cursor = Buffer.from(JSON.stringify(values)).toString('base64url');
        const res = await t.http().get('/api/v1/tenants').query({ cursor }).set(bearer(admin));
        expectProblem(res, 400);
        expect(res.body.code).toBe('PAGINATION.BAD_CURSOR');
      }
      const valid = Buffer.from(JSON.stringify(['a', tenantId])).toString('base64url');
      expect((await t.http().get('/api/v1/tenants').query({ cursor: valid }).set(bearer(admin))).status).toBe(200);
    });
  });

  describe('item 7: bodies are JSON only', () => {
    it('a form-encoded, text or undeclared body on a JSON route → 415 problem+json, nothing written', async () => {
      const before = await counts();
      const form = await t.http().post('/api/v1/tenants').set(bearer(admin)).type('form').send(newTenant());
      expectProblem(form, 415);
      expect(form.body.code).toBe('COMMON.UNSUPPORTED_MEDIA_TYPE');
      const loginForm = await t.http().post('/api/v1/auth/login').type('form').send({ identifier: 'a@b.cn', password: 'x' });
      expectProblem(loginForm, 415);
      const text = await t.http().post('/api/v1/tenants').set(bearer(admin)).set('Content-Type', 'text/plain').send(JSON.stringify(newTenant()));
      expectProblem(text, 415);
      const multipart = await t.http().post('/api/v1/tenants').set(bearer(admin)).field('code', 'X1').field('name', '学院');
      expectProblem(multipart, 415);
      const utf16 = await t.http().post('/api/v1/tenants').set(bearer(admin)).set('Content-Type', 'application/json; charset=utf-16le').send(Buffer.from(JSON.stringify(newTenant()), 'utf16le'));
      expectProblem(utf16, 415);
      expect(await counts()).toEqual(before);
    });

    it('the same body as application/json is accepted, and so is a call with no body', async () => {
      expect((await t.http().post('/api/v1/tenants').set(bearer(admin)).send(newTenant())).status).toBe(201);
      expect((await t.http().post('/api/v1/auth/logout').set(bearer(admin))).status).toBeLessThan(300);
    });

    it('an upload route takes multipart and refuses a JSON body with 415', async () => {
      const json = await t.http().post('/api/v1/attachments').set(bearer(admin)).send({ file: 'x' });
      expectProblem(json, 415);
    });
  });

  describe('item 9: every error is problem+json, outside /api/v1 too', () => {
    it.each([
      ['GET', '/'],
      ['GET', '/nope'],
      ['GET', '/api/v2/tenants'],
      ['GET', '/api/v1/nope'],
      ['GET', '/health/nope'],
      ['POST', '/metrics/x'],
      ['GET', '/favicon.ico'],
    ])('unknown path %s %s → 404 problem+json', async (method, path) => {
      const res = await t.http()[method.toLowerCase() as 'get'](path);
      expectProblem(res, 404);
      expect(res.body.code).toBe('COMMON.ROUTE_NOT_FOUND');
    });

    it('a wrong method on a known path → 405 problem+json with Allow', async () => {
      const res = await t.http().delete('/api/v1/auth/login');
      expectProblem(res, 405);
      expect(res.headers.allow).toContain('POST');
    });

    it('malformed percent-encoding in the path → 400 problem+json', async () => {
      const res = await t.http().get('/api/v1/tenants/%E0%A4%A').set(bearer(admin));
      expectProblem(res, 400);
    });
  });
});
