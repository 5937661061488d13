import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { Actor } from '../tenancy/request-context';
import { PERMISSIONS, Permission } from './permissions';
import { SOURCE_UNIT_KEY } from '../http/openapi/api-errors.decorator';
import { callerUnit } from '../http/source-unit';

/** The module the decorated controller lives in: its error catalogue is documented on the route. */
const sourceUnit = () => SetMetadata(SOURCE_UNIT_KEY, callerUnit(['auth/decorators', 'source-unit']));

export const PUBLIC_KEY = 'jishi:public';
export const PERMISSION_KEY = 'jishi:permission';

/** The route needs no token (login, health, invitation acceptance). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), sourceUnit());

/** The route needs a token whose role holds this action in the permission table. */
export function RequirePermission(permission: Permission) {
  const roles = (PERMISSIONS[permission] as readonly string[]).join(', ');
  return applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    sourceUnit(),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: '未登录或令牌无效 (AUTH.*)' }),
    ApiForbiddenResponse({ description: `权限 ${permission}：${roles}` }),
  );
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest().user as Actor;
});
