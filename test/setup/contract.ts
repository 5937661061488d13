import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocumentOf } from '../../src/http/openapi';

/**
 * The third judge of the API contract (issue 10): every response an e2e test receives
 * through supertest is checked against the document the same app serves (/api/docs-json).
 * Status documented? Rate-limit headers documented? Media type documented? Body valid against the schema? A problem's
 * `code` among the codes the operation lists? If not, the request that caused it fails,
 * with a message naming the operation, the status and the field that disagrees.
 *
 * Installed once per test file (jest e2e `setupFilesAfterEnv`, and imported by the helper
 * in test/setup/app.ts), by wrapping supertest's Test#assert.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = Record<string, any>;

interface Operation {
  verb: string;
  template: string;
  regex: RegExp;
  params: number;
  op: Schema;
}

interface Judge {
  operations: Operation[];
  ajv: Ajv2020;
  validators: Map<string, ValidateFunction>;
}

const VERBS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const DOC_ID = 'openapi.json';
const judges = new WeakMap<object, Judge>();

function judgeFor(doc: Schema): Judge {
  const cached = judges.get(doc);
  if (cached) return cached;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // Component references resolve inside one registered schema document.
  const components = JSON.parse(JSON.stringify(doc.components ?? {}).replaceAll('"#/components/', `"${DOC_ID}#/components/`));
  ajv.addSchema({ $id: DOC_ID, components });
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries<Schema>(doc.paths ?? {})) {
    for (const verb of VERBS) {
      if (!item[verb]) continue;
      const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
      operations.push({ verb, template, regex: new RegExp(`^${pattern}$`), params: (template.match(/\{/g) ?? []).length, op: item[verb] });
    }
  }
  // a literal segment wins over a parameter: /students/import-template.xlsx before /students/{id}
  operations.sort((a, b) => a.params - b.params || b.template.length - a.template.length);
  const judge = { operations, ajv, validators: new Map<string, ValidateFunction>() };
  judges.set(doc, judge);
  return judge;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 8)
    .map((e) => `field ${e.instancePath || '(body)'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('; ');
}

/** The contract violations of one response, or [] when it agrees with the document. */
export function checkResponse(doc: Schema, method: string, url: string, res: { status: number; headers: Record<string, string>; body: unknown; text?: string }): string[] {
  const judge = judgeFor(doc);
  const path = new URL(url, 'http://localhost').pathname;
  const verb = method.toLowerCase();
  const match = judge.operations.find((o) => o.verb === verb && o.regex.test(path));
  if (!match) return []; // not an operation of the API (unknown routes answer ROUTE_NOT_FOUND)
  const where = `${verb.toUpperCase()} ${match.template} (${match.op.operationId ?? '?'}) → ${res.status}`;
  const responses: Schema = match.op.responses ?? {};
  const response = responses[String(res.status)] ?? responses[`${String(res.status)[0]}XX`] ?? responses.default;
  if (!response) return [`${where}: status not documented (documented: ${Object.keys(responses).join(', ')})`];
  const documentedHeaders = new Set(Object.keys(response.headers ?? {}).map((h) => h.toLowerCase()));
  const undocumented = Object.keys(res.headers ?? {}).filter((h) => /^(x-ratelimit-|ratelimit-|retry-after)/i.test(h) && !documentedHeaders.has(h.toLowerCase()));
  if (undocumented.length) return [`${where}: header ${undocumented.join(', ')} sent but not documented on this response`];
  const contentType = String(res.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const hasBody = verb !== 'head' && res.status !== 204 && res.status !== 304 && (res.text ?? '') !== '' && contentType !== '';
  const content: Schema = response.content ?? {};
  if (!hasBody) return [];
  const mediaKey = content[contentType] ? contentType : Object.keys(content).find((k) => k === '*/*' || (k.endsWith('/*') && contentType.startsWith(k.slice(0, -1))));
  if (!mediaKey) {
    return [`${where}: media type ${contentType} not documented (documented: ${Object.keys(content).join(', ') || 'no body'})`];
  }
  const out: string[] = [];
  const media = content[mediaKey];
  if (/[/+]json$/.test(contentType) && media.schema) {
    const key = `${verb} ${match.template} ${res.status} ${mediaKey}`;
    let validate = judge.validators.get(key);
    if (!validate) {
      const schema = JSON.parse(JSON.stringify(media.schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`));
      validate = judge.ajv.compile(schema);
      judge.validators.set(key, validate);
    }
    if (!validate(res.body)) out.push(`${where} ${contentType}: ${describeErrors(validate.errors)}`);
  }
  if (contentType === 'application/problem+json') {
    const code = (res.body as { code?: string } | undefined)?.code;
    const codes: string[] | undefined = response['x-error-codes'];
    if (codes && code && !codes.includes(code)) {
      out.push(`${where}: error code ${code} is not among the documented codes (${codes.join(', ')}); name it in the module catalogue or with @ApiErrors(...)`);
    }
  }
  return out;
}

/** Every violation seen in this test file (a test may assert on it). */
export const contractViolations: string[] = [];

let installed = false;

export function installContractValidator(): void {
  if (installed || process.env.OPENAPI_RESPONSE_VALIDATION === 'off') return;
  installed = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Test } = require('supertest') as { Test: { prototype: any } };
  const original = Test.prototype.assert;
  Test.prototype.assert = function assertWithContract(this: any, resError: unknown, res: any, fn?: (err: unknown, res: unknown) => void) {
    let violation: Error | undefined;
    const doc = this.app && typeof this.app === 'object' ? openApiDocumentOf(this.app) : undefined;
    if (res && doc) {
      const problems = checkResponse(doc as Schema, this.method, this.url, res);
      if (problems.length) {
        contractViolations.push(...problems);
        violation = new Error(`Response does not match the OpenAPI document:\n  ${problems.join('\n  ')}`);
      }
    }
    return original.call(this, resError, res, function (this: unknown, err: unknown, r: unknown) {
      fn?.call(this, err ?? violation ?? null, r);
    });
  };
}

installContractValidator();
