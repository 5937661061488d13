import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { PERMISSION_KEY, PUBLIC_KEY } from '../../src/auth/decorators';
import type { Permission } from '../../src/auth/permissions';
import { API_PREFIX, UNPREFIXED } from '../../src/app.factory';

export interface RouteInfo {
  /** e.g. "GET /api/v1/tenants/:id" */
  key: string;
  method: string;
  path: string;
  permission?: Permission;
  isPublic: boolean;
}

const join = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/** Every route of the running app, read from Nest's metadata (the route table, not a hand-typed list). */
export function routeTable(app: INestApplication): RouteInfo[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const base: string | string[] = Reflect.getMetadata(PATH_METADATA, metatype) ?? '';
    const proto = Object.getPrototypeOf(instance);
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name];
      const subPath: string | string[] | undefined = Reflect.getMetadata(PATH_METADATA, handler);
      if (subPath === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      for (const b of ([] as string[]).concat(base)) {
        for (const s of ([] as string[]).concat(subPath)) {
          const local = join(b, s);
          const path = UNPREFIXED.includes(local.slice(1)) ? local : join(API_PREFIX, local);
          routes.push({
            key: `${method} ${path}`,
            method,
            path,
            permission: Reflect.getMetadata(PERMISSION_KEY, handler) ?? Reflect.getMetadata(PERMISSION_KEY, metatype),
            isPublic: Boolean(Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, metatype)),
          });
        }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}
