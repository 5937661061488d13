import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppException } from '../errors/app.exception';
import { CommonErrors } from '../errors/common.errors';

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): unknown;
}

/** The methods the app's routes serve at `path` (from Express's own router, so always in step with the controllers). */
export function allowedMethods(expressApp: { router?: { stack: RouteLayer[] } }, path: string): string[] {
  const allowed = new Set<string>();
  for (const layer of expressApp.router?.stack ?? []) {
    if (!layer.route) continue;
    // an `all()` route (Nest's @All or a mounted catch-all) answers every method: it says nothing about 405
    const methods = Object.keys(layer.route.methods);
    if (layer.route.methods._all || methods.length > 10) continue;
    try {
      if (!layer.match(path)) continue;
    } catch {
      continue; // a malformed %-escape in a parameter: that route cannot match
    }
    for (const m of methods) if (layer.route.methods[m]) allowed.add(m.toUpperCase());
  }
  if (allowed.has('GET')) allowed.add('HEAD');
  return [...allowed].sort();
}

/**
 * Issue 8 item 9: Nest mounts its "no such route" handler under the global prefix (and on
 * the excluded paths) only, so `/`, `/favicon.ico` or `/api/v2/…` fell through to Express's
 * HTML page. Mounted at the root instead, it answers every unknown path with problem+json;
 * a path that exists under another method answers 405 with `Allow` first. Both go through
 * the global ProblemFilter like every other error. Call before `app.init()`.
 */
export function installRootFallbacks(app: INestApplication): void {
  const adapter = app.getHttpAdapter() as unknown as {
    setNotFoundHandler: (handler: unknown, prefix?: string) => unknown;
    use: (...args: unknown[]) => unknown;
    getInstance: () => { router?: { stack: RouteLayer[] } };
  };
  adapter.setNotFoundHandler = (handler: unknown) => {
    adapter.use((req: Request, _res: Response, next: NextFunction) => {
      const allow = allowedMethods(adapter.getInstance(), req.path);
      if (allow.length && !allow.includes(req.method)) {
        next(new AppException(CommonErrors.METHOD_NOT_ALLOWED, {}, [], { Allow: allow.join(', ') }));
        return;
      }
      next();
    });
    adapter.use(handler);
    return adapter;
  };
}
