import { randomBytes } from 'node:crypto';
import { encodeCursor } from '../../src/http/pagination';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';

describe('audit log (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let X: string;
  let Y: string;
  let adminX: string;
  let adminY: string;
  let province: string;
  let inviteX: string; // invitation ids, whose creation the audit log records
  let inviteY: string;
  const probe = `probe-${randomBytes(3).toString('hex')}`;

  /** Audit rows for a college at fixed times, written as that college (the insert policy applies to the owner too). */
  async function seed(tenantId: string, rows: { action: string; at: string }[]): Promise<void> {
    await f.query('BEGIN');
    try {
      await f.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
      for (const r of rows) {
        await f.query(`INSERT INTO audit_log (entity, entity_id, action, occurred_at) VALUES ($1, $2, $3, $4)`, [probe, randomBytes(4).toString('hex'), r.action, r.at]);
      }
      await f.query('COMMIT');
    } catch (e) {
      await f.query('ROLLBACK');
      throw e;
    }
  }

  const list = (token: string, query: Record<string, string | number> = {}) =>
    t.http().get('/api/v1/audit').query(query).set(bearer(token));

  /** Every page of a listing, following nextCursor. */
  async function walk(token: string, query: Record<string, string | number>): Promise<any[]> {
    const items: any[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const res: any = await list(token, { ...query, ...(cursor ? { cursor } : {}) }).expect(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) return items;
    }
    throw new Error('too many pages');
  }

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    X = await f.tenant({ name: '审计测试学院甲' });
    Y = await f.tenant({ name: '审计测试学院乙' });
    adminX = (await login(t, (await f.member('college-admin', { tenantId: X })).email, TEST_PASSWORD)).accessToken;
    adminY = (await login(t, (await f.member('college-admin', { tenantId: Y })).email, TEST_PASSWORD)).accessToken;
    province = (await login(t, (await f.member('province-admin')).email, TEST_PASSWORD)).accessToken;
    const invite = async (token: string, name: string) =>
      (await t.http().post('/api/v1/invitations').set(bearer(token)).send({ email: `${randomBytes(4).toString('hex')}@test.demo`, displayName: name, role: 'college-staff' }).expect(201)).body.id;
    inviteX = await invite(adminX, '张伟');
    inviteY = await invite(adminY, '李娜');
    // Three of these share one instant: the order must still be total (id breaks the tie).
    await seed(X, [
      { action: 'a', at: '2025-03-01T08:00:00.000Z' },
      { action: 'b', at: '2025-03-02T08:00:00.000Z' },
      { action: 'b', at: '2025-03-02T08:00:00.000Z' },
      { action: 'b', at: '2025-03-02T08:00:00.000Z' },
      { action: 'c', at: '2025-03-03T08:00:00.000Z' },
      { action: 'c', at: '2025-03-04T08:00:00.000Z' },
      { action: 'd', at: '2025-03-05T08:00:00.000Z' },
    ]);
    await seed(Y, [{ action: 'a', at: '2025-03-02T08:00:00.000Z' }]);
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('a college admin lists only their own college’s entries, even when passing ?tenantId= of another college', async () => {
    const own = await walk(adminX, { limit: 200 });
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e) => e.tenantId === X)).toBe(true);
    expect(own.map((e) => e.entityId)).toContain(inviteX);
    expect(own.map((e) => e.entityId)).not.toContain(inviteY);

    const sneaky = await walk(adminX, { tenantId: Y, limit: 200 });
    expect(sneaky.every((e) => e.tenantId === X)).toBe(true);
    expect(sneaky.map((e) => e.entityId)).not.toContain(inviteY);
    const probes = await walk(adminX, { tenantId: Y, entity: probe });
    expect(probes).toHaveLength(7); // X's seven, never Y's one

    const fromY = await walk(adminY, { entity: probe });
    expect(fromY.map((e) => e.tenantId)).toEqual([Y]);
  });

  it('a province admin sees both colleges’ entries and can narrow them by tenantId', async () => {
    const both = await walk(province, { entity: probe, limit: 200 });
    expect(both.filter((e) => e.tenantId === X)).toHaveLength(7);
    expect(both.filter((e) => e.tenantId === Y)).toHaveLength(1);
    const invitations = await walk(province, { entity: 'invitation', action: 'create', limit: 200 });
    expect(invitations.map((e) => e.entityId)).toEqual(expect.arrayContaining([inviteX, inviteY]));

    const onlyY = await walk(province, { tenantId: Y, limit: 200 });
    expect(onlyY.length).toBeGreaterThan(0);
    expect(onlyY.every((e) => e.tenantId === Y)).toBe(true);
    expect(onlyY.map((e) => e.entityId)).toContain(inviteY);
  });

  it('a province admin filters by entity, action and a from (inclusive) / to (exclusive) time window', async () => {
    const byAction = await walk(province, { tenantId: X, entity: probe, action: 'b' });
    expect(byAction).toHaveLength(3);
    expect(byAction.every((e) => e.action === 'b' && e.entity === probe)).toBe(true);

    const window = await walk(province, { entity: probe, from: '2025-03-02T08:00:00.000Z', to: '2025-03-04T08:00:00.000Z' });
    // X: c, b, b, b and Y: a; not the 03-04 c (to is exclusive) nor the 03-01 a (before from)
    expect(window).toHaveLength(5);
    expect(window[0]).toMatchObject({ tenantId: X, action: 'c', occurredAt: '2025-03-03T08:00:00.000Z' });
    expect(window.filter((e) => e.tenantId === X).map((e) => e.action)).toEqual(['c', 'b', 'b', 'b']);
    expect(window.filter((e) => e.tenantId === Y).map((e) => e.action)).toEqual(['a']);
    // China Standard Time offsets are understood: 2025-03-05 08:00Z is 16:00+08:00
    const cst = await walk(province, { tenantId: X, entity: probe, from: '2025-03-05T16:00:00+08:00' });
    expect(cst.map((e) => e.action)).toEqual(['d']);
  });

  it('cursor pagination is newest first and stable: pages of 2 give exactly the full list, ties broken by id', async () => {
    const full = (await list(province, { tenantId: X, entity: probe, limit: 200 }).expect(200)).body;
    expect(full.nextCursor).toBeNull();
    expect(full.items).toHaveLength(7);
    const key = (e: any) => `${e.occurredAt}|${e.id}`;
    const sorted = [...full.items].sort((a, b) => (key(a) < key(b) ? 1 : -1));
    expect(full.items.map(key)).toEqual(sorted.map(key));
    expect(full.items.map((e: any) => e.action)).toEqual(['d', 'c', 'c', 'b', 'b', 'b', 'a']);

    const paged = await walk(province, { tenantId: X, entity: probe, limit: 2 });
    expect(paged.map((e) => e.id)).toEqual(full.items.map((e: any) => e.id));
    expect(new Set(paged.map((e) => e.id)).size).toBe(7);
    // the same walk again (with newer entries arriving meanwhile) gives the same pages
    await seed(X, [{ action: 'e', at: new Date().toISOString() }]);
    const first = (await list(province, { tenantId: X, entity: probe, limit: 2 }).expect(200)).body;
    expect(first.items.map((e: any) => e.action)).toEqual(['e', 'd']);
    const second = (await list(province, { tenantId: X, entity: probe, limit: 2, cursor: first.nextCursor }).expect(200)).body;
    expect(second.items.map((e: any) => e.id)).toEqual(full.items.slice(1, 3).map((e: any) => e.id));
  });

  it('a college staff member is refused with 403', async () => {
    const staff = await f.member('college-staff', { tenantId: X });
    const s = await login(t, staff.email, TEST_PASSWORD);
    const res = await list(s.accessToken);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('AUTH.FORBIDDEN');
  });

  it.each([
    ['random text', 'garbage!!'],
    ['base64 of something that is not JSON', Buffer.from('hello').toString('base64url')],
    ['a cursor of the wrong arity', encodeCursor(['2025-03-01T08:00:00.000Z'])],
    ['a well-formed cursor whose values are not a time and an id', encodeCursor(['yesterday', 'nobody'])],
  ])('%s as cursor → 400 problem+json PAGINATION.BAD_CURSOR', async (_name, cursor) => {
    const res = await list(province, { cursor });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('PAGINATION.BAD_CURSOR');
    expect(res.body.title).toBe('分页游标无效');
  });

  it('limit above 200 (or below 1) → 400 naming the field', async () => {
    for (const limit of ['201', '0', 'lots']) {
      const res = await list(province, { limit });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('COMMON.VALIDATION_FAILED');
      expect(res.body.errors.map((e: any) => e.field)).toContain('limit');
    }
    await list(province, { limit: 200 }).expect(200);
  });

  it('a malformed tenantId or from is refused with 400 naming the field', async () => {
    const res = await list(province, { tenantId: 'x', from: 'last week' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.field).sort()).toEqual(['from', 'tenantId']);
  });
});
