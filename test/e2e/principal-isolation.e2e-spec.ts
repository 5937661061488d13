import { isAllowed } from '../../src/auth/permissions';
import type { Role } from '../../src/auth/roles';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { routeTable, RouteInfo } from '../setup/routes';
import { Actor, MatrixRequest, MatrixWorld, ROUTE_FIXTURES } from './matrix';

/**
 * Issue 9 "done when": the isolation test derived from the route table, extended from two
 * colleges to pairs of principals inside one college that must not see each other. For
 * every route with a path parameter that the caller's role may call, the fixture builds
 * the request as the OTHER principal would (its own records), and the caller sends it:
 * the answer must be 404 (never 2xx, never 403). Figures (attempts, leaks) are printed.
 * Reference data (`/reference/...:year`) is public to every role and names no record.
 */
interface Pair {
  name: string;
  /** who owns the records (the fixture builds for them) */
  owner: { role: Role; enterprise: 'E' | 'F' };
  /** who tries to reach them */
  caller: { role: Role; enterprise: 'E' | 'F' };
  /** only routes whose path matches (records about a student) */
  only?: RegExp;
}

const STUDENT_RECORDS = /^\/api\/v1\/(students|placements|work-orders|projects|milestones|mentorships)\//;

const PAIRS: Pair[] = [
  { name: 'two enterprises in one college (admins)', owner: { role: 'enterprise-admin', enterprise: 'F' }, caller: { role: 'enterprise-admin', enterprise: 'E' } },
  { name: 'two enterprises in one college (mentors)', owner: { role: 'enterprise-mentor', enterprise: 'F' }, caller: { role: 'enterprise-mentor', enterprise: 'E' } },
  {
    name: 'an enterprise mentor and a student of their enterprise who is not theirs',
    owner: { role: 'enterprise-admin', enterprise: 'E' },
    caller: { role: 'enterprise-mentor', enterprise: 'E' },
    only: STUDENT_RECORDS,
  },
  {
    name: 'a college mentor and a student who is not theirs (practice records)',
    owner: { role: 'college-staff', enterprise: 'E' },
    caller: { role: 'college-mentor', enterprise: 'E' },
    only: /^\/api\/v1\/(placements|work-orders|projects|milestones)\//,
  },
];

