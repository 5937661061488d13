import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { isAllowed } from '../../src/auth/permissions';
import { ROLES, Role } from '../../src/auth/roles';
import { chinaToday } from '../../src/time/china-date';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { routeTable, RouteInfo } from '../setup/routes';
import { Actor, MatrixRequest, MatrixWorld, ROUTE_FIXTURES } from './matrix';

/**
 * Fuzz (issue 8, done-when): every operation of the served OpenAPI document, for every
 * role the permission table allows on it (public routes without a token), is called with
 * hostile values derived from the document's own parameter and body schemas — deep
 * nesting, U+0000, lone surrogates, arrays in arrays, wrong types, huge and empty strings,
 * impossible dates, negative and huge numbers, unknown fields, non-JSON bodies. The valid
 * request each case starts from is the access-matrix fixture (real ids of the role's own
 * records) or, without one, a value sampled from the schema. A new route is covered
 * without anyone adding it here.
 *
 * Asserts: no 5xx; every error is application/problem+json; no table changed across a run
 * of requests that all answered 4xx (row count and newest xmin of every table, read as a
 * superuser so RLS hides nothing).
 *
 * Runtime is bounded by sampling: each (operation, role) gets a slice of the operation's
 * case list, the slices of its roles together covering the list (FUZZ_CASES_PER_ROLE caps
 * a slice; default 3).
 */
jest.setTimeout(600_000);

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
  example?: unknown;
  default?: unknown;
  minimum?: number;
};
type Parameter = { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: Schema };
type Operation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };
type OpenApi = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

/** A request as the fuzzer sends it: the raw path (percent-encoded by hand), a raw query string, a body. */
interface Shot {
  label: string;
  path: string;
  query: string;
  body?: unknown;
  rawBody?: { type: string; text: string | Buffer };
  files?: MatrixRequest['files'];
}

const NUL = 'a\u0000b';
const LONE_HIGH = '\ud800x';
const LONE_LOW = 'x\udc00';
const HUGE = 'x'.repeat(200_000);
const IMPOSSIBLE_DATES = ['2026-02-30', '2025-02-29', '2026-13-01', '0000-00-00', '99999-01-01'];
const nestedArray = (depth: number): unknown => (depth === 0 ? 1 : [nestedArray(depth - 1)]);

const SKIP_OPERATION = new Set([
  // the OpenAPI document and the docs UI themselves
  'GET /api/docs-json',
]);

