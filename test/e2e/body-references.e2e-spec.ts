import { Client } from 'pg';
import { isAllowed } from '../../src/auth/permissions';
import type { Role } from '../../src/auth/roles';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { routeTable, RouteInfo } from '../setup/routes';
import { Actor, MatrixRequest, MatrixWorld, ROUTE_FIXTURES } from './matrix';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = Record<string, any>;

/**
 * Issue 9, done-when: "for each body field that names another record: refused unless
 * visible and writable". Table-driven from the served OpenAPI document: every write
 * operation with a JSON body, every body field that names a record (format uuid, or an
 * array of them; nested in objects and arrays of objects too). The valid request is the
 * access-matrix fixture built for the caller; the foreign value is the same field of the
 * same fixture built for a principal the caller must not see:
 * - another college (the caller's role in college B);
 * - inside one college, another enterprise (an enterprise admin or mentor of F naming what
 *   E's fixture names: F's placements, students, work orders, files, …).
 * The answer must be 404 or 422 (never 2xx, never another status that reveals the record
 * exists), and no table changes (row count and newest xmin of every table, as superuser).
 * A new write route with an id field is covered as soon as it has its matrix fixture.
 */
jest.setTimeout(300_000);

interface Scope {
  name: string;
  /** roles that may act in this scope, first allowed one is used (one role per route keeps the runtime low) */
  roles: Role[];
  /** the world and place of the record's owner */
  owner: 'B' | 'F';
}

