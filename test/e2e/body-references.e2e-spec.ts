import { Client } from 'pg';
import { isAllowed } from '../../src/auth/permissions';
import type { Role } from '../../src/auth/roles';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { routeTable, RouteInfo } from '../setup/routes';
import { Actor, MatrixRequest, MatrixWorld, ROUTE_FIXTURES } from './matrix';
import { addStudent, assessmentWorld } from './matrix/assessments.fixtures';
import { agreementIn, asCollege, attachmentIn, linkToCollege, registryEnterprise } from './matrix/enterprises.fixtures';
import { employmentFor } from './matrix/graduates.fixtures';
import { managementScheme, noticeRow, readyProgramme } from './matrix/pilots.fixtures';
import { addDays, placementRow, projectRow, today, workOrderRow } from './matrix/practice.fixtures';
import { inTenant } from './matrix/programmes.fixtures';
import { makePartner, staffRow, teamOf } from './matrix/staff.fixtures';

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
 * The foreign value is the other fixture's when it differs from the caller's; otherwise (an
 * optional field the fixture leaves out, or a record both fixtures share) it is a record of
 * that kind seeded once per owner (`seedOf`): in college B with enterprise E, or in college A
 * with enterprise F only (F's programme, cohort, student, placement, work order, project,
 * mentor, files, agreement, offering, team, employment record, member, F itself). Fields in
 * nested rows the fixture leaves empty get one row of the caller's own records (`COMPLETIONS`,
 * checked to succeed as sent), and a field only ever gets a foreign value in ONE row (the
 * other rows stay valid: mixing one foreign id into a valid batch is the attack). Where the
 * seeded record would be refused for a reason unrelated to visibility, `CLOSER` gives one
 * nearer the caller's own (a student of the very cohort the caller's sheet belongs to).
 * The two mentor pairs (an enterprise mentor, a college mentor, naming a student who is not
 * theirs) probe the fields that name a student or what hangs off one (placement, work
 * order, project, employment record), seeded in the caller's own college and enterprise.
 * The answer must be 404 or 422 (never 2xx, never another status that reveals the record
 * exists), and no table changes (row count and newest xmin of every table, as superuser).
 * A new write route with an id field is covered as soon as it has its matrix fixture; a new
 * id field that can be neither probed nor listed in EXCEPTIONS fails the last test.
 */
jest.setTimeout(300_000);

type Owner = 'B' | 'F' | 'M';

interface Scope {
  name: string;
  /** roles that may act in this scope, first allowed one is used (one role per route keeps the runtime low) */
  roles: Role[];
  /** the record's owner: college B (enterprise E); enterprise F in college A; another mentor's student in college A, enterprise E */
  owner: Owner;
  /** the kinds of record this pair is about (all kinds unless told) */
  kinds?: Kind[];
}

