import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bootApp, TestApp } from '../setup/app';

/**
 * Per-IP login throttling (QUALITY §2): a fixed window of attempts per minute per client
 * address, counted in Redis. The app trusts loopback proxies, so X-Forwarded-For from the
 * test client names the address.
 */
describe('login throttling per IP (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let previous: string | undefined;
  let tenantId: string;
  // test-net addresses (RFC 5737), unique per run so counters of earlier runs do not count
  const octet = () => 1 + Math.floor(Math.random() * 250);
  const ipA = `203.0.113.${octet()}`;
  const ipB = `198.51.100.${octet()}`;

  beforeAll(async () => {
    previous = process.env.LOGIN_IP_LIMIT_PER_MINUTE;
    process.env.LOGIN_IP_LIMIT_PER_MINUTE = '5';
    t = await bootApp();
    f = await IdentityFactory.open();
    tenantId = await f.tenant({ name: '肇庆市技师学院' });
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.LOGIN_IP_LIMIT_PER_MINUTE;
    else process.env.LOGIN_IP_LIMIT_PER_MINUTE = previous;
    await f.close();
    await t.close();
  });

  const attempt = (ip: string, identifier: string, password: string) =>
    t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ identifier, password });

  it('the 6th attempt within a minute from one address → 429 IDENTITY.IP_THROTTLED with Retry-After, while another address still gets 401 and 200', async () => {
    // different accounts each time: the per-account lock (5 failures) must not be what stops us
    const users = [];
    for (let i = 0; i < 6; i++) users.push(await f.member('college-staff', { tenantId }));
    for (let i = 0; i < 5; i++) {
      const res = await attempt(ipA, users[i].email, i === 0 ? TEST_PASSWORD : 'Wrong-pass-123');
      expect(res.status).toBe(i === 0 ? 200 : 401);
    }
    const sixth = await attempt(ipA, users[5].email, TEST_PASSWORD);
    expect(sixth.status).toBe(429);
    expect(sixth.headers['content-type']).toContain('application/problem+json');
    expect(sixth.body.code).toBe('IDENTITY.IP_THROTTLED');
    const retryAfter = Number(sixth.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(sixth.body.title).toBe(`该网络登录请求过于频繁，请 ${retryAfter} 秒后再试`);
    expect(sixth.body.accessToken).toBeUndefined();

    // the same address stays throttled, even for the right password of a fresh account
    const seventh = await attempt(ipA, users[5].email, TEST_PASSWORD);
    expect(seventh.status).toBe(429);

    // another address is counted on its own
    await attempt(ipB, users[5].email, 'Wrong-pass-123').expect(401);
    const ok = await attempt(ipB, users[5].email, TEST_PASSWORD).expect(200);
    expect(ok.body.accessToken).toEqual(expect.any(String));
  });

  it('answers in English with Accept-Language: en', async () => {
    const ip = `192.0.2.${octet()}`;
    for (let i = 0; i < 5; i++) await attempt(ip, `nobody${i}@test.demo`, 'x').expect(401);
    const res = await attempt(ip, 'nobody@test.demo', 'x').set('Accept-Language', 'en');
    expect(res.status).toBe(429);
    expect(res.body.title).toMatch(/^Too many sign-in attempts from this network; try again in \d+ seconds$/);
  });
});
