import { INestApplication, ParseIntPipe, ParseUUIDPipe } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { PERMISSION_KEY, PUBLIC_KEY } from '../../auth/decorators';
import type { ErrorDefinition } from '../../errors/error-catalog';
import { API_ERRORS_KEY, SOURCE_UNIT_KEY } from './api-errors.decorator';

/** What the document needs to know about one route handler, keyed by Swagger's default operationId. */
export interface RouteMetadata {
  operationId: string;
  isPublic: boolean;
  permission?: string;
  /** `modules/<name>` or `src/<name>`: whose error catalogue the route answers with */
  unit?: string;
  /** units of the Nest modules the route's module imports: their services' errors pass through */
  importedUnits: string[];
  /** catalogue entries named with @ApiErrors on the handler or its controller */
  extraErrors: ErrorDefinition[];
  /** @nestjs/throttler (or our own limiter) guards the route */
  throttled: boolean;
  /** the class of the @Query() DTO, if any */
  queryType?: Function;
  /** path parameter name → 'uuid' | 'integer' as the route's pipe enforces */
  pathParams: Record<string, 'uuid' | 'integer'>;
}

function meta<T>(key: string, handler: object, controller: object): T | undefined {
  return Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
}

/** Every route handler of the running app, read from Nest's metadata (never a hand-typed list). */
export function routeMetadata(app: INestApplication): Map<string, RouteMetadata> {
  const out = new Map<string, RouteMetadata>();
  const scanner = new MetadataScanner();
  const unitOfModule = (module: { controllers: Map<unknown, { metatype?: unknown }> }): string | undefined => {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Function | undefined;
      if (!controller) continue;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const unit = Reflect.getMetadata(SOURCE_UNIT_KEY, controller.prototype[name]);
        if (unit) return unit;
      }
    }
    return undefined;
  };
  const modules = [...app.get(ModulesContainer).values()];
  // @nestjs/throttler registered: its guard limits every route not marked @SkipThrottle()
  const throttlerModule = modules.some((m) => m.metatype?.name === 'ThrottlerModule');
  for (const module of modules) {
    const importedUnits = [...module.imports]
      .map((m) => unitOfModule(m as never))
      .filter((u): u is string => Boolean(u));
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Function | undefined;
      if (!controller || typeof controller !== 'function') continue;
      const proto = controller.prototype;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = proto[name];
        if (Reflect.getMetadata('path', handler) === undefined) continue;
        const paramTypes: Function[] = Reflect.getMetadata('design:paramtypes', proto, name) ?? [];
        let queryType: Function | undefined;
        const pathParams: Record<string, 'uuid' | 'integer'> = {};
        const args: Record<string, { index: number; data?: unknown; pipes?: unknown[] }> =
          Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {};
        for (const [key, arg] of Object.entries(args)) {
          const kind = Number(key.split(':')[0]);
          if (kind === RouteParamtypes.QUERY && arg.data === undefined) queryType = paramTypes[arg.index];
          if (kind === RouteParamtypes.PARAM && typeof arg.data === 'string') {
            const pipes = arg.pipes ?? [];
            if (pipes.some((p) => p instanceof ParseUUIDPipe || p === ParseUUIDPipe)) pathParams[arg.data] = 'uuid';
            else if (pipes.some((p) => p instanceof ParseIntPipe || p === ParseIntPipe)) pathParams[arg.data] = 'integer';
          }
        }
        const keys = [...Reflect.getMetadataKeys(handler), ...Reflect.getMetadataKeys(controller)].map(String);
        out.set(`${controller.name}_${name}`, {
          operationId: `${controller.name}_${name}`,
          isPublic: Boolean(meta(PUBLIC_KEY, handler, controller)),
          permission: meta(PERMISSION_KEY, handler, controller),
          unit: meta(SOURCE_UNIT_KEY, handler, controller),
          importedUnits,
          extraErrors: [
            ...((Reflect.getMetadata(API_ERRORS_KEY, controller) as ErrorDefinition[] | undefined) ?? []),
            ...((Reflect.getMetadata(API_ERRORS_KEY, handler) as ErrorDefinition[] | undefined) ?? []),
          ],
          throttled:
            keys.some((k) => /^THROTTLER:(LIMIT|TTL)|^jishi:throttled$/.test(k)) ||
            (throttlerModule && !keys.some((k) => /^THROTTLER:SKIP/.test(k) && meta(k, handler, controller) === true)),
          queryType,
          pathParams,
        });
      }
    }
  }
  return out;
}