const SCOPES: Scope[] = [
  { name: 'another college', roles: ['college-staff', 'college-admin', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'], owner: 'B' },
  { name: 'another enterprise in the same college', roles: ['enterprise-admin', 'enterprise-mentor'], owner: 'F' },
  // the mentor pairs are about a student and what hangs off them; the mentor's other records are the scopes above
  { name: 'a student of the same enterprise who is not the enterprise mentor’s', roles: ['enterprise-mentor'], owner: 'M', kinds: ['student', 'placement', 'workOrder', 'project', 'employmentRecord'] },
  { name: 'a student who is not the college mentor’s', roles: ['college-mentor'], owner: 'M', kinds: ['student', 'placement', 'workOrder', 'project', 'employmentRecord'] },
];

/**
 * Fields that name a record the caller may legitimately name across the wall, or that have
 * no record a caller must not see. Each with its reason; a key names the field in every
 * scope, or `… (scope name)` in one. Everything else is probed, and is reported unprobed
 * (failing the last test) when no foreign record can be found.
 */
const EXCEPTIONS: Record<string, string> = {
  'POST /api/v1/auth/login membershipId': 'public; the membership chosen at sign-in belongs to the account signing in',
  'POST /api/v1/enterprises/{id}/change-proposals enterpriseId': 'path names the enterprise; the registry is province-wide',
  'POST /api/v1/partnerships enterpriseId (another college)':
    'the enterprise registry is province-wide (R-ENT-0): taking on a registered enterprise that so far works only with another college is what creating a partnership is for',
  'POST /api/v1/graduates/{studentId}/employment-records enterpriseId (another college)':
    'R-EVA-4: a graduate may be hired by any registered enterprise, partner or not, and the college records that employer from the province-wide registry (an enterprise admin may name only its own: probed in the other scope)',
  'POST /api/v1/invitations tenantId (another enterprise in the same college)': 'both enterprises work inside the same college: the only college an enterprise admin may name is its own, and naming another is the another-college probe',
};
/**
 * A refusal other than 404/422 that reveals nothing: the same answer for an unknown id, a
 * foreign id and a visible record the caller may not write.
 */
const OTHER_REFUSALS: Record<string, { status: number; reason: string }> = {
  'POST /api/v1/staff enterpriseId': { status: 403, reason: 'STAFF.OWN_ENTERPRISE_ONLY: an enterprise admin adds staff of its own enterprise only; any other id, known or not, gets the same 403 without a lookup' },
  'POST /api/v1/mentorships/guidance studentId': { status: 403, reason: 'MENTORSHIPS.NOT_YOUR_MENTEE: only the student’s active mentor writes guidance; unknown and foreign students get the same 403' },
};

/** The kind of record a field names, by its path (`scope.id`) or its last name. */
type Kind =
  | 'attachment' | 'programme' | 'cohort' | 'planVersion' | 'offering' | 'agreement' | 'staff' | 'student' | 'placement'
  | 'workOrder' | 'project' | 'team' | 'employmentRecord' | 'user' | 'membership' | 'enterprise' | 'tenant' | 'notice';
const FIELD_KINDS: Record<string, Kind> = {
  // a college user's report names its own college or one of its cohorts/programmes; another college is the probe
  'scope.id': 'tenant',
};
const LEAF_KINDS: [RegExp, Kind][] = [
  [/[aA]ttachmentIds?$/, 'attachment'],
  [/^programmeId$/, 'programme'],
  [/^cohortId$/, 'cohort'],
  [/^planVersionId$/, 'planVersion'],
  [/^offeringId$/, 'offering'],
  [/^agreementId$/, 'agreement'],
  [/^(successorId|mentorId|staffId|staffMemberId|expertIds?|supervisorId)$/, 'staff'],
  [/^studentIds?$/, 'student'],
  [/^placementId$/, 'placement'],
  [/^workOrderId$/, 'workOrder'],
  [/^projectId$/, 'project'],
  [/^teamId$/, 'team'],
  [/^employmentRecordId$/, 'employmentRecord'],
  [/^userId$/, 'user'],
  [/^membershipId$/, 'membership'],
  [/^enterpriseId$/, 'enterprise'],
  [/^tenantId$/, 'tenant'],
  [/^noticeId$/, 'notice'],
];
const kindOf = (field: string): Kind | undefined => FIELD_KINDS[field] ?? LEAF_KINDS.find(([re]) => re.test(field.split('.').pop()!.replace('[]', '')))?.[1];

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

  /** A copy of `body` with the field set to `value` (in the first element of an array on the way: the other rows stay valid). */
  function write(body: unknown, path: string, value: unknown): unknown {
    const [head, ...rest] = path.split('.');
    const copy: any = Array.isArray(body) ? [...body] : { ...(body as object) };
    if (!rest.length) {
      copy[head] = value;
      return copy;
    }
    if (head.endsWith('[]')) {
      const key = head.slice(0, -2);
      copy[key] = (copy[key] ?? []).map((item: unknown, i: number) => (i === 0 ? write(item, rest.join('.'), value) : item));
    } else copy[head] = write(copy[head], rest.join('.'), value);
    return copy;
  }

  function send(route: RouteInfo, req: MatrixRequest, body: unknown, token: string) {
    const method = route.method.toLowerCase() as 'post' | 'patch' | 'put' | 'delete';
    let call = t.http()[method](req.path).set(bearer(token));
    if (req.query) call = call.query(req.query);
    return call.send(body as object);
  }

  // ------------------------------------------------------------------ the other principal's records
  /**
   * One record of every kind the owner has and the caller must not see, seeded once:
   * - B: college B, its partner E (the caller's enterprise works there too) and an enterprise linked to B only;
   * - F: college A, enterprise F only (a programme only F partners with, its cohort, a student placed
   *   with F and mentored by F's mentor, F's files, agreement, offering, employment record, member);
   * - M: college A, enterprise E, a student whose mentors are other people (the mentor scopes).
   */
  const seeds = new Map<Owner, Promise<Partial<Record<Kind, string>>>>();
  function seedOf(owner: Owner): Promise<Partial<Record<Kind, string>>> {
    if (!seeds.has(owner)) seeds.set(owner, seed(owner));
    return seeds.get(owner)!;
  }
  async function seed(owner: Owner): Promise<Partial<Record<Kind, string>>> {
    const tenantId = owner === 'B' ? tenantB : tenantA;
    const enterpriseId = owner === 'F' ? enterprises.F : enterprises.E;
    const x = await assessmentWorld(f, tenantId, enterpriseId);
    const workOrder = await workOrderRow(f, x);
    const project = await projectRow(f, x);
    const [employmentRecord] = await employmentFor(f, tenantId, [x.studentId], { city: '广州市', monthlyPay: 7000, enterpriseId });
    if (owner === 'M') return { student: x.studentId, placement: x.placementId, workOrder, project, employmentRecord };
    const member = owner === 'B' ? await f.member('college-staff', { tenantId }) : await f.member('enterprise-mentor', { tenantId, enterpriseId });
    const [{ plan_version_id: planVersion }] = await asCollege(f, tenantId, 'SELECT plan_version_id FROM cohorts WHERE id = $1', [x.cohortId]);
    const [{ id: partnershipId }] = await asCollege(f, tenantId, 'SELECT id FROM partnerships WHERE programme_id = $1 AND enterprise_id = $2', [x.programmeId, enterpriseId]);
    const [{ id: offering }] = await asCollege(f, tenantId, `INSERT INTO enterprise_offerings (enterprise_id, kind, title, capacity) VALUES ($1, 'post', '数控车床操作岗', 4) RETURNING id`, [enterpriseId]);
    let enterprise = enterprises.F;
    if (owner === 'B') {
      enterprise = (await registryEnterprise(f, '引用探测乙校独有企业有限公司')).id;
      await linkToCollege(f, tenantB, enterprise);
    }
    return {
      attachment: await attachmentIn(f, tenantId, member.userId, owner === 'F' ? enterpriseId : null),
      programme: x.programmeId,
      cohort: x.cohortId,
      planVersion,
      offering,
      agreement: await agreementIn(f, tenantId, partnershipId),
      staff: x.enterpriseMentorId,
      student: x.studentId,
      placement: x.placementId,
      workOrder,
      project,
      team: (await teamOf(f, tenantId, x.programmeId, { total: 1 })).teamId,
      employmentRecord,
      user: member.userId,
      membership: member.membershipId,
      enterprise,
      ...(owner === 'B' ? { tenant: tenantB, notice: await noticeRow(f, [tenantB]) } : {}),
    };
  }

  /**
   * Optional or nested fields the caller's fixture leaves out, completed with the caller's own
   * records so that the field is there to replace (each completion is sent once as it is and
   * must succeed: a probe refused for another reason proves nothing).
   */
  const COMPLETIONS: Record<string, (caller: Actor, body: any) => Promise<object>> = {
    'POST /api/v1/staff': async (c, body) => ({ ...body, certificates: [await certificate(c)] }),
    'PATCH /api/v1/staff/:id': async (c, body) => ({ ...body, certificates: [await certificate(c)] }),
    'POST /api/v1/pilot-applications': async (c, body) => ({ ...body, programmes: [await applicationItem(c)] }),
    // an invitation that names an enterprise: a college admin's to a mentor of an active partner, an enterprise admin's to its own
    'POST /api/v1/invitations': async (c, body) => {
      if (c.role.startsWith('enterprise-')) return { ...body, enterpriseId: c.enterpriseId };
      await makePartner(f, tenantA, enterprises.E);
      return { ...body, role: 'enterprise-mentor', enterpriseId: enterprises.E };
    },
    // an enterprise reports a hire naming itself
    'POST /api/v1/graduates/:studentId/employment-records': async (c, body) => (c.role.startsWith('enterprise-') ? { ...body, enterpriseId: c.enterpriseId } : body),
    'PATCH /api/v1/pilot-applications/:id': async (c, body) => ({ ...body, programmes: [await applicationItem(c)], managementScheme: await managementScheme(f, tenantA, c.userId) }),
  };
  async function certificate(c: Actor) {
    return { name: '数控车工职业技能等级证书', level: '二级/技师', attachmentId: await attachmentIn(f, tenantA, c.userId, c.enterpriseId ?? null) };
  }
  async function applicationItem(c: Actor) {
    const ready = await readyProgramme(f, tenantA, c.userId);
    return { programmeId: ready.programmeId, partners: [{ enterpriseId: ready.enterpriseId, qualificationAttachmentIds: [ready.qualificationId], agreementId: ready.agreementId }] };
  }

  /**
   * A foreign record closer to the caller's own than the seeded one, where the route would
   * otherwise refuse it for a reason that has nothing to do with visibility.
   */
  const CLOSER: Record<string, (mine: MatrixRequest) => Promise<unknown>> = {
    // the same cohort as the caller's sheet: placed with and mentored by enterprise F only
    'PUT /api/v1/assessment-sheets/:id/results rows[].studentId (another enterprise in the same college)': (mine) => sameCohortStudent(mine, enterprises.F),
    // the same cohort and enterprise as the caller's mentee, with other mentors
    'PUT /api/v1/assessment-sheets/:id/results rows[].studentId (a student of the same enterprise who is not the enterprise mentor’s)': (mine) => sameCohortStudent(mine, enterprises.E),
    'PUT /api/v1/assessment-sheets/:id/results rows[].studentId (a student who is not the college mentor’s)': (mine) => sameCohortStudent(mine, enterprises.E),
  };
  /** A student of the cohort of the sheet `mine` writes to, placed with `enterpriseId` (a partner of the programme), with a fresh college and enterprise mentor. */
  async function sameCohortStudent(mine: MatrixRequest, enterpriseId: string): Promise<string> {
    const sheetId = mine.path.split('/')[4];
    const [sheet] = await asCollege(f, tenantA, 'SELECT s.cohort_id, c.programme_id FROM assessment_sheets s JOIN cohorts c ON c.id = s.cohort_id WHERE s.id = $1', [sheetId]);
    const partnered = await asCollege(f, tenantA, 'SELECT 1 FROM partnerships WHERE programme_id = $1 AND enterprise_id = $2', [sheet.programme_id, enterpriseId]);
    if (!partnered.length) {
      await asCollege(f, tenantA, `INSERT INTO partnerships (programme_id, enterprise_id, status, started_on) VALUES ($1, $2, 'active', $3)`, [sheet.programme_id, enterpriseId, addDays(today(), -200)]);
    }
    const world = { tenantId: tenantA, cohortId: sheet.cohort_id, programmeId: sheet.programme_id } as Parameters<typeof addStudent>[1];
    const studentId = await addStudent(f, world, { enterpriseId, collegeMentorId: await staffRow(f, tenantA) });
    await placementRow(f, tenantA, studentId, enterpriseId, addDays(today(), -60), addDays(today(), 60));
    return studentId;
  }

  const docPath = (route: RouteInfo) => route.path.replace(/:(\w+)/g, '{$1}');

  const figures = { operations: 0, attempts: 0, leaks: 0, unprobed: [] as string[], excepted: [] as string[], outsidePair: 0 };

  for (const scope of SCOPES) {
    it(`issue 9: a body field naming a record of ${scope.name} is refused (404/422) and changes nothing, on every write operation of the document`, async () => {
      const failures: string[] = [];
      const [operationsBefore, attemptsBefore] = [figures.operations, figures.attempts];
      const writes = routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.permission && ROUTE_FIXTURES[r.key]);
      for (const route of writes) {
        const op = doc.paths[docPath(route)]?.[route.method.toLowerCase()];
        const schema = op?.requestBody?.content?.['application/json']?.schema;
        if (!schema) continue; // no JSON body (multipart uploads are probed in principal-isolation.e2e-spec.ts)
        const role = scope.roles.find((r) => isAllowed(r, route.permission!));
        if (!role) continue;
        const fields: string[] = [];
        for (const field of referenceFields(schema)) {
          const key = `${route.method} ${docPath(route)} ${field}`;
          const reason = EXCEPTIONS[key] ?? EXCEPTIONS[`${key} (${scope.name})`];
          if (reason) figures.excepted.push(`${route.key} ${field} (${scope.name}): ${reason}`);
          else if (!scope.kinds || scope.kinds.includes(kindOf(field)!)) fields.push(field);
          else figures.outsidePair++;
        }
        if (!fields.length) continue;
        figures.operations++;
        const caller = await actorFor(role, 'A', 'E');
        const owner = scope.owner === 'B' ? await actorFor(role, 'B', 'E') : await actorFor(role, 'A', scope.owner === 'F' ? 'F' : 'E');
        const fixture = ROUTE_FIXTURES[route.key];
        const complete = COMPLETIONS[route.key];
        let mine: MatrixRequest;
        let theirs: MatrixRequest;
        try {
          // theirs first: a fixture that keeps one world per role re-links its mentor to the last actor built
          theirs = scope.owner === 'B' ? await fixture.build(worldOf('B', 'E'), owner) : await fixture.build(worldOf('A', scope.owner === 'F' ? 'F' : 'E'), owner);
          mine = await fixture.build(worldOf('A', 'E'), caller);
          if (complete) {
            mine = { ...mine, body: await complete(caller, mine.body) };
            // the completed request, built afresh, succeeds as the caller sends it
            const control = await fixture.build(worldOf('A', 'E'), caller);
            const res = await send(route, control, await complete(caller, control.body), caller.token);
            if (res.status >= 300) failures.push(`${route.key} completed for ${role} is not accepted as it is: ${res.status} ${res.body?.code ?? ''}`);
          }
        } catch (e) {
          figures.unprobed.push(`${route.key} (${scope.name}): the fixture cannot build for ${role} there (${(e as Error).message.slice(0, 80)})`);
          continue;
        }
        const seeded = await seedOf(scope.owner);
        for (const field of fields) {
          const own = read(mine.body, field);
          const closer = CLOSER[`${route.key} ${field} (${scope.name})`];
          let foreign = closer ? await closer(mine) : read(theirs.body, field);
          if (foreign === undefined || JSON.stringify(foreign) === JSON.stringify(own)) {
            const kind = kindOf(field);
            const id = kind && seeded[kind];
            foreign = id ? (/Ids$/.test(field) ? [id] : id) : undefined;
          }
          if (foreign === undefined || (own === undefined && field.includes('[].'))) {
            figures.unprobed.push(`${route.key} ${field} (${scope.name}): no ${foreign === undefined ? `foreign record of this kind (${kindOf(field) ?? 'unknown kind'})` : 'row to put it in'}`);
            continue;
          }
          if (JSON.stringify(foreign) === JSON.stringify(own)) {
            figures.unprobed.push(`${route.key} ${field} (${scope.name}): the same record in both`);
            continue;
          }
          figures.attempts++;
          const before = await snapshot();
          const res = await send(route, mine, write(mine.body, field, foreign), caller.token);
          const after = await snapshot();
          const changed = [...after].filter(([table, v]) => before.get(table) !== v).map(([table]) => table);
          if (process.env.BODY_REFS_VERBOSE) process.stdout.write(`  ${scope.name} | ${role} | ${route.key} ${field} -> ${res.status} ${res.body?.code ?? ''}\n`);
          const other = OTHER_REFUSALS[`${route.method} ${docPath(route)} ${field}`];
          if (![404, 422, ...(other ? [other.status] : [])].includes(res.status) || changed.length) {
            figures.leaks++;
            failures.push(`${route.key} ${field} as ${role}: ${res.status} ${res.body?.code ?? ''}${changed.length ? `; changed ${changed.join(', ')}` : ''}`);
            // the request went through: the next field gets a request of its own (a stale version or a duplicate would hide it)
            if (res.status < 300) {
              mine = await fixture.build(worldOf('A', 'E'), caller);
              if (complete) mine = { ...mine, body: await complete(caller, mine.body) };
            }
          }
        }
      }
      process.stdout.write(`[body-references] ${scope.name}: ${figures.operations - operationsBefore} operations, ${figures.attempts - attemptsBefore} attempts, ${failures.length} not refused\n`);
      expect(figures.attempts - attemptsBefore).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    });
  }

  it('issue 9: every body id field of every write operation was probed in every scope that may call it, or is a listed exception with its reason', () => {
    process.stdout.write(
      `[body-references] total: ${figures.operations} (operation, scope) pairs, ${figures.attempts} attempts, ${figures.leaks} leaks, ${figures.unprobed.length} unprobed, ${figures.excepted.length} exceptions` +
        ` (${figures.outsidePair} fields of a mentor pair's operations name no student record and are left to the other scopes)` +
        `${figures.unprobed.length ? `; not probed:\n  ${figures.unprobed.join('\n  ')}` : ''}\n  exceptions:\n  ${[...new Set(figures.excepted)].join('\n  ')}\n`,
    );
    expect(figures.attempts).toBeGreaterThan(0);
    expect(figures.leaks).toBe(0);
    expect(figures.unprobed).toEqual([]);
  });
});
