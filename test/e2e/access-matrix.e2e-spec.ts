import { isAllowed } from '../../src/auth/permissions';
import { ROLES, Role } from '../../src/auth/roles';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { routeTable, RouteInfo } from '../setup/routes';
import { Actor, MatrixRequest, MatrixWorld, PUBLIC_ROUTES, ROUTE_FIXTURES } from './matrix';

/**
 * The role × route matrix (issue 2 item 6): for every route read from the app's own
 * route table and every one of the eight roles, an allowed call succeeds (2xx) and a
 * denied call is 403; aimed at another college's record, an allowed call is 404.
 */
/** One test walks every route (≈ 180 with issue 11): 30 s is not enough on a loaded 2-core machine. */
const MATRIX_TIMEOUT_MS = 300_000;

describe('access matrix (e2e)', () => {
  let t: TestApp;
  let w: MatrixWorld;
  let routes: RouteInfo[];

  beforeAll(async () => {
    t = await bootApp();
    const f = await IdentityFactory.open();
    w = {
      f,
      tenantA: await f.tenant({ name: '矩阵甲技师学院' }),
      tenantB: await f.tenant({ name: '矩阵乙技师学院', tier: 'batch2' }),
      enterpriseE: await f.enterprise('矩阵测试装备有限公司'),
    };
    routes = routeTable(t.app);
  });
  afterAll(async () => {
    await w.f.close();
    await t.close();
  });

  async function actorFor(role: Role): Promise<Actor & { token: string }> {
    const place = role.startsWith('province-')
      ? {}
      : role.startsWith('college-')
        ? { tenantId: w.tenantA }
        : { tenantId: w.tenantA, enterpriseId: w.enterpriseE };
    const m = await w.f.member(role, place);
    const session = await login(t, m.email, TEST_PASSWORD);
    return { role, userId: m.userId, membershipId: m.membershipId, ...place, token: session.accessToken };
  }

  function send(route: RouteInfo, req: MatrixRequest, token: string) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
    let call = t.http()[method](req.path).set(bearer(token));
    if (req.query) call = call.query(req.query);
    for (const [field, file] of Object.entries(req.files ?? {})) call = call.attach(field, file.content, file.filename);
    return req.body !== undefined ? call.send(req.body) : call;
  }

  it('every route declares who may call it: a permission, or public on the short list', () => {
    const undeclared = routes.filter((r) => !r.permission && !r.isPublic).map((r) => r.key);
    expect(undeclared).toEqual([]);
    const publicRoutes = routes.filter((r) => r.isPublic).map((r) => r.key);
    expect(publicRoutes.filter((k) => !PUBLIC_ROUTES.includes(k))).toEqual([]);
  });

  it('every route that takes a token has a fixture saying how it is called', () => {
    const missing = routes.filter((r) => r.permission && !ROUTE_FIXTURES[r.key]).map((r) => r.key);
    expect(missing).toEqual([]);
  });

  it('public routes answer without a token and the rest refuse a call without one (401)', async () => {
    for (const r of routes.filter((x) => x.permission)) {
      const path = r.path.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      const method = r.method.toLowerCase() as 'get';
      const res = await t.http()[method](path);
      expect({ route: r.key, status: res.status }).toEqual({ route: r.key, status: 401 });
    }
  });

  for (const role of ROLES) {
    it(`${role}: allowed routes succeed, the others answer 403`, async () => {
      const outcomes: { route: string; expected: string; got: number; body?: unknown }[] = [];
      for (const route of routes.filter((r) => r.permission && ROUTE_FIXTURES[r.key])) {
        const actor = await actorFor(role);
        const req = await ROUTE_FIXTURES[route.key].build(w, actor);
        const res = await send(route, req, actor.token);
        const allowed = isAllowed(role, route.permission!);
        const ok = allowed ? res.status >= 200 && res.status < 300 : res.status === 403;
        if (!ok) outcomes.push({ route: route.key, expected: allowed ? '2xx' : '403', got: res.status, body: res.body });
      }
      expect(outcomes).toEqual([]);
    }, MATRIX_TIMEOUT_MS);
  }

  it('an allowed call aimed at another college’s record answers 404, never 403', async () => {
    const wrong: { route: string; role: Role; got: number }[] = [];
    for (const route of routes.filter((r) => ROUTE_FIXTURES[r.key]?.foreign)) {
      for (const role of ROLES.filter((r) => !r.startsWith('province-') && isAllowed(r, route.permission!))) {
        const actor = await actorFor(role);
        const res = await send(route, await ROUTE_FIXTURES[route.key].foreign!(w, actor), actor.token);
        if (res.status !== 404) wrong.push({ route: route.key, role, got: res.status });
      }
    }
    expect(wrong).toEqual([]);
  }, MATRIX_TIMEOUT_MS);
});
