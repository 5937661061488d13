import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiAcceptedResponse } from '@nestjs/swagger';
import { PasswordResetAcceptedView, PasswordResetConfirmDto, PasswordResetRequestDto } from './dto/password-reset.dto';
import { PasswordResetService } from './password-reset.service';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { CurrentActor, Public, RequirePermission } from '../../src/auth/decorators';
import { permissionsOf } from '../../src/auth/permissions';
import type { Role } from '../../src/auth/roles';
import type { Actor } from '../../src/tenancy/request-context';
import { AppException } from '../../src/errors/app.exception';
import { RateLimit } from '../../src/http/rate-limit';
import { IdentityErrors } from './identity.errors';
import { AuthService } from './auth.service';
import {
  ChangePasswordDto,
  LoginDto,
  LogoutDto,
  MembershipView,
  MeView,
  RefreshDto,
  SessionView,
  SwitchMembershipDto,
} from './dto/auth.dto';

@ApiTags('登录与会话 auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwordReset: PasswordResetService,
  ) {}

  @Post('password-reset')
  @Public()
  @HttpCode(202)
  @RateLimit('login-ip', (seconds) => new AppException(IdentityErrors.RESET_THROTTLED, { seconds }))
  @ApiOperation({
    summary: '忘记密码：申请重置',
    description:
      '填写登录用的邮箱或手机号。邮箱收到一次性重置链接，手机号收到 6 位短信验证码，30 分钟内有效、仅可使用一次。无论账号是否存在都返回 202（不泄露账号是否注册）；同一账号每小时最多发送 5 次，同一网络每分钟限制次数（429）。',
  })
  @ApiAcceptedResponse({ type: PasswordResetAcceptedView })
  async requestPasswordReset(@Body() dto: PasswordResetRequestDto, @Ip() ip: string): Promise<PasswordResetAcceptedView> {
    await this.passwordReset.request(dto.identifier, ip);
    return { message: '如果该账号存在，重置链接或验证码已发出，30 分钟内有效' };
  }

  @Post('password-reset/confirm')
  @Public()
  @HttpCode(204)
  @RateLimit('login-ip', (seconds) => new AppException(IdentityErrors.RESET_THROTTLED, { seconds }))
  @ApiOperation({
    summary: '忘记密码：设置新密码',
    description:
      '用邮件链接中的令牌，或短信验证码加手机号（identifier）设置新密码。令牌只能用一次、30 分钟内有效；成功后该账号的全部登录会话（刷新令牌与访问令牌）失效，须重新登录。连续失败将被限制（429）。',
  })
  @ApiNoContentResponse({ description: '密码已重置' })
  async confirmPasswordReset(@Body() dto: PasswordResetConfirmDto): Promise<void> {
    await this.passwordReset.confirm(dto);
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: '登录（邮箱或手机号 + 密码）',
    description: '返回 15 分钟有效的访问令牌和一次性刷新令牌。连续失败 5 次锁定 15 分钟；同一网络每分钟限制次数，超出返回 429。',
  })
  @ApiOkResponse({ type: SessionView })
  @RateLimit('login-ip', (seconds) => new AppException(IdentityErrors.IP_THROTTLED, { seconds }))
  @ApiTooManyRequestsResponse({ description: 'IDENTITY.ACCOUNT_LOCKED / IDENTITY.IP_THROTTLED，带 Retry-After' })
  @ApiServiceUnavailableResponse({ description: 'IDENTITY.LOGIN_BUSY：同时校验的密码过多，带 Retry-After，稍后重试' })
  login(@Body() dto: LoginDto): Promise<SessionView> {
    return this.auth.login(dto.identifier, dto.password, dto.membershipId);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '刷新令牌（轮换）', description: '每个刷新令牌只能用一次；重复使用会注销整个登录会话。' })
  @ApiOkResponse({ type: SessionView })
  refresh(@Body() dto: RefreshDto): Promise<SessionView> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @RequirePermission('session.self')
  @ApiOperation({ summary: '退出登录' })
  @ApiNoContentResponse({ description: '已退出：该刷新令牌所在的令牌族全部失效' })
  async logout(@CurrentActor() actor: Actor, @Body() dto: LogoutDto): Promise<void> {
    await this.auth.logout(actor.userId, actor.membershipId, dto.refreshToken);
  }

  @Get('me')
  @RequirePermission('session.self')
  @ApiOperation({ summary: '当前身份', description: '由令牌直接给出，不查询数据库。' })
  @ApiOkResponse({ type: MeView })
  me(@CurrentActor() actor: Actor): MeView {
    const role = actor.role as Role;
    return {
      userId: actor.userId,
      displayName: actor.displayName ?? '',
      membershipId: actor.membershipId,
      role,
      scope: actor.scope,
      tenantId: actor.tenantId ?? null,
      enterpriseId: actor.enterpriseId ?? null,
      permissions: [...permissionsOf(role)],
    };
  }

  @Get('memberships')
  @RequirePermission('session.self')
  @ApiOperation({ summary: '我的全部身份', description: '一个人可以同时是多所院校或企业的成员。' })
  @ApiOkResponse({ type: [MembershipView] })
  memberships(@CurrentActor() actor: Actor): Promise<MembershipView[]> {
    return this.auth.memberships(actor.userId);
  }

  @Post('switch')
  @HttpCode(200)
  @RequirePermission('session.self')
  @ApiOperation({ summary: '切换身份', description: '为所选身份签发新的令牌。' })
  @ApiOkResponse({ type: SessionView })
  switch(@CurrentActor() actor: Actor, @Body() dto: SwitchMembershipDto): Promise<SessionView> {
    return this.auth.switchMembership(actor.userId, dto.membershipId);
  }

  @Post('change-password')
  @HttpCode(200)
  @RequirePermission('session.self')
  @ApiOperation({ summary: '修改密码', description: '修改后此前签发的全部令牌失效，返回新令牌。' })
  @ApiOkResponse({ type: SessionView })
  changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto): Promise<SessionView> {
    return this.auth.changePassword(actor.userId, actor.membershipId, dto);
  }
}