describe('fuzz: every operation of the OpenAPI document with hostile values (e2e)', () => {
  let t: TestApp;
  let w: MatrixWorld;
  let doc: OpenApi;
  let routes: Map<string, RouteInfo>;
  let su: Client;
  let snapshotSql: string;
  const actors = new Map<Role, Actor & { token: string }>();

  beforeAll(async () => {
    t = await bootApp();
    const f = await IdentityFactory.open();
    w = {
      f,
      tenantA: await f.tenant({ name: '模糊测试甲技师学院' }),
      tenantB: await f.tenant({ name: '模糊测试乙技师学院', tier: 'batch2' }),
      enterpriseE: await f.enterprise('模糊测试装备有限公司'),
    };
    routes = new Map(routeTable(t.app).map((r) => [r.key, r]));
    doc = (await t.http().get('/api/docs-json').expect(200)).body;
    // a superuser on the run's database: sees every row whatever RLS says
    const admin = new URL(process.env.TEST_DATABASE_ADMIN_URL!);
    admin.pathname = `/${process.env.TEST_DATABASE_NAME}`;
    su = new Client({ connectionString: admin.toString() });
    await su.connect();
    const tables = (
      await su.query(
        `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1`,
      )
    ).rows.map((r: { name: string }) => r.name);
    snapshotSql = tables.map((name) => `SELECT '${name.replace(/'/g, "''")}' AS t, count(*)::bigint AS n, coalesce(max(xmin::text::bigint), 0) AS x FROM ${name}`).join(' UNION ALL ');
  });
  afterAll(async () => {
    await su?.end();
    await w?.f.close();
    await t?.close();
  });

  /**
   * Row count and newest xmin of every table, tagged with the next transaction id the server
   * will assign: while that has not moved, no transaction has written anything (a write of
   * any kind, committed or not, takes an id), so the tables cannot differ and the full read
   * is skipped (`same` below). Once it moved, every table is read and compared.
   */
  type Snapshot = { nextXid: string; tables?: Map<string, string> };
  const nextXid = async () => String((await su.query('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x')).rows[0].x);
  async function snapshot(): Promise<Snapshot> {
    const started = Date.now();
    const rows = (await su.query(snapshotSql)).rows as { t: string; n: string; x: string }[];
    const shot = { nextXid: await nextXid(), tables: new Map(rows.map((r) => [r.t, `${r.n}/${r.x}`])) };
    timing.snapshots += Date.now() - started;
    return shot;
  }
  /** The tables that changed since `before` ([] when no transaction took an id since). */
  async function changedSince(before: Snapshot): Promise<string[]> {
    if ((await nextXid()) === before.nextXid) return [];
    const after = await snapshot();
    return [...after.tables!].filter(([table, v]) => before.tables!.get(table) !== v).map(([table]) => table);
  }
  const timing = { snapshots: 0, fixtures: 0, requests: 0 };

  async function actorFor(role: Role, fresh = false): Promise<Actor & { token: string }> {
    if (!fresh && actors.has(role)) return actors.get(role)!;
    const place = role.startsWith('province-') ? {} : role.startsWith('college-') ? { tenantId: w.tenantA } : { tenantId: w.tenantA, enterpriseId: w.enterpriseE };
    const m = await w.f.member(role, place);
    const session = await login(t, m.email, TEST_PASSWORD);
    const actor = { role, userId: m.userId, membershipId: m.membershipId, ...place, token: session.accessToken };
    if (!fresh) actors.set(role, actor);
    return actor;
  }

  // ---------------------------------------------------------------- schemas
  function resolve(s: Schema | undefined, seen = 0): Schema {
    if (!s || seen > 10) return {};
    if (s.$ref) return resolve(doc.components?.schemas?.[s.$ref.split('/').pop()!], seen + 1);
    if (s.allOf?.length) return s.allOf.map((x) => resolve(x, seen + 1)).reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), { ...s, allOf: undefined });
    if (s.oneOf?.length || s.anyOf?.length) return resolve((s.oneOf ?? s.anyOf)![0], seen + 1);
    return s;
  }

  /** A plausible valid value for a schema (used when no fixture gives a real request). */
  function sample(s0: Schema | undefined, name = '', depth = 0): unknown {
    const s = resolve(s0);
    if (s.example !== undefined) return s.example;
    if (s.default !== undefined) return s.default;
    if (s.enum?.length) return s.enum[0];
    switch (s.type) {
      case 'integer':
      case 'number':
        return s.minimum ?? 1;
      case 'boolean':
        return true;
      case 'array':
        return depth > 4 ? [] : [sample(s.items, name, depth + 1)];
      case 'object':
        return depth > 4 ? {} : Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(v, k, depth + 1)]));
      default:
        if (s.format === 'uuid') return randomUUID();
        if (s.format === 'date' || /On$|Date$/.test(name)) return chinaToday();
        if (s.format === 'date-time') return new Date().toISOString();
        if (s.format === 'email') return `fuzz${Date.now()}@example.cn`;
        return s.properties ? sample({ ...s, type: 'object' }, name, depth) : '测试';
    }
  }

  const isDate = (s: Schema, name: string) => s.format === 'date' || /(^|[a-z])(On|Date|date|From|To|from|to)$/.test(name);

  /** Hostile replacements for a JSON value of this schema. */
  function hostileValues(s0: Schema | undefined, name: string): [string, unknown][] {
    const s = resolve(s0);
    const out: [string, unknown][] = [
      ['NUL', NUL],
      ['lone high surrogate', LONE_HIGH],
      ['lone low surrogate', LONE_LOW],
      ['array in array', [[]]],
      ['deep nesting (40)', nestedArray(40)],
      ['huge string', HUGE],
      ['empty string', ''],
      ['object', { a: 1 }],
      ['null', null],
    ];
    if (s.type === 'integer' || s.type === 'number')
      out.push(['numeric string', '12'], ['boolean', true], ['negative', -1], ['huge number', 1e308], ['beyond 2^53', 2 ** 53 + 2], ['fraction', 1.5], ['min int64 - 1', -9223372036854775809]);
    else if (s.type === 'boolean') out.push(['string "true"', 'true'], ['number 1', 1]);
    else if (s.type === 'array') out.push(['NUL item', [NUL]], ['surrogate item', [LONE_HIGH]], ['string', 'x'], ['5000 items', Array.from({ length: 5000 }, () => sample(s.items, name))]);
    else out.push(['number', 12], ['boolean', true]);
    if (isDate(s, name)) for (const d of IMPOSSIBLE_DATES) out.push([`impossible date ${d}`, d]);
    if (s.enum?.length) out.push(['not in enum', 'zz-not-an-option']);
    if (s.format === 'uuid') out.push(['not a uuid', '00000000-0000-0000-0000-00000000000g']);
    return out;
  }

  /** Hostile raw (percent-encoded) texts for a path or query parameter. */
  function hostileParams(s0: Schema | undefined, name: string): [string, string][] {
    const s = resolve(s0);
    const out: [string, string][] = [
      ['NUL', 'a%00b'],
      ['invalid UTF-8 (a lone surrogate encoded)', '%ED%A0%80'],
      ['malformed escape', '%E0%A4%A'],
      ['huge', 'x'.repeat(6000)],
      ['quote and SQL', encodeURIComponent("1' OR '1'='1")],
      ['negative', '-1'],
      ['huge number', '1e400'],
      ['beyond int64', '99999999999999999999'],
    ];
    if (isDate(s, name)) for (const d of IMPOSSIBLE_DATES.slice(0, 3)) out.push([`impossible date ${d}`, d]);
    return out;
  }

  // ---------------------------------------------------------------- cases
  function toQueryString(q: Record<string, string> | undefined): string {
    return Object.entries(q ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
  }

  function casesFor(op: Operation, base: MatrixRequest, pathTemplate: string): Shot[] {
    const shots: Shot[] = [];
    const baseQuery = toQueryString(base.query);
    const with_ = (label: string, over: Partial<Shot>): Shot => ({ label, path: base.path, query: baseQuery, body: base.body, files: base.files, ...over });

    // path parameters: swap the segment of the valid path that holds each parameter
    const templateParts = pathTemplate.split('/');
    const pathParts = base.path.split('/');
    for (const p of (op.parameters ?? []).filter((x) => x.in === 'path')) {
      const i = templateParts.indexOf(`{${p.name}}`);
      if (i < 0) continue;
      for (const [label, raw] of hostileParams(p.schema, p.name)) {
        const parts = [...pathParts];
        parts[i] = raw;
        shots.push(with_(`path ${p.name}: ${label}`, { path: parts.join('/') }));
      }
    }
    // query parameters (and ones the document does not know)
    const queryParams = (op.parameters ?? []).filter((x) => x.in === 'query');
    for (const p of queryParams) {
      const others = Object.entries(base.query ?? {}).filter(([k]) => k !== p.name);
      const rest = toQueryString(Object.fromEntries(others));
      const join = (q: string) => [rest, q].filter(Boolean).join('&');
      for (const [label, raw] of hostileParams(p.schema, p.name)) shots.push(with_(`query ${p.name}: ${label}`, { query: join(`${p.name}=${raw}`) }));
      shots.push(with_(`query ${p.name}: empty`, { query: join(`${p.name}=`) }));
      shots.push(with_(`query ${p.name}: repeated`, { query: join(`${p.name}=1&${p.name}=2`) }));
      shots.push(with_(`query ${p.name}: nested`, { query: join(`${p.name}[a][b]=1`) }));
    }
    // (a route without query parameters ignores the query string, so only those with some are asked)
    if (queryParams.length) shots.push(with_('query: unknown parameter', { query: [baseQuery, 'zzUnknown=1'].filter(Boolean).join('&') }));

    // the body
    const json = op.requestBody?.content?.['application/json']?.schema;
    if (json) {
      const schema = resolve(json);
      const body = (base.body ?? sample(schema)) as Record<string, unknown>;
      shots.push(with_('body: nested 5000 levels', { body: undefined, rawBody: { type: 'application/json', text: '['.repeat(5000) + ']'.repeat(5000) } }));
      shots.push(with_('body: JSON array', { body: [body] }));
      shots.push(with_('body: JSON string', { body: undefined, rawBody: { type: 'application/json', text: '"x"' } }));
      shots.push(with_('body: null', { body: undefined, rawBody: { type: 'application/json', text: 'null' } }));
      shots.push(with_('body: malformed JSON', { body: undefined, rawBody: { type: 'application/json', text: '{"a":' } }));
      shots.push(with_('body: form-encoded', { body: undefined, rawBody: { type: 'application/x-www-form-urlencoded', text: 'a=1&b=2' } }));
      shots.push(with_('body: text/plain', { body: undefined, rawBody: { type: 'text/plain', text: JSON.stringify(body) } }));
      shots.push(with_('body: unknown field', { body: { ...body, zzUnknown: 1 } }));
      shots.push(with_('body: NUL in a field name', { body: { ...body, ['x\u0000y']: 1 } }));
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        for (const [prop, propSchema0] of Object.entries(schema.properties ?? {})) {
          const propSchema = resolve(propSchema0);
          for (const [label, value] of hostileValues(propSchema, prop)) shots.push(with_(`body ${prop}: ${label}`, { body: { ...body, [prop]: value } }));
          // one level down: the first item of a list of objects, or a nested object
          const inner = propSchema.type === 'array' ? resolve(propSchema.items) : propSchema;
          const innerValue = propSchema.type === 'array' && Array.isArray(body[prop]) ? (body[prop] as unknown[])[0] : body[prop];
          if (inner.properties && innerValue && typeof innerValue === 'object' && !Array.isArray(innerValue)) {
            for (const [sub, subSchema] of Object.entries(inner.properties)) {
              for (const [label, value] of hostileValues(subSchema, sub).filter((_, i) => i % 3 === 0)) {
                const changed = { ...(innerValue as object), [sub]: value };
                shots.push(with_(`body ${prop}.${sub}: ${label}`, { body: { ...body, [prop]: propSchema.type === 'array' ? [changed] : changed } }));
              }
            }
          }
        }
      }
    }
    // a multipart upload: the file's text fields
    if (op.requestBody?.content?.['multipart/form-data'] && base.files) {
      shots.push(with_('multipart: JSON body instead', { files: undefined, body: { file: 'x' } }));
      shots.push(with_('multipart: no file', { files: {} }));
      shots.push(with_('multipart: NUL file name', { files: Object.fromEntries(Object.entries(base.files).map(([k, v]) => [k, { ...v, filename: 'a\u0000b.csv' }])) }));
    }
    return shots;
  }

  function send(method: string, shot: Shot, token?: string): Promise<Response> {
    const url = shot.query ? `${shot.path}?${shot.query}` : shot.path;
    let call = t.http()[method.toLowerCase() as 'post'](url);
    if (token) call = call.set(bearer(token));
    if (shot.files) {
      for (const [field, file] of Object.entries(shot.files)) call = call.attach(field, file.content, file.filename);
      return call;
    }
    if (shot.rawBody) return call.set('Content-Type', shot.rawBody.type).send(shot.rawBody.text as string);
    return shot.body !== undefined ? call.send(shot.body as object) : call;
  }

  it('no 5xx, every error is problem+json, and no table changes when every answer was 4xx', async () => {
    const perRole = Number(process.env.FUZZ_CASES_PER_ROLE ?? 3);
    const failures: string[] = [];
    const stats = { operations: 0, pairs: 0, requests: 0, byStatus: {} as Record<string, number>, checkedRuns: 0, uncheckedRuns: 0, accepted2xx: [] as string[] };
    const started = Date.now();
    let rotation = 0;

    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const key = `${method.toUpperCase()} ${template.replace(/\{(\w+)\}/g, ':$1')}`;
        if (SKIP_OPERATION.has(key)) continue;
        const route = routes.get(key);
        if (!route) {
          failures.push(`${key}: in the document but not a route of the app`);
          continue;
        }
        stats.operations++;
        const roles: (Role | null)[] = route.isPublic ? [null] : ROLES.filter((r) => isAllowed(r, route.permission!));
        // every role's valid request first (fixtures write rows), then one snapshot, then all the hostile calls
        const runs: { role: Role | null; token?: string; shots: Shot[] }[] = [];
        for (const role of roles) {
          stats.pairs++;
          let actor = role ? await actorFor(role, template.startsWith('/api/v1/auth/')) : undefined;
          const fixture = ROUTE_FIXTURES[key];
          let base: MatrixRequest = { path: template.replace(/\{(\w+)\}/g, () => randomUUID()) };
          const builtAt = Date.now();
          if (fixture) {
            // some fixtures tie records to the actor (one staff record per user): retry once with a fresh one
            try {
              base = await fixture.build(w, actor ?? ({ role: 'province-admin', userId: '', membershipId: '' } as Actor));
            } catch {
              actor = await actorFor(role!, true);
              base = await fixture.build(w, actor);
            }
          }
          timing.fixtures += Date.now() - builtAt;
          const all = casesFor(op, base, template);
          const take = Math.min(all.length, Math.max(perRole, Math.ceil(all.length / roles.length)), perRole * 2);
          runs.push({ role, token: actor?.token, shots: Array.from({ length: take }, (_, i) => all[(rotation + i) % all.length]) });
          rotation += take;
        }
        let before = await snapshot();
        let clean = true; // no write was accepted since `before`
        for (const run of runs) {
          for (const shot of run.shots) {
            const sentAt = Date.now();
            const res = await send(route.method, shot, run.token);
            timing.requests += Date.now() - sentAt;
            stats.requests++;
            stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
            const where = `${key} as ${run.role ?? 'anonymous'} — ${shot.label}`;
            if (res.status >= 500) failures.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
            else if (res.status >= 400 && !String(res.headers['content-type']).includes('application/problem+json'))
              failures.push(`${where}: ${res.status} answered as ${res.headers['content-type']}`);
            if (res.status < 400 && route.method !== 'GET') {
              stats.accepted2xx.push(`${where}: ${res.status}`);
              // an accepted write changes tables: check what came before it, then start again from here
              if (clean) stats.uncheckedRuns++;
              before = await snapshot();
              clean = true;
              continue;
            }
            clean = clean && res.status >= 400;
          }
        }
        stats.checkedRuns++;
        const changed = await changedSince(before);
        if (changed.length) failures.push(`${key}: only refused or read-only calls since the last snapshot, yet ${changed.join(', ')} changed`);
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz: ${stats.operations} operations, ${stats.pairs} operation×role pairs, ${stats.requests} requests in ${seconds} s; statuses ${JSON.stringify(stats.byStatus)}; ` +
        `time: fixtures ${(timing.fixtures / 1000).toFixed(1)} s, requests ${(timing.requests / 1000).toFixed(1)} s, table snapshots ${(timing.snapshots / 1000).toFixed(1)} s; ` +
        `database-unchanged check over ${stats.checkedRuns} operations (${stats.uncheckedRuns} stretches ended by an accepted write went unchecked); hostile writes accepted: ${stats.accepted2xx.length}\n` +
        stats.accepted2xx.slice(0, 40).join('\n'),
    );
    expect(stats.operations).toBeGreaterThan(100);
    expect(failures.slice(0, 80)).toEqual([]);
  });
});
