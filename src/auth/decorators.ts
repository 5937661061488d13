import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { Actor } from '../tenancy/request-context';
import { PERMISSIONS, Permission } from './permissions';

export const PUBLIC_KEY = 'jishi:public';
export const PERMISSION_KEY = 'jishi:permission';

/** The route needs no token (login, health, invitation acceptance). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The route needs a token whose role holds this action in the permission table. */
export function RequirePermission(permission: Permission) {
  const roles = (PERMISSIONS[permission] as readonly string[]).join(', ');
  return applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: '未登录或令牌无效 (AUTH.*)' }),
    ApiForbiddenResponse({ description: `权限 ${permission}：${roles}` }),
  );
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest().user as Actor;
});
