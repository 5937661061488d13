import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NON_UUID_IDS } from '../../src/http/openapi/enrich';
import { bootApp, TestApp } from '../setup/app';
import { routeTable } from '../setup/routes';

/**
 * The API contract (issue 10): the served /api/docs-json judged by two outside linters
 * (Spectral with spectral:oas + OWASP, Redocly recommended) and held to our own rules by
 * meta-tests. The third judge, the response validator, runs inside every e2e request
 * (test/setup/contract.ts).
 */
const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const HTTP_VERBS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = Record<string, any>;

/** Runs a CLI that exits non-zero when it finds problems; its stdout is the report either way. */
async function report(file: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(file, args, { cwd: ROOT, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' } });
    return stdout;
  } catch (error: any) {
    if (typeof error.stdout === 'string' && error.stdout.trim().startsWith('{') || error.stdout?.trim().startsWith('[')) return error.stdout;
    throw error;
  }
}

describe('API contract: the served OpenAPI document (e2e)', () => {
  let t: TestApp;
  let doc: Schema;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    t = await bootApp();
    doc = (await t.http().get('/api/docs-json').expect(200)).body;
    dir = mkdtempSync(join(tmpdir(), 'jishi-openapi-'));
    file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));
  });

  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const operations = () =>
    Object.entries<Schema>(doc.paths).flatMap(([path, item]) =>
      HTTP_VERBS.filter((v) => item[v]).map((verb) => ({ path, verb, op: item[verb] as Schema, where: `${verb.toUpperCase()} ${path}` })),
    );

  describe('outside judges', () => {
    it('Spectral (spectral:oas + OWASP API Security 2023, .spectral.yaml) finds 0 errors', async () => {
      const out = await report(bin('spectral'), ['lint', '-r', join(ROOT, '.spectral.yaml'), file, '-f', 'json', '--quiet']);
      const results: { code: string; severity: number; path: string[]; message: string }[] = out.trim() ? JSON.parse(out) : [];
      const errors = results.filter((r) => r.severity === 0).map((r) => `${r.code} ${r.path.join('.')}: ${r.message}`);
      expect(errors.slice(0, 30)).toEqual([]);
    }, 600_000);

    it('Redocly lint (recommended) finds 0 errors', async () => {
      const out = await report(bin('redocly'), ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format=json']);
      const result = JSON.parse(out) as { totals: { errors: number }; problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] };
      const errors = result.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location?.[0]?.pointer}: ${p.message}`);
      expect(errors.slice(0, 30)).toEqual([]);
      expect(result.totals.errors).toBe(0);
    }, 600_000);
  });

  describe('our own rules over the document', () => {
    it('documents every route of the app, public ones with anonymous security and the rest with the bearer token', () => {
      const routes = routeTable(t.app);
      expect(operations()).toHaveLength(routes.length);
      const wrong: string[] = [];
      const publicKeys = new Set(routes.filter((r) => r.isPublic).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`));
      for (const { op, where } of operations()) {
        const isPublic = publicKeys.has(where);
        const security = JSON.stringify(op.security);
        if (isPublic && security !== '[{}]') wrong.push(`${where}: public but security ${security}`);
        if (!isPublic && security !== '[{"bearer":[]}]') wrong.push(`${where}: security ${security}`);
      }
      expect(wrong).toEqual([]);
      expect(doc.servers?.length).toBeGreaterThan(0);
      expect(doc.info.license?.name).toBeTruthy();
      expect(doc.tags.every((tag: Schema) => typeof tag.description === 'string' && tag.description.length > 0)).toBe(true);
    });

    it('every error response is application/problem+json with the Problem schema and lists its codes; 401/403 on protected routes, 404 on routes with an id, 500 everywhere', () => {
      const routes = routeTable(t.app);
      const publicKeys = new Set(routes.filter((r) => r.isPublic).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`));
      const wrong: string[] = [];
      for (const { path, op, where } of operations()) {
        for (const [status, response] of Object.entries<Schema>(op.responses)) {
          if (Number(status) < 400) continue;
          const media = response.content?.['application/problem+json'];
          if (media?.schema?.$ref !== '#/components/schemas/Problem') wrong.push(`${where} ${status}: not a Problem`);
          const codes: string[] = response['x-error-codes'] ?? [];
          if (!codes.length) wrong.push(`${where} ${status}: lists no error codes`);
        }
        const statuses = Object.keys(op.responses);
        if (!statuses.includes('500')) wrong.push(`${where}: no 500`);
        if (!publicKeys.has(where) && !(statuses.includes('401') && statuses.includes('403'))) wrong.push(`${where}: no 401/403`);
        if (path.includes('{') && !statuses.includes('404')) wrong.push(`${where}: has an id but no 404`);
        if (op.requestBody && !(statuses.includes('400') && statuses.includes('413') && statuses.includes('415'))) wrong.push(`${where}: body without 400/413/415`);
      }
      expect(wrong).toEqual([]);
      expect(doc.components.schemas.Problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'errors']));
    });

    it('no property is an object without a shape, ids are uuids, dates are dates, strings and arrays are bounded', () => {
      const wrong: string[] = [];
      const isType = (s: Schema, type: string) => s.type === type || (Array.isArray(s.type) && s.type.includes(type));
      const check = (s: Schema | undefined, where: string, name?: string) => {
        if (!s || typeof s !== 'object') return;
        if (isType(s, 'object') && !s.properties && !s.additionalProperties && !s.$ref && !s.allOf && !s.anyOf && !s.oneOf) wrong.push(`${where}: object without properties`);
        if (isType(s, 'string') && s.maxLength === undefined && s.enum === undefined && s.const === undefined) wrong.push(`${where}: string without maxLength`);
        if (isType(s, 'array') && s.maxItems === undefined) wrong.push(`${where}: array without maxItems`);
        if (isType(s, 'integer') && (s.minimum === undefined || s.maximum === undefined)) wrong.push(`${where}: integer without bounds`);
        if (name && /(^id|Id)$/.test(name) && !NON_UUID_IDS.has(name) && isType(s, 'string') && s.format !== 'uuid') wrong.push(`${where}: id is not format uuid`);
        if (name && /(On|Date)$/.test(name) && isType(s, 'string') && s.format !== 'date') wrong.push(`${where}: date is not format date`);
        if (name && /At$/.test(name) && isType(s, 'string') && s.format !== 'date-time') wrong.push(`${where}: timestamp is not format date-time`);
        if (name && /(Time|time)$/.test(name) && isType(s, 'string') && !s.pattern && !s.format) wrong.push(`${where}: time without pattern`);
        if (s.nullable !== undefined) wrong.push(`${where}: OpenAPI 3.0 nullable in a 3.1 document`);
        for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) check(v, `${where}.${k}`, k);
        if (s.items) check(s.items, `${where}[]`, name);
        for (const k of ['allOf', 'anyOf', 'oneOf']) (s[k] ?? []).forEach((x: Schema, i: number) => check(x, `${where}.${k}[${i}]`, name));
      };
      for (const [name, s] of Object.entries<Schema>(doc.components.schemas)) check(s, name);
      for (const { op, where } of operations()) {
        for (const p of op.parameters ?? []) check(p.schema, `${where} ${p.in}:${p.name}`, p.name);
      }
      expect(wrong).toEqual([]);
    });
  });
});
