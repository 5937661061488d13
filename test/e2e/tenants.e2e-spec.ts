import { randomBytes } from 'node:crypto';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';

const tag = () => randomBytes(3).toString('hex').toUpperCase();

describe('colleges (tenants) (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let admin: string; // province-admin access token
  let viewer: string; // province-viewer access token

  const countByCode = async (code: string) =>
    Number((await f.query('SELECT count(*)::int AS n FROM tenants WHERE lower(code) = lower($1)', [code])).rows[0].n);

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    admin = (await login(t, (await f.member('province-admin')).email, TEST_PASSWORD)).accessToken;
    viewer = (await login(t, (await f.member('province-viewer')).email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  describe('create', () => {
    it('a province admin creates a college with Chinese name and city (201) and it is stored active at version 1', async () => {
      const code = `GZ-${tag()}`;
      const res = await t
        .http()
        .post('/api/v1/tenants')
        .set(bearer(admin))
        .send({ code, name: '广州市工贸技师学院', tier: 'batch1', city: '广州' })
        .expect(201);
      expect(res.body).toMatchObject({ code, name: '广州市工贸技师学院', tier: 'batch1', city: '广州', status: 'active', version: 1, suspendedReason: null });
      const stored = await f.query('SELECT name, city, status FROM tenants WHERE id = $1', [res.body.id]);
      expect(stored.rows[0]).toEqual({ name: '广州市工贸技师学院', city: '广州', status: 'active' });
    });

    it('a duplicate code (in any letter case) is refused with 409 problem+json, in Chinese and with Accept-Language: en in English', async () => {
      const code = `DUP-${tag()}`;
      await t.http().post('/api/v1/tenants').set(bearer(admin)).send({ code, name: '佛山市技师学院', tier: 'batch2', city: '佛山' }).expect(201);
      const zh = await t.http().post('/api/v1/tenants').set(bearer(admin)).send({ code: code.toLowerCase(), name: '另一所学院', tier: 'other', city: '佛山' });
      expect(zh.status).toBe(409);
      expect(zh.headers['content-type']).toContain('application/problem+json');
      expect(zh.body).toMatchObject({ status: 409, code: 'TENANTS.CODE_TAKEN', title: `院校代码 ${code.toLowerCase()} 已被使用` });
      const en = await t
        .http()
        .post('/api/v1/tenants')
        .set(bearer(admin))
        .set('Accept-Language', 'en-US,en;q=0.9')
        .send({ code, name: '另一所学院', tier: 'other', city: '佛山' });
      expect(en.status).toBe(409);
      expect(en.body.title).toBe(`College code ${code} is already used`);
      expect(await countByCode(code)).toBe(1);
    });

    it('mass assignment: a body with id, status, tenantId or createdBy is refused with 400 and nothing is created', async () => {
      const code = `MA-${tag()}`;
      const base = { code, name: '东莞市技师学院', tier: 'batch1', city: '东莞' };
      for (const extra of [
        { id: '00000000-0000-4000-8000-000000000001' },
        { status: 'suspended' },
        { tenantId: '00000000-0000-4000-8000-000000000002' },
        { createdBy: '00000000-0000-4000-8000-000000000003' },
      ]) {
        const res = await t.http().post('/api/v1/tenants').set(bearer(admin)).send({ ...base, ...extra });
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: Object.keys(extra)[0] })]));
      }
      expect(await countByCode(code)).toBe(0);
      expect((await f.query('SELECT count(*)::int AS n FROM tenants WHERE id = $1', ['00000000-0000-4000-8000-000000000001'])).rows[0].n).toBe(0);
    });

    it('a province viewer can read colleges but not create one (403)', async () => {
      const id = await f.tenant({ name: '惠州市技师学院' });
      await t.http().get(`/api/v1/tenants/${id}`).set(bearer(viewer)).expect(200);
      await t.http().get('/api/v1/tenants?limit=1').set(bearer(viewer)).expect(200);
      const code = `PV-${tag()}`;
      const res = await t.http().post('/api/v1/tenants').set(bearer(viewer)).send({ code, name: '某学院', tier: 'other', city: '惠州' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('AUTH.FORBIDDEN');
      expect(await countByCode(code)).toBe(0);
    });
  });

  describe('list', () => {
    const marker = `LS${tag()}`;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      // five colleges sharing a marker, so other suites' colleges do not disturb the walk
      const specs = [
        { code: `${marker}-E`, tier: 'batch1', status: 'active' },
        { code: `${marker}-a`, tier: 'batch2', status: 'active' },
        { code: `${marker}-D`, tier: 'batch1', status: 'suspended' },
        { code: `${marker}-b`, tier: 'other', status: 'active' },
        { code: `${marker}-C`, tier: 'batch1', status: 'active' },
      ];
      for (const s of specs) ids[s.code] = await f.tenant({ ...s, name: `清远市${s.code}学院`, city: '清远' });
    });

    it('walks every page with limit=2 in code order, without duplicates or gaps', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: any = await t
          .http()
          .get('/api/v1/tenants')
          .query({ q: marker, limit: 2, ...(cursor ? { cursor } : {}) })
          .set(bearer(admin))
          .expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((i: any) => i.code));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual([`${marker}-a`, `${marker}-b`, `${marker}-C`, `${marker}-D`, `${marker}-E`]);
      expect(new Set(seen).size).toBe(5);
    });

    it('filters by tier, by status, and q matches name, code or city', async () => {
      const codes = async (query: Record<string, string>) =>
        (await t.http().get('/api/v1/tenants').query({ q: marker, ...query }).set(bearer(admin)).expect(200)).body.items.map((i: any) => i.code);
      expect(await codes({ tier: 'batch1' })).toEqual([`${marker}-C`, `${marker}-D`, `${marker}-E`]);
      expect(await codes({ status: 'suspended' })).toEqual([`${marker}-D`]);
      expect(await codes({ tier: 'batch1', status: 'active' })).toEqual([`${marker}-C`, `${marker}-E`]);
      const byName = await t.http().get('/api/v1/tenants').query({ q: `清远市${marker}-b` }).set(bearer(admin)).expect(200);
      expect(byName.body.items.map((i: any) => i.id)).toEqual([ids[`${marker}-b`]]);
      const bad = await t.http().get('/api/v1/tenants').query({ tier: 'batch9' }).set(bearer(admin));
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('tier');
    });
  });

  it.each([
    ['random text', 'garbage!!'],
    ['a well-formed cursor whose id is not a UUID', Buffer.from(JSON.stringify(['gz', 'nobody'])).toString('base64url')],
  ])('the list refuses %s as cursor with 400 PAGINATION.BAD_CURSOR', async (_name, cursor) => {
    const res = await t.http().get('/api/v1/tenants').query({ cursor }).set(bearer(admin));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('PAGINATION.BAD_CURSOR');
  });

  describe('change, suspend, reactivate', () => {
    it('PATCH with a stale version is refused with 409 COMMON.STALE_VERSION and nothing changes', async () => {
      const id = await f.tenant({ name: '韶关市技师学院', city: '韶关' });
      const ok = await t.http().patch(`/api/v1/tenants/${id}`).set(bearer(admin)).send({ name: '韶关市高级技师学院', version: 1 }).expect(200);
      expect(ok.body).toMatchObject({ name: '韶关市高级技师学院', version: 2 });
      const stale = await t.http().patch(`/api/v1/tenants/${id}`).set(bearer(admin)).send({ name: '被覆盖的名称', city: '广州', version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.headers['content-type']).toContain('application/problem+json');
      expect(stale.body.code).toBe('COMMON.STALE_VERSION');
      expect(stale.body.title).toContain('当前版本 2');
      const after = await f.query('SELECT name, city, version FROM tenants WHERE id = $1', [id]);
      expect(after.rows[0]).toEqual({ name: '韶关市高级技师学院', city: '韶关', version: 2 });
      const audits = await f.provinceQuery(`SELECT action FROM audit_log WHERE entity = 'tenant' AND entity_id = $1`, [id]);
      expect(audits.rows.map((r) => r.action)).toEqual(['update']);
    });

    it('suspend and reactivate each write an audit row (entity tenant) with before and after', async () => {
      const id = await f.tenant({ name: '湛江市技师学院', city: '湛江' });
      const s = await t.http().post(`/api/v1/tenants/${id}/suspend`).set(bearer(admin)).send({ reason: '试点评估不合格' }).expect(200);
      expect(s.body).toMatchObject({ status: 'suspended', suspendedReason: '试点评估不合格' });
      const again = await t.http().post(`/api/v1/tenants/${id}/suspend`).set(bearer(admin)).send({ reason: '再次停用' });
      expect(again.status).toBe(409);
      const r = await t.http().post(`/api/v1/tenants/${id}/reactivate`).set(bearer(admin)).expect(200);
      expect(r.body).toMatchObject({ status: 'active', suspendedReason: null });
      const audits = await f.provinceQuery(
        `SELECT action, before, after, tenant_id, actor_role FROM audit_log WHERE entity = 'tenant' AND entity_id = $1 ORDER BY occurred_at, id`,
        [id],
      );
      expect(audits.rows).toEqual([
        {
          action: 'suspend',
          before: expect.objectContaining({ status: 'active', suspendedReason: null }),
          after: expect.objectContaining({ status: 'suspended', suspendedReason: '试点评估不合格' }),
          tenant_id: null,
          actor_role: 'province-admin',
        },
        {
          action: 'reactivate',
          before: expect.objectContaining({ status: 'suspended', suspendedReason: '试点评估不合格' }),
          after: expect.objectContaining({ status: 'active', suspendedReason: null }),
          tenant_id: null,
          actor_role: 'province-admin',
        },
      ]);
    });
  });

  describe('college users', () => {
    it('GET /tenants/current returns the caller’s own college', async () => {
      const id = await f.tenant({ name: '江门市技师学院', city: '江门' });
      const u = await f.member('college-staff', { tenantId: id });
      const s = await login(t, u.email, TEST_PASSWORD);
      const res = await t.http().get('/api/v1/tenants/current').set(bearer(s.accessToken)).expect(200);
      expect(res.body).toMatchObject({ id, name: '江门市技师学院', city: '江门' });
    });

    it('a college user calling GET /tenants/:id (even their own) or the list is refused with 403', async () => {
      const id = await f.tenant();
      const other = await f.tenant();
      const u = await f.member('college-admin', { tenantId: id });
      const s = await login(t, u.email, TEST_PASSWORD);
      for (const path of [`/api/v1/tenants/${other}`, `/api/v1/tenants/${id}`, '/api/v1/tenants']) {
        const res = await t.http().get(path).set(bearer(s.accessToken));
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('AUTH.FORBIDDEN');
      }
      const patch = await t.http().patch(`/api/v1/tenants/${id}`).set(bearer(s.accessToken)).send({ name: '自改名称', version: 1 });
      expect(patch.status).toBe(403);
    });
  });

  describe('ids', () => {
    it.each([
      ['an unknown id', '3f1c2b9a-1d2e-4f00-9a00-000000000000'],
      ['a malformed id', 'not-a-uuid'],
      ['an id with SQL in it', "1' OR '1'='1"],
    ])('%s answers 404 problem+json', async (_name, id) => {
      for (const req of [
        t.http().get(`/api/v1/tenants/${encodeURIComponent(id)}`).set(bearer(admin)),
        t.http().patch(`/api/v1/tenants/${encodeURIComponent(id)}`).set(bearer(admin)).send({ name: '某学院', version: 1 }),
        t.http().post(`/api/v1/tenants/${encodeURIComponent(id)}/suspend`).set(bearer(admin)).send({ reason: '测试' }),
      ]) {
        const res = await req;
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.code).toBe('TENANTS.NOT_FOUND');
        expect(res.body.title).toBe('未找到该院校');
      }
    });
  });
});
