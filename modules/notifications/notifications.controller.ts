import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import {
  InboxQuery,
  MarkedReadView,
  NotificationPage,
  NotificationPreferenceList,
  NotificationPreferenceView,
  UnreadCountView,
  UpdatePreferenceDto,
} from './dto/notifications.dto';
import { InboxService } from './inbox.service';
import { NotificationErrors } from './notifications.errors';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(NotificationErrors.NOT_FOUND) });

@ApiTags('通知 notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @RequirePermission('notifications.own')
  @ApiOperation({ summary: '我的通知（站内信）', description: '只含本人的通知：当前身份所在院校的通知与省级通知。新的在前，游标分页；unread=true 只看未读。' })
  @ApiOkResponse({ type: NotificationPage })
  list(@Query() query: InboxQuery): Promise<NotificationPage> {
    return this.inbox.list(query);
  }

  @Get('unread-count')
  @RequirePermission('notifications.own')
  @ApiOperation({ summary: '未读通知数' })
  @ApiOkResponse({ type: UnreadCountView })
  unreadCount(): Promise<UnreadCountView> {
    return this.inbox.unreadCount();
  }

  @Post('read-all')
  @HttpCode(200)
  @RequirePermission('notifications.own')
  @ApiOperation({ summary: '全部标为已读' })
  @ApiOkResponse({ type: MarkedReadView })
  markAllRead(): Promise<MarkedReadView> {
    return this.inbox.markAllRead();
  }

  @Get('preferences')
  @RequirePermission('notifications.own')
  @ApiOperation({ summary: '我的通知设置', description: '每种通知分别设置站内信、邮件（即时 / 每日汇总 / 关闭）与短信。' })
  @ApiOkResponse({ type: NotificationPreferenceList })
  preferences(): Promise<NotificationPreferenceList> {
    return this.inbox.preferences();
  }

  @Put('preferences')
  @RequirePermission('notifications.own')
  @ApiOperation({ summary: '修改一种通知的接收方式', description: '请求体中的 kind 为通知类型；只影响本人。' })
  @ApiOkResponse({ type: NotificationPreferenceView })
  setPreference(@Body() dto: UpdatePreferenceDto): Promise<NotificationPreferenceView> {
    return this.inbox.setPreference(dto);
  }

  @Post(':id/read')
  @HttpCode(204)
  @RequirePermission('notifications.own')
  @ApiOperation({ summary: '标为已读', description: '别人的通知、或其他院校身份下的通知：404。' })
  @ApiNoContentResponse()
  async markRead(@Param('id', uuid) id: string): Promise<void> {
    await this.inbox.markRead(id);
  }
}
