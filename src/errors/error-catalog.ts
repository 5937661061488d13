import { callerUnit } from '../http/source-unit';

/** A user-facing error: one code, one HTTP status, one message per language. */
export interface ErrorDefinition {
  readonly code: string;
  readonly status: number;
  readonly zh: string;
  readonly en: string;
}

type ErrorSpec = Omit<ErrorDefinition, 'code'>;

/**
 * Declares a module's error codes (`MODULE.UPPER_SNAKE`). Messages may hold `{name}`
 * placeholders filled from the exception's params.
 */
export function defineErrors<K extends string>(
  module: string,
  specs: Record<K, ErrorSpec>,
): Record<K, ErrorDefinition> {
  const out = {} as Record<K, ErrorDefinition>;
  for (const key of Object.keys(specs) as K[]) {
    out[key] = { code: `${module}.${key}`, ...specs[key] };
  }
  const unit = callerUnit(['error-catalog', 'source-unit']);
  CATALOGUES.push({ prefix: module, unit, errors: Object.values(out) });
  return out;
}

/** A catalogue as declared, with the code unit (`modules/<name>`, `src/<name>`) it was declared in. */
export interface RegisteredCatalogue {
  prefix: string;
  unit: string | undefined;
  errors: ErrorDefinition[];
}

const CATALOGUES: RegisteredCatalogue[] = [];

/** Every catalogue declared so far: the OpenAPI document lists each route's codes from them. */
export function registeredCatalogues(): readonly RegisteredCatalogue[] {
  return CATALOGUES;
}

export function interpolate(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) =>
    params[name] === undefined ? `{${name}}` : String(params[name]),
  );
}
