import { get } from 'node:http';
import { createServer } from 'node:net';
import request from 'supertest';
import { MetricsListener } from '../../src/metrics';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';

const TOKEN = 'scrape-token-0123456789abcdef';

const freePort = () =>
  new Promise<number>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });

const fetchLocal = (port: number, path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: string }>((ok, fail) => {
    get({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode!, body }));
    }).on('error', fail);
  });

/** Issue 9 items 7 and 9: no-store on API responses; /metrics behind a token or on its own port. */
describe('metrics access and caching (e2e)', () => {
  afterEach(() => {
    delete process.env.METRICS_TOKEN;
    delete process.env.METRICS_PORT;
  });

  describe('METRICS_TOKEN', () => {
    let t: TestApp;
    beforeAll(async () => {
      process.env.METRICS_TOKEN = TOKEN;
      t = await bootApp();
    });
    afterAll(() => t.close());

    it('an anonymous or wrong-token scrape is 401 problem+json; the token scrapes', async () => {
      const anonymous = await t.http().get('/metrics');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['content-type']).toContain('application/problem+json');
      expect(anonymous.body.code).toBe('METRICS.TOKEN_REQUIRED');
      expect((await t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}x`)).status).toBe(401);
      expect((await t.http().get('/metrics').set('Authorization', 'Bearer short')).status).toBe(401);
      const ok = await t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      expect(ok.text).toContain('http_request_duration_seconds');
    });

    it('API responses carrying personal data say Cache-Control: no-store (success and error alike)', async () => {
      const f = await IdentityFactory.open();
      try {
        const college = await f.tenant();
        const s = await login(t, (await f.member('college-staff', { tenantId: college })).email, TEST_PASSWORD);
        for (const path of ['/api/v1/students?limit=5', '/api/v1/auth/me', '/api/v1/staff?limit=5', '/api/v1/students/00000000-0000-4000-8000-000000000000']) {
          const res = await t.http().get(path).set(bearer(s.accessToken));
          expect(res.status).toBeLessThan(500);
          expect(res.headers['cache-control']).toBe('no-store');
        }
        const loginRes = await t.http().post('/api/v1/auth/login').send({ identifier: 'nobody@test.demo', password: 'x' });
        expect(loginRes.headers['cache-control']).toBe('no-store');
      } finally {
        await f.close();
      }
    });
  });

  describe('METRICS_PORT', () => {
    let t: TestApp;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      process.env.METRICS_PORT = String(port);
      t = await bootApp();
    });
    afterAll(() => t.close());

    it('the API port answers 404 for /metrics; the separate listener serves it and nothing else', async () => {
      const onApi = await request(t.app.getHttpServer()).get('/metrics');
      expect(onApi.status).toBe(404);
      expect(onApi.headers['content-type']).toContain('application/problem+json');
      expect(t.app.get(MetricsListener).port).toBe(port);
      const scraped = await fetchLocal(port, '/metrics');
      expect(scraped.status).toBe(200);
      expect(scraped.body).toContain('process_cpu');
      expect((await fetchLocal(port, '/api/v1/students')).status).toBe(404);
    });
  });
});
