import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Response } from 'supertest';
import { isAllowed } from '../../src/auth/permissions';
import { ROLES } from '../../src/auth/roles';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { routeTable } from '../setup/routes';
import { MatrixWorld, ROUTE_FIXTURES } from './matrix';
import { cohortRow, freshIdNumber, rosterCsv } from './matrix/cohorts.fixtures';
import { inTenant } from './matrix/programmes.fixtures';

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

  describe('items 6, 7, 8 in the DTOs: nested objects, strict body types, blank names', () => {
    let w: MatrixWorld;
    beforeAll(async () => {
      w = { f, tenantA: tenantId, tenantB: await f.tenant({ name: '汕尾乙技师学院' }), enterpriseE: await f.enterprise('汕尾精密机械有限公司') };
    });

    /** The access-matrix fixture of `route` (a valid request), changed by `mutate`, sent by the first role allowed on it. */
    async function call(route: string, mutate: (body: any) => void) {
      const info = routeTable(t.app).find((r) => r.key === route)!;
      const role = ROLES.find((r) => isAllowed(r, info.permission!))!;
      const place = role.startsWith('province-') ? {} : role.startsWith('college-') ? { tenantId } : { tenantId, enterpriseId: w.enterpriseE };
      const m = await f.member(role, place);
      const token = (await login(t, m.email, TEST_PASSWORD)).accessToken;
      const req = await ROUTE_FIXTURES[route].build(w, { role, userId: m.userId, membershipId: m.membershipId, ...place });
      const body = structuredClone(req.body) as any;
      mutate(body);
      const method = info.method.toLowerCase() as 'post';
      return t.http()[method](req.path).set(bearer(token)).query(req.query ?? {}).send(body);
    }

    it('item 6: an array nested where a list of objects is expected is refused (rows, stages, experts), a list of objects passes', async () => {
      for (const [route, mutate, field] of [
        ['POST /api/v1/mentorships/bulk', (b: any) => (b.rows = [[]]), 'rows'],
        ['POST /api/v1/mentorships/bulk', (b: any) => (b.rows = [b.rows[0], [b.rows[1]]]), 'rows'],
        ['POST /api/v1/programmes/:id/plans', (b: any) => (b.content.stages = [[]]), 'content.stages'],
        ['POST /api/v1/programmes/:id/plans/:versionNo/reviews', (b: any) => (b.experts = [[]]), 'experts'],
        ['POST /api/v1/programmes/:id/plans/:versionNo/reviews', (b: any) => (b.experts = ['陈国华']), 'experts'],
        ['POST /api/v1/programmes', (b: any) => (b.occupation = []), 'occupation'],
      ] as const) {
        const res = await call(route, mutate);
        expectProblem(res, 400);
        expect({ route, fields: res.body.errors.map((e: { field: string }) => e.field) }).toEqual({ route, fields: expect.arrayContaining([field]) });
      }
      expect((await call('POST /api/v1/mentorships/bulk', () => undefined)).status).toBeLessThan(300);
      expect((await call('POST /api/v1/programmes/:id/plans/:versionNo/reviews', () => undefined)).status).toBeLessThan(300);
    });

    it('item 6 meta: every @ValidateNested property also checks that its value (each item, for lists) is an object', () => {
      const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, { type: string; name?: string; propertyName: string; each?: boolean }[]> };
      const bare: string[] = [];
      let nested = 0;
      for (const [target, metas] of storage.validationMetadatas) {
        for (const m of metas.filter((x) => x.type === 'nestedValidation')) {
          nested++;
          const checked = metas.some((x) => x.propertyName === m.propertyName && x.name === 'isObject' && Boolean(x.each) === Boolean(m.each));
          if (!checked) bare.push(`${target.name}.${m.propertyName}`);
        }
      }
      expect(nested).toBeGreaterThan(20);
      expect(bare).toEqual([]);
    });

    it('item 7: a JSON number field takes numbers only: true and "12" are refused, 12 is accepted', async () => {
      for (const value of [true, '12', '8.5', null, [8]]) {
        const res = await call('POST /api/v1/work-orders', (b) => (b.expectedHours = value));
        expectProblem(res, 400);
        expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))]).toEqual(['expectedHours']);
      }
      expect((await call('POST /api/v1/work-orders', (b) => (b.expectedHours = 12))).status).toBe(201);
    });

    it('item 7: null is refused where the document does not declare the field nullable, and accepted where it does', async () => {
      const res = await call('PATCH /api/v1/programmes/:id', (b) => (b.code = null));
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'code' })]);
      const nested = await call('POST /api/v1/programmes/:id/plans/:versionNo/reviews', (b) => (b.experts[0].name = null));
      expectProblem(nested, 400);
      expect(nested.body.errors.map((e: { field: string }) => e.field)).toContain('experts.0.name');
      // PATCH /staff/:id declares `title` nullable ("null 清除职称")
      const cleared = await call('PATCH /api/v1/staff/:id', (b) => (b.title = null));
      expect(cleared.status).toBe(200);
    });

    it('item 7: query strings still convert (limit=5 is a number there)', async () => {
      const res = await t.http().get('/api/v1/tenants').query({ limit: '1' }).set(bearer(admin));
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
    });

    /**
     * The body DTO classes of this app (and the classes nested in them), read from Nest's
     * route-argument metadata. class-validator's storage is process-wide and keeps the classes
     * of earlier test files (another module registry, another class-transformer), so the
     * meta-tests walk only these.
     */
    function bodyDtoClasses(): Set<Function> {
      const bodyTypes = new Set<Function>();
      const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, { type: string; name?: string; propertyName: string }[]> };
      const add = (cls: Function | undefined) => {
        if (!cls || bodyTypes.has(cls) || !storage.validationMetadatas.has(cls)) return;
        bodyTypes.add(cls);
        for (const m of storage.validationMetadatas.get(cls)!) {
          if (m.type !== 'nestedValidation') continue;
          const nestedType = Reflect.getMetadata('design:type', cls.prototype, m.propertyName);
          // the element class of a list comes from class-transformer's @Type
          const typeMeta = (require('class-transformer/cjs/storage') as any).defaultMetadataStorage.findTypeMetadata(cls, m.propertyName);
          add(typeMeta?.typeFunction() ?? nestedType);
        }
      };
      // body parameter types of every handler, read from Nest's route-argument metadata (RouteParamtypes.BODY = 3)
      const { ModulesContainer } = require('@nestjs/core');
      for (const mod of t.app.get(ModulesContainer).values()) {
        for (const wrapper of mod.controllers.values()) {
          const ctrl = wrapper.metatype as Function;
          for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
            const args = Reflect.getMetadata('__routeArguments__', ctrl, name) ?? {};
            const types: Function[] = Reflect.getMetadata('design:paramtypes', ctrl.prototype, name) ?? [];
            for (const [key, arg] of Object.entries<{ index: number }>(args)) if (key.startsWith('3:')) add(types[arg.index]);
          }
        }
      }
      return bodyTypes;
    }

    it('item 7 meta: no body DTO converts a value to a number, boolean or string (only query DTOs may)', () => {
      const bodyTypes = bodyDtoClasses();
      const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, { type: string; name?: string; propertyName: string }[]> };
      expect(bodyTypes.size).toBeGreaterThan(40);
      const converting: string[] = [];
      for (const cls of bodyTypes) {
        for (const m of storage.validationMetadatas.get(cls)!) {
          const probe = m.name === 'isInt' || m.name === 'isNumber' ? '12' : m.name === 'isBoolean' ? 'true' : m.name === 'isString' ? 12 : undefined;
          if (probe === undefined) continue;
          const out = (plainToInstance(cls as new () => object, { [m.propertyName]: probe }) as Record<string, unknown>)[m.propertyName];
          if (out !== probe) converting.push(`${cls.name}.${m.propertyName}: ${JSON.stringify(probe)} → ${JSON.stringify(out)}`);
        }
      }
      expect(converting).toEqual([]);
    });

    it('item 8: names and titles of only white space or zero-width characters are refused; inner spaces are kept', async () => {
      const before = await counts();
      for (const blank of ['   ', '\u3000\u00a0', '\u200b\u200b', '\u200c\u200d\u2060\ufeff', ' \u200b \u180e ']) {
        const res = await t.http().post('/api/v1/tenants').set(bearer(admin)).send({ ...newTenant(), name: blank });
        expectProblem(res, 400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['name']);
      }
      const team = await call('POST /api/v1/teams', (b) => (b.name = '\u200b \u3000'));
      expectProblem(team, 400);
      expect(await counts()).toEqual(before);
      const ok = await t.http().post('/api/v1/tenants').set(bearer(admin)).send({ ...newTenant(), name: '\u200b 汕头 技师学院 \u3000' });
      expect(ok.status).toBe(201);
      expect(ok.body.name).toBe('汕头 技师学院');
    });

    it('item 8 meta: every required text field and every name/title/topic trims white space and zero-width characters (secrets excepted)', () => {
      const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, { type: string; name?: string; propertyName: string }[]> };
      const SECRETS = /password|token/i;
      const untrimmed: string[] = [];
      const current = bodyDtoClasses();
      for (const [target, metas] of storage.validationMetadatas) {
        if (!current.has(target)) continue;
        const props = new Set(metas.filter((m) => m.name === 'isString').map((m) => m.propertyName));
        for (const prop of props) {
          if (SECRETS.test(prop)) continue;
          const required = metas.some((m) => m.propertyName === prop && m.name === 'isNotEmpty');
          const named = /name$|title$|^topic$/i.test(prop);
          if (!required && !named) continue;
          const out = (plainToInstance(target as new () => object, { [prop]: ' \u200b\u3000 ' }) as Record<string, unknown>)[prop];
          const list = (plainToInstance(target as new () => object, { [prop]: [' \u200b '] }) as Record<string, unknown>)[prop];
          if (out !== '' && !(Array.isArray(list) && list[0] === '')) untrimmed.push(`${target.name}.${prop}`);
          else if (!required) untrimmed.push(`${target.name}.${prop} (not @IsNotEmpty)`);
        }
      }
      expect(untrimmed).toEqual([]);
    });
  });

  describe('item 5 in imports: CSV and XLSX cells', () => {
    it('a CSV cell with U+0000 is a row error naming the column, in a dry run and a commit; nothing is written', async () => {
      const m = await f.member('college-staff', { tenantId });
      const token = (await login(t, m.email, TEST_PASSWORD)).accessToken;
      const { cohortId } = await cohortRow(f, tenantId);
      const csv = rosterCsv([{ name: '陈\u0000嘉豪', idNumber: freshIdNumber() }, { name: '李娜', idNumber: freshIdNumber() }]);
      const upload = (dryRun: boolean) =>
        t.http().post(`/api/v1/cohorts/${cohortId}/students/import`).query(dryRun ? { dryRun: 'true' } : {}).set(bearer(token)).attach('file', csv, '名单.csv');
      const dry = await upload(true);
      expect(dry.status).toBe(200);
      expect(dry.body.errors).toEqual([{ row: 2, column: '姓名', message: expect.stringContaining('U+0000') }]);
      const commit = await upload(false);
      expectProblem(commit, 422);
      const n = await inTenant(f, tenantId, () => f.query('SELECT count(*)::int AS n FROM students WHERE cohort_id = $1', [cohortId]));
      expect(n.rows[0].n).toBe(0);
    });
  });
});
