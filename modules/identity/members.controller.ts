import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Public, RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import type { Actor } from '../../src/tenancy/request-context';
import { SessionView } from './dto/auth.dto';
import { AcceptInvitationDto, CreateInvitationDto, InvitationCreatedView, MemberListQuery, MemberPage, MemberView } from './dto/invitation.dto';
import { IdentityErrors } from './identity.errors';
import { InvitationsService } from './invitations.service';
import { MembersService } from './members.service';

const membershipId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(IdentityErrors.MEMBERSHIP_NOT_FOUND) });

@ApiTags('用户与邀请 users')
@Controller()
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly invitations: InvitationsService,
  ) {}

  @Get('users')
  @RequirePermission('users.read')
  @ApiOperation({ summary: '成员列表', description: '院校管理员看本校，企业管理员看本企业，省级管理员看全部（可按院校筛选）。联系方式脱敏。' })
  @ApiOkResponse({ description: '{ items: MemberView[], nextCursor }', type: MemberPage })
  list(@CurrentActor() actor: Actor, @Query() query: MemberListQuery) {
    return this.members.list(actor, query);
  }

  @Post('memberships/:id/revoke')
  @HttpCode(204)
  @RequirePermission('users.manage')
  @ApiOperation({ summary: '停用成员身份', description: '该身份的令牌与会话立即失效。' })
  @ApiNoContentResponse()
  async revoke(@CurrentActor() actor: Actor, @Param('id', membershipId) id: string): Promise<void> {
    await this.members.setStatus(actor, id, 'revoked');
  }

  @Post('memberships/:id/restore')
  @HttpCode(204)
  @RequirePermission('users.manage')
  @ApiOperation({ summary: '恢复成员身份' })
  @ApiNoContentResponse()
  async restore(@CurrentActor() actor: Actor, @Param('id', membershipId) id: string): Promise<void> {
    await this.members.setStatus(actor, id, 'active');
  }

  @Post('invitations')
  @RequirePermission('users.invite')
  @ApiOperation({
    summary: '邀请用户',
    description: '系统把一次性邀请链接（7 天内有效）发到被邀请人的邮箱；只有手机号时以短信发送邀请码。邀请人不会看到令牌（issue 13 起响应不再含 token，改为 deliveredBy 与脱敏的 sentTo）。夜间 22:00–07:00 的邀请邮件顺延至 7:00 发出。',
  })
  @ApiCreatedResponse({ type: InvitationCreatedView })
  invite(@CurrentActor() actor: Actor, @Body() dto: CreateInvitationDto): Promise<InvitationCreatedView> {
    return this.invitations.invite(actor, dto);
  }

  @Post('invitations/accept')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '接受邀请并设置密码', description: '新用户设置密码；已有账号的用户填写现有密码。成功后直接登录。' })
  @ApiOkResponse({ type: SessionView })
  accept(@Body() dto: AcceptInvitationDto): Promise<SessionView> {
    return this.invitations.accept(dto);
  }
}
