import type { ErrorDefinition } from '../../errors/error-catalog';

export const API_ERRORS_KEY = 'jishi:api-errors';
export const SOURCE_UNIT_KEY = 'jishi:source-unit';
export const THROTTLED_KEY = 'jishi:throttled';

/**
 * Names catalogue entries of ANOTHER module that a route (or every route of a controller)
 * may answer with, e.g. `@ApiErrors(CohortErrors.NOT_FOUND)`. A route's own module catalogue
 * and the global errors (validation, auth, 404 on ids, 409 on writes, 413/415 on bodies, 500)
 * are documented without it; see src/http/openapi/error-responses.ts.
 */
export function ApiErrors(...errors: ErrorDefinition[]): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = descriptor ? descriptor.value : target;
    const previous: ErrorDefinition[] = Reflect.getMetadata(API_ERRORS_KEY, holder) ?? [];
    Reflect.defineMetadata(API_ERRORS_KEY, [...previous, ...errors], holder);
  };
}

/** Marks a route limited by our own limiter (documents 429 and its Retry-After). */
export function ApiThrottled(): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    Reflect.defineMetadata(THROTTLED_KEY, true, descriptor ? descriptor.value : target);
  };
}