describe('principal isolation inside a college (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let routes: RouteInfo[];
  let tenantA: string;
  let tenantB: string;
  const enterprises: Record<'E' | 'F', string> = { E: '', F: '' };

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    tenantA = await f.tenant({ name: '主体隔离甲技师学院' });
    tenantB = await f.tenant({ name: '主体隔离乙技师学院' });
    enterprises.E = await f.enterprise('主体隔离一号装备有限公司');
    enterprises.F = await f.enterprise('主体隔离二号装备有限公司');
    routes = routeTable(t.app);
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  const world = (enterprise: 'E' | 'F'): MatrixWorld => ({ f, tenantA, tenantB, enterpriseE: enterprises[enterprise] });

  async function actorFor(role: Role, enterprise: 'E' | 'F'): Promise<Actor & { token: string }> {
    const place = role.startsWith('college-') ? { tenantId: tenantA } : { tenantId: tenantA, enterpriseId: enterprises[enterprise] };
    const m = await f.member(role, place);
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

  const totals = { attempts: 0, leaks: 0 };

  for (const pair of PAIRS) {
    it(`issue 9: ${pair.name}: every route with a path parameter answers 404`, async () => {
      const leaks: { route: string; got: number }[] = [];
      let attempts = 0;
      const candidates = routes.filter(
        (r) => r.permission && r.path.includes(':') && !r.path.startsWith('/api/v1/reference/') && ROUTE_FIXTURES[r.key] && isAllowed(pair.caller.role, r.permission) && isAllowed(pair.owner.role, r.permission),
      );
      for (const route of candidates) {
        if (pair.only && !pair.only.test(route.path.replace(/:[a-zA-Z]+/g, 'x'))) continue;
        const owner = await actorFor(pair.owner.role, pair.owner.enterprise);
        const req = await ROUTE_FIXTURES[route.key].build(world(pair.owner.enterprise), owner);
        if (pair.only && !pair.only.test(req.path)) continue;
        const caller = await actorFor(pair.caller.role, pair.caller.enterprise);
        const res = await send(route, req, caller.token);
        attempts++;
        if (res.status !== 404) leaks.push({ route: route.key, got: res.status });
      }
      totals.attempts += attempts;
      totals.leaks += leaks.length;
      // prober-style figures for the closing note
      process.stdout.write(`[principal-isolation] ${pair.name}: ${attempts} attempts, ${leaks.length} not 404 ${JSON.stringify(leaks)}\n`);
      expect(attempts).toBeGreaterThan(0);
      expect(leaks).toEqual([]);
    }, 240_000);
  }

  it('issue 9: body fields naming another enterprise’s records (placement, work order as an attachment owner, attachment) are refused and change nothing', async () => {
    const { practiceWorld, workOrderRow, addDays, today } = await import('./matrix/practice.fixtures');
    const mF = await f.member('enterprise-mentor', { tenantId: tenantA, enterpriseId: enterprises.F });
    const mE = await f.member('enterprise-mentor', { tenantId: tenantA, enterpriseId: enterprises.E });
    const wF = await practiceWorld(f, tenantA, enterprises.F, { enterpriseUserId: mF.userId });
    const wE = await practiceWorld(f, tenantA, enterprises.E, { enterpriseUserId: mE.userId });
    const orderF = await workOrderRow(f, wF, 'issued');
    const orderE = await workOrderRow(f, wE, 'issued');
    const tokenE = (await login(t, mE.email, TEST_PASSWORD)).accessToken;
    const tokenF = (await login(t, mF.email, TEST_PASSWORD)).accessToken;
    const count = async (table: string) => (await f.provinceQuery(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
    const before = { orders: await count('work_orders'), files: await count('attachments'), events: await count('work_order_events') };
    const fileF = (await t.http().post('/api/v1/attachments').set(bearer(tokenF)).attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'f.pdf').expect(201)).body.id;
    const probes: { name: string; status: number }[] = [];
    const issue = await t.http().post('/api/v1/work-orders').set(bearer(tokenE)).send({
      placementId: wF.placementId, title: '越权工单', kind: 'equipment-operation', description: '越权', skillStandardItems: ['x'], dueOn: addDays(today(), 5), expectedHours: 2,
    });
    probes.push({ name: 'POST /work-orders placementId of F', status: issue.status });
    const owner = await t.http().post('/api/v1/attachments').set(bearer(tokenE)).field('ownerEntity', 'work-order').field('ownerId', orderF).attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'e.pdf');
    probes.push({ name: 'POST /attachments ownerId = F’s work order', status: owner.status });
    const record = await t.http().post(`/api/v1/work-orders/${orderE}/records`).set(bearer(tokenE)).send({ text: '记录', hours: 1, attachmentIds: [fileF] });
    probes.push({ name: 'POST /work-orders/{own}/records attachmentIds = F’s file', status: record.status });
    process.stdout.write(`[principal-isolation] body fields: ${probes.length} attempts, ${probes.filter((p) => p.status < 400).length} accepted ${JSON.stringify(probes)}\n`);
    totals.attempts += probes.length;
    totals.leaks += probes.filter((p) => p.status < 400).length;
    for (const p of probes) expect([p.name, p.status === 404 || p.status === 422]).toEqual([p.name, true]);
    expect(await count('work_orders')).toBe(before.orders);
    expect(await count('work_order_events')).toBe(before.events);
    expect(await count('attachments')).toBe(before.files + 1); // F's own upload only
  }, 120_000);

  afterAll(() => {
    process.stdout.write(`[principal-isolation] total: ${totals.attempts} attempts, ${totals.leaks} leaks\n`);
  });
});
