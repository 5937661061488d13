import { getMetadataStorage } from 'class-validator';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = Record<string, any>;

/**
 * The limits the server enforces, read from the class-validator decorators of a DTO, so the
 * document states exactly what the ValidationPipe checks (maxLength, pattern, uuid, date,
 * enum, integer bounds, maxItems) without repeating them in @ApiProperty.
 */
export interface PropertyFacts {
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  integer?: boolean;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  minItems?: number;
  /** the string/number limits apply to each item of an array */
  each?: boolean;
}

export type ClassFacts = Map<string, PropertyFacts>;

/** Facts per DTO class name (Swagger names component schemas after the class). */
export function validatorFacts(): Map<string, { type: Function; facts: ClassFacts }> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, unknown[]> };
  const out = new Map<string, { type: Function; facts: ClassFacts }>();
  for (const type of storage.validationMetadatas.keys()) {
    if (typeof type !== 'function' || !type.name) continue;
    out.set(type.name, { type, facts: factsOf(type) });
  }
  return out;
}

export function factsOf(type: Function): ClassFacts {
  const facts: ClassFacts = new Map();
  const metas = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  for (const m of metas) {
    const f = facts.get(m.propertyName) ?? {};
    facts.set(m.propertyName, f);
    const c = (m.constraints ?? []) as unknown[];
    if (m.each && ['maxLength', 'minLength', 'isLength', 'matches', 'isUuid', 'isDateOnly', 'isIn', 'isInt', 'min', 'max'].includes(m.name ?? '')) f.each = true;
    switch (m.name) {
      case 'maxLength':
        f.maxLength = c[0] as number;
        break;
      case 'minLength':
        f.minLength = c[0] as number;
        break;
      case 'isLength':
        if (typeof c[0] === 'number') f.minLength = c[0];
        if (typeof c[1] === 'number') f.maxLength = c[1];
        break;
      case 'matches':
        if (c[0] instanceof RegExp) f.pattern = c[0].source;
        else if (typeof c[0] === 'string') f.pattern = c[0];
        break;
      case 'isUuid':
        f.format = 'uuid';
        break;
      case 'isDateOnly':
        f.format = 'date';
        break;
      case 'isEmail':
        f.format = 'email';
        break;
      case 'isIn':
        if (Array.isArray(c[0])) f.enum = c[0] as unknown[];
        break;
      case 'isEnum':
        if (c[0] && typeof c[0] === 'object') f.enum = [...new Set(Object.values(c[0] as object))];
        break;
      case 'isInt':
        f.integer = true;
        break;
      case 'min':
        f.minimum = c[0] as number;
        break;
      case 'max':
        f.maximum = c[0] as number;
        break;
      case 'arrayMaxSize':
        f.maxItems = c[0] as number;
        break;
      case 'arrayMinSize':
        f.minItems = c[0] as number;
        break;
      default:
        break;
    }
  }
  return facts;
}

const INT32 = { min: -2147483648, max: 2147483647 };

/** Adds what the validators enforce to a property schema, never overriding what the DTO wrote. */
export function applyFacts(schema: Schema, f: PropertyFacts): void {
  const isArray = isType(schema, 'array');
  if (isArray) {
    if (f.maxItems !== undefined && schema.maxItems === undefined) schema.maxItems = f.maxItems;
    if (f.minItems !== undefined && schema.minItems === undefined) schema.minItems = f.minItems;
    if (f.each && schema.items && !schema.items.$ref) applyScalar(schema.items, f);
    return;
  }
  applyScalar(schema, f);
}

const isType = (schema: Schema, t: string) => schema.type === t || (Array.isArray(schema.type) && schema.type.includes(t));

function applyScalar(schema: Schema, f: PropertyFacts): void {
  if (f.enum && !schema.enum && !schema.$ref && !schema.allOf && !schema.oneOf && !schema.anyOf) {
    schema.enum = f.enum;
    if (!schema.type) schema.type = typeof f.enum[0] === 'number' ? 'number' : 'string';
  }
  if (f.integer && (schema.type === undefined || isType(schema, 'number'))) {
    schema.type = Array.isArray(schema.type) ? schema.type.map((t: string) => (t === 'number' ? 'integer' : t)) : 'integer';
  }
  if (isType(schema, 'integer')) {
    schema.format ??= 'int32';
    if (schema.minimum === undefined && schema.exclusiveMinimum === undefined) schema.minimum = f.minimum ?? INT32.min;
    if (schema.maximum === undefined && schema.exclusiveMaximum === undefined) schema.maximum = f.maximum ?? INT32.max;
  } else if (isType(schema, 'number')) {
    if (f.minimum !== undefined && schema.minimum === undefined) schema.minimum = f.minimum;
    if (f.maximum !== undefined && schema.maximum === undefined) schema.maximum = f.maximum;
  }
  if (isType(schema, 'string') || (schema.type === undefined && (f.maxLength !== undefined || f.format || f.pattern))) {
    schema.type ??= 'string';
    if (f.format && !schema.format) schema.format = f.format;
    if (f.maxLength !== undefined && schema.maxLength === undefined) schema.maxLength = f.maxLength;
    if (f.minLength !== undefined && schema.minLength === undefined) schema.minLength = f.minLength;
    if (f.pattern && !schema.pattern) schema.pattern = f.pattern;
  }
}
