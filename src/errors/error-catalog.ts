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
  return out;
}

export function interpolate(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) =>
    params[name] === undefined ? `{${name}}` : String(params[name]),
  );
}
