import { bootApp, TestApp } from '../setup/app';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = Record<string, any>;

/**
 * Issue 10, "enums named": every enum of a DTO (request bodies, queries, views) is a named
 * component (`enumName` in @ApiProperty), so a generated client has one type per value set
 * (Side, Gender, StudentStatus, …) instead of an anonymous union per field.
 */
describe('OpenAPI: enums are named components (e2e)', () => {
  let t: TestApp;
  let doc: Schema;

  beforeAll(async () => {
    t = await bootApp();
    doc = (await t.http().get('/api/docs-json').expect(200)).body;
  });
  afterAll(() => t?.close());

  const isEnumComponent = (s: Schema) => Array.isArray(s.enum) && !s.properties;

  /** Every inline enum of two or more values, with where it is. */
  function inlineEnums(node: unknown, where: string, out: string[], top = true): void {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n, i) => inlineEnums(n, `${where}[${i}]`, out, false));
    const s = node as Schema;
    if (!top && Array.isArray(s.enum) && s.enum.filter((v: unknown) => v !== null).length >= 2) out.push(`${where}: ${JSON.stringify(s.enum)}`);
    for (const [k, v] of Object.entries(s)) if (k !== 'enum' && k !== 'examples' && k !== 'example') inlineEnums(v, `${where}.${k}`, out, false);
  }

  it('no DTO schema and no operation parameter carries an anonymous enum', () => {
    const found: string[] = [];
    for (const [name, schema] of Object.entries<Schema>(doc.components.schemas)) {
      if (isEnumComponent(schema)) continue;
      inlineEnums(schema, `#/components/schemas/${name}`, found);
    }
    for (const [path, item] of Object.entries<Schema>(doc.paths)) {
      for (const [verb, op] of Object.entries<Schema>(item)) {
        for (const p of op.parameters ?? []) inlineEnums(p.schema, `${verb.toUpperCase()} ${path} ?${p.name}`, found);
      }
    }
    expect(found).toEqual([]);
  });

  it('the named enums are components with their values, referenced where used (Side, Gender, StudentStatus, Role, BooleanFlag, …)', () => {
    const schemas = doc.components.schemas;
    expect(schemas.Side).toEqual(expect.objectContaining({ type: 'string', enum: ['college', 'enterprise'] }));
    expect(schemas.Gender.enum).toEqual(['male', 'female']);
    expect(schemas.BooleanFlag.enum).toEqual(['true', 'false']);
    expect(schemas.Role.enum).toEqual(expect.arrayContaining(['college-staff', 'enterprise-admin']));
    const text = JSON.stringify(doc);
    const unused = Object.entries<Schema>(schemas)
      .filter(([, s]) => isEnumComponent(s))
      .map(([name]) => name)
      .filter((name) => !text.includes(`"#/components/schemas/${name}"`));
    expect(unused).toEqual([]);
  });
});