const SCOPES: Scope[] = [
  { name: 'another college', roles: ['college-staff', 'college-admin', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'], owner: 'B' },
  { name: 'another enterprise in the same college', roles: ['enterprise-admin', 'enterprise-mentor'], owner: 'F' },
];

/**
 * Fields that name a record the caller may legitimately name across the wall, or that no
 * fixture can give a foreign value for. Each with its reason; everything else is probed.
 */
const EXCEPTIONS: Record<string, string> = {
  'POST /api/v1/auth/switch membershipId': 'one of the caller’s own memberships (another college’s membership of the same user is the point of switching)',
  'POST /api/v1/auth/login membershipId': 'public; the membership chosen at sign-in belongs to the account signing in',
  'POST /api/v1/enterprises/{id}/change-proposals enterpriseId': 'path names the enterprise; the registry is province-wide',
};
/**
 * A refusal other than 404/422 that reveals nothing: the same answer for an unknown id, a
 * foreign id and a visible record the caller may not write.
 */
const OTHER_REFUSALS: Record<string, { status: number; reason: string }> = {
  'POST /api/v1/mentorships/guidance studentId': { status: 403, reason: 'MENTORSHIPS.NOT_YOUR_MENTEE: only the student’s active mentor writes guidance; unknown and foreign students get the same 403' },
};

/**
 * Where another college's record of a kind is found when the fixture leaves the field out
 * (optional fields): field name → the record's table (any row of college B, read as superuser).
 */
const RECORD_TABLES: [RegExp, string, string?][] = [
  [/[aA]ttachmentIds?$/, 'attachments'],
  [/^programmeId$/, 'programmes'],
  [/^cohortId$/, 'cohorts'],
  [/^offeringId$/, 'enterprise_offerings'],
  [/^agreementId$/, 'agreements'],
  [/^(successorId|mentorId|staffId|expertIds?|supervisorId)$/, 'staff_members'],
  [/^studentIds?$/, 'students'],
  [/^placementId$/, 'placements'],
  [/^workOrderId$/, 'work_orders'],
  [/^projectId$/, 'projects'],
  [/^teamId$/, 'teams'],
  [/^employmentRecordId$/, 'employment_records'],
  [/^userId$/, 'memberships', 'user_id'],
];

/** Fields naming province-wide records (the enterprise registry, reference data): the same id is valid in every college. */
const SHARED_RECORDS = /^(enterpriseId|industryId|skillStandardId|occupationId)$/;

describe('body fields naming records the caller may not see (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let su: Client;
  let snapshotSql: string;
  let doc: Schema;
  let routes: RouteInfo[];
  let tenantA: string;
  let tenantB: string;
  const enterprises = { E: '', F: '' };

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    tenantA = await f.tenant({ name: '引用探测甲技师学院' });
    tenantB = await f.tenant({ name: '引用探测乙技师学院', tier: 'batch2' });
    enterprises.E = await f.enterprise('引用探测一号装备有限公司');
    enterprises.F = await f.enterprise('引用探测二号装备有限公司');
    routes = routeTable(t.app);
    doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const admin = new URL(process.env.TEST_DATABASE_ADMIN_URL!);
    admin.pathname = `/${process.env.TEST_DATABASE_NAME}`;
    su = new Client({ connectionString: admin.toString() });
    await su.connect();
    const tables = (
      await su.query(
        `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND c.relname <> 'rate_counters' ORDER BY 1`,
      )
    ).rows.map((r: { name: string }) => r.name);
    snapshotSql = tables.map((name) => `SELECT '${name.replace(/'/g, "''")}' AS t, count(*)::bigint AS n, coalesce(max(xmin::text::bigint), 0) AS x FROM ${name}`).join(' UNION ALL ');
  });
  afterAll(async () => {
    await su?.end();
    await f?.close();
    await t?.close();
  });

  async function snapshot(): Promise<Map<string, string>> {
    const rows = (await su.query(snapshotSql)).rows as { t: string; n: string; x: string }[];
    return new Map(rows.map((r) => [r.t, `${r.n}/${r.x}`]));
  }

  /** The world as a fixture sees it: `tenantA` is where the actor works, `enterpriseE` their enterprise. */
  const worldOf = (college: 'A' | 'B', enterprise: 'E' | 'F'): MatrixWorld => ({
    f,
    tenantA: college === 'A' ? tenantA : tenantB,
    tenantB: college === 'A' ? tenantB : tenantA,
    enterpriseE: enterprises[enterprise],
  });

  async function actorFor(role: Role, college: 'A' | 'B', enterprise: 'E' | 'F'): Promise<Actor & { token: string }> {
    const tenantId = college === 'A' ? tenantA : tenantB;
    const place = role.startsWith('college-') ? { tenantId } : { tenantId, enterpriseId: enterprises[enterprise] };
    const m = await f.member(role, place);
    // a fresh principal per operation: fixtures may give the actor a staff record of their own
    return { role, userId: m.userId, membershipId: m.membershipId, ...place, token: (await login(t, m.email, TEST_PASSWORD)).accessToken };
  }

  // ------------------------------------------------------------------ the document
  function resolve(s: Schema | undefined, depth = 0): Schema {
    if (!s || depth > 10) return {};
    if (s.$ref) return resolve(doc.components.schemas[s.$ref.split('/').pop()!], depth + 1);
    if (s.allOf?.length) return s.allOf.map((x: Schema) => resolve(x, depth + 1)).reduce((a: Schema, b: Schema) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
    if (s.anyOf?.length || s.oneOf?.length) return resolve((s.anyOf ?? s.oneOf).find((x: Schema) => x.type !== 'null'), depth + 1);
    return s;
  }

  /** Paths of the body fields that name a record: `placementId`, `attachmentIds`, `rows[].studentId`, `stages[].mentorId`. */
  function referenceFields(s0: Schema, prefix = '', depth = 0): string[] {
    const s = resolve(s0);
    const out: string[] = [];
    for (const [name, p0] of Object.entries<Schema>(s.properties ?? {})) {
      const p = resolve(p0);
      const path = `${prefix}${name}`;
      const isUuid = (x: Schema) => x.format === 'uuid' || (Array.isArray(x.type) && x.type.includes('string') && x.format === 'uuid');
      if (isUuid(p)) out.push(path);
      else if (p.type === 'array' || (Array.isArray(p.type) && p.type.includes('array'))) {
        const items = resolve(p.items);
        if (isUuid(items)) out.push(path);
        else if (items.properties && depth < 2) out.push(...referenceFields(items, `${path}[].`, depth + 1));
      } else if (p.properties && depth < 2) out.push(...referenceFields(p, `${path}.`, depth + 1));
    }
    return out;
  }

  /** The value at a field path (`rows[].studentId` reads the first row's). */
  function read(body: unknown, path: string): unknown {
    let node: any = body;
    for (const part of path.split('.')) {
      if (node === undefined || node === null) return undefined;
      if (part.endsWith('[]')) node = node[part.slice(0, -2)]?.[0];
      else node = node[part];
    }
    return node;
  }

  /** A copy of `body` with the field set to `value` (in every element of an array on the way). */
  function write(body: unknown, path: string, value: unknown): unknown {
    const [head, ...rest] = path.split('.');
    const copy: any = Array.isArray(body) ? [...body] : { ...(body as object) };
    if (!rest.length) {
      copy[head] = value;
      return copy;
    }
    if (head.endsWith('[]')) {
      const key = head.slice(0, -2);
      copy[key] = (copy[key] ?? []).map((item: unknown) => write(item, rest.join('.'), value));
    } else copy[head] = write(copy[head], rest.join('.'), value);
    return copy;
  }

  function send(route: RouteInfo, req: MatrixRequest, body: unknown, token: string) {
    const method = route.method.toLowerCase() as 'post' | 'patch' | 'put' | 'delete';
    let call = t.http()[method](req.path).set(bearer(token));
    if (req.query) call = call.query(req.query);
    return call.send(body as object);
  }

  /** Any record of college B of the kind the field names (an array field gets one id). */
  async function recordOfCollegeB(leaf: string, field: string): Promise<unknown> {
    if (leaf === 'tenantId') return tenantB;
    const match = RECORD_TABLES.find(([re]) => re.test(leaf));
    if (!match) return undefined;
    const [, table, column = 'id'] = match;
    const row = (await su.query(`SELECT ${column} AS id FROM ${table} WHERE tenant_id = $1 LIMIT 1`, [tenantB])).rows[0];
    if (!row) return undefined;
    return /Ids$/.test(field) ? [row.id] : row.id;
  }

  const docPath = (route: RouteInfo) => route.path.replace(/:(\w+)/g, '{$1}');

  const figures = { operations: 0, fields: 0, attempts: 0, leaks: 0, unprobed: [] as string[] };

  for (const scope of SCOPES) {
    it(`issue 9: a body field naming a record of ${scope.name} is refused (404/422) and changes nothing, on every write operation of the document`, async () => {
      const failures: string[] = [];
      const [operationsBefore, attemptsBefore] = [figures.operations, figures.attempts];
      const writes = routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.permission && ROUTE_FIXTURES[r.key]);
      for (const route of writes) {
        const op = doc.paths[docPath(route)]?.[route.method.toLowerCase()];
        const schema = op?.requestBody?.content?.['application/json']?.schema;
        if (!schema) continue; // no JSON body (multipart uploads are probed in principal-isolation.e2e-spec.ts)
        const fields = referenceFields(schema).filter((field) => !EXCEPTIONS[`${route.method} ${docPath(route)} ${field}`]);
        if (!fields.length) continue;
        const role = scope.roles.find((r) => isAllowed(r, route.permission!));
        if (!role) continue;
        figures.operations++;
        const caller = await actorFor(role, 'A', 'E');
        const owner = scope.owner === 'B' ? await actorFor(role, 'B', 'E') : await actorFor(role, 'A', 'F');
        const fixture = ROUTE_FIXTURES[route.key];
        let mine: MatrixRequest;
        let theirs: MatrixRequest;
        try {
          mine = await fixture.build(worldOf('A', 'E'), caller);
          theirs = scope.owner === 'B' ? await fixture.build(worldOf('B', 'E'), owner) : await fixture.build(worldOf('A', 'F'), owner);
        } catch (e) {
          figures.unprobed.push(`${route.key} (${scope.name}): the fixture cannot build for ${role} there (${(e as Error).message.slice(0, 80)})`);
          continue;
        }
        for (const field of fields) {
          const leaf = field.split('.').pop()!.replace('[]', '');
          let foreign = read(theirs.body, field);
          const own = read(mine.body, field);
          if (foreign === undefined && scope.owner === 'B' && !field.includes('[].')) foreign = await recordOfCollegeB(leaf, field);
          if (foreign === undefined || (own === undefined && field.includes('[].'))) {
            figures.unprobed.push(`${route.key} ${field} (${scope.name}): no ${foreign === undefined ? 'foreign record of this kind' : 'row to put it in'}`);
            continue;
          }
          if (JSON.stringify(foreign) === JSON.stringify(own)) {
            if (!SHARED_RECORDS.test(leaf)) figures.unprobed.push(`${route.key} ${field} (${scope.name}): the same record in both (shared)`);
            continue;
          }
          if (SHARED_RECORDS.test(leaf) && scope.owner === 'B') continue; // a registry record another college also links: visible to both
          figures.fields++;
          figures.attempts++;
          const before = await snapshot();
          const res = await send(route, mine, write(mine.body, field, foreign), caller.token);
          const after = await snapshot();
          const changed = [...after].filter(([table, v]) => before.get(table) !== v).map(([table]) => table);
          const other = OTHER_REFUSALS[`${route.method} ${docPath(route)} ${field}`];
          if (![404, 422, ...(other ? [other.status] : [])].includes(res.status) || changed.length) {
            figures.leaks++;
            failures.push(`${route.key} ${field} as ${role}: ${res.status} ${res.body?.code ?? ''}${changed.length ? `; changed ${changed.join(', ')}` : ''}`);
          }
        }
      }
      process.stdout.write(`[body-references] ${scope.name}: ${figures.operations - operationsBefore} operations, ${figures.attempts - attemptsBefore} attempts, ${failures.length} not refused\n`);
      expect(figures.attempts - attemptsBefore).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    });
  }

  afterAll(() => {
    process.stdout.write(
      `[body-references] total: ${figures.operations} (operation, scope) pairs, ${figures.attempts} attempts, ${figures.leaks} leaks; not probed (${figures.unprobed.length}):\n  ${figures.unprobed.join('\n  ')}\n`,
    );
  });
});
