import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClsService } from 'nestjs-cls';
import { AppException } from '../errors/app.exception';
import { CommonErrors } from '../errors/common.errors';
import type { JishiClsStore } from '../tenancy/request-context';
import { AuthErrors } from './auth.errors';
import { authenticateRequest } from './authenticate';
import { PERMISSION_KEY, PUBLIC_KEY } from './decorators';
import { isAllowed, Permission } from './permissions';
import type { Role } from './roles';

/**
 * The one guard (ARCHITECTURE §4): verify the token (passport-jwt), put the actor into
 * CLS, then check the route's action against the permission table. A route that declares
 * neither a permission nor @Public() is refused: fail closed.
 */
/**
 * The actor on the request, for handlers (`req.user`) and for the access log's tenant, user and
 * role: pino-http reads Node's request, which on Fastify is `req.raw`, not the wrapper the guard gets.
 */
export function attachActor(req: { user?: unknown; raw?: { user?: unknown } }, actor: unknown): void {
  req.user = actor;
  if (req.raw && req.raw !== req) req.raw.user = actor;
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly cls: ClsService<JishiClsStore>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<Permission>(PERMISSION_KEY, targets);
    const req = context.switchToHttp().getRequest();
    const actor = await authenticateRequest(req);
    attachActor(req, actor);
    if (this.cls.isActive()) this.cls.set('actor', actor);
    if (!permission) throw new AppException(CommonErrors.FORBIDDEN);
    if (!isAllowed(actor.role as Role, permission)) {
      throw new AppException(AuthErrors.FORBIDDEN, { role: actor.role });
    }
    return true;
  }
}
