import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { currentClock } from '../../src/time/clock';
import { REMINDER_KINDS } from './domain/reminder-kinds';
import { ReminderRunView, ReminderSentPage, ReminderSentQuery } from './dto/reminder.dto';
import { RemindersService } from './reminders.service';

@ApiTags('提醒 reminders')
@Controller('reminders')
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Get('sent')
  @RequirePermission('reminders.read')
  @ApiOperation({
    summary: '已发出的提醒',
    description: '院校看本校发出的提醒，省级管理员看全省（含公示期提醒）。可按类型与日期筛选；按日期倒序，游标分页。',
  })
  @ApiOkResponse({ type: ReminderSentPage })
  sent(@Query() query: ReminderSentQuery) {
    return this.reminders.listSent(query);
  }

  @Post('run')
  @HttpCode(200)
  @RequirePermission('reminders.run')
  @ApiOperation({
    summary: '立即运行本校今天的提醒检查（院校管理员）',
    description: '与每天 08:05 的定时检查相同；同一提醒（对象、节点、接收人、日期）一天只发一次，重复运行不会重复发送。',
  })
  @ApiOkResponse({ type: ReminderRunView })
  async run(): Promise<ReminderRunView> {
    const r = await this.reminders.runNowForCurrentCollege(currentClock().today());
    return {
      day: r.day,
      due: r.due,
      delivered: r.delivered,
      byKind: REMINDER_KINDS.filter((k) => r.byKind[k]).map((kind) => ({ kind, delivered: r.byKind[kind] ?? 0 })),
    };
  }
}
