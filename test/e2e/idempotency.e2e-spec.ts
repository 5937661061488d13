import { randomBytes } from 'node:crypto';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';

describe('Idempotency-Key on creates (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let token: string;

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    const admin = await f.member('province-admin');
    token = (await login(t, admin.email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  const body = () => ({ code: `I${randomBytes(4).toString('hex')}`, name: '幂等测试技师学院', tier: 'other', city: '梅州' });
  const key = () => `key-${randomBytes(8).toString('hex')}`;
  const create = (k: string | undefined, b: object) => {
    const call = t.http().post('/api/v1/tenants').set(bearer(token));
    return (k ? call.set('Idempotency-Key', k) : call).send(b);
  };

  it('a retried create with the same key and body returns the first answer and creates one record', async () => {
    const k = key();
    const b = body();
    const first = await create(k, b).expect(201);
    const second = await create(k, b).expect(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.id).toBe(first.body.id);
    const rows = await f.query('SELECT count(*)::int AS n FROM tenants WHERE code = $1', [b.code]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('the same key with a different body is a 409 and creates nothing', async () => {
    const k = key();
    await create(k, body()).expect(201);
    const other = body();
    const res = await create(k, other);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('COMMON.IDEMPOTENCY_CONFLICT');
    expect((await f.query('SELECT count(*)::int AS n FROM tenants WHERE code = $1', [other.code])).rows[0].n).toBe(0);
  });

  it('a failed attempt releases the key, so the corrected retry goes through', async () => {
    const k = key();
    const b = body();
    await create(k, { ...b, tier: 'nonsense' }).expect(400);
    await create(k, b).expect(201);
  });

  it('a malformed key is refused with 400', async () => {
    const res = await create('short', body());
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IDEMPOTENCY.BAD_KEY');
  });
});
