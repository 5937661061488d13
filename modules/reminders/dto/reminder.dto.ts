import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { IsDateOnly } from '../../reference-data';
import { REMINDER_KINDS } from '../domain/reminder-kinds';

export class ReminderSentQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REMINDER_KINDS, enumName: 'ReminderKind', description: '提醒类型' })
  @IsOptional()
  @IsIn(REMINDER_KINDS)
  kind?: string;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-12-01', description: '提醒所属日期（中国日期）' })
  @IsOptional()
  @IsDateOnly()
  day?: string;
}

export class ReminderSentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '院校；省级提醒（公示期）为 null' }) tenantId: string | null;
  @ApiProperty({ type: String, format: 'date', example: '2026-12-01' }) day: string;
  @ApiProperty({ enum: REMINDER_KINDS, enumName: 'ReminderKind' }) kind: string;
  @ApiProperty({ example: '合作协议即将到期提醒', maxLength: 64 }) kindName: string;
  @ApiProperty({ example: 'agreement', maxLength: 32, description: '提醒对象类型' }) subjectType: string;
  @ApiProperty({ format: 'uuid' }) subjectId: string;
  @ApiProperty({ format: 'uuid' }) recipientUserId: string;
  @ApiProperty({ example: '王老师', maxLength: 64 }) recipientName: string;
  @ApiProperty({ example: '合作协议60天后到期：广州数控设备有限公司（数控加工）', maxLength: 200 }) title: string;
  @ApiProperty({ maxLength: 2000 }) body: string;
  @ApiProperty({ type: String, nullable: true, example: '/agreements/5b0c…', maxLength: 500 }) link: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class ReminderSentPage {
  @ApiProperty({ type: [ReminderSentView], maxItems: 200 }) items: ReminderSentView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ReminderKindCount {
  @ApiProperty({ enum: REMINDER_KINDS, enumName: 'ReminderKind' }) kind: string;
  @ApiProperty({ example: 2, minimum: 0 }) delivered: number;
}

export class ReminderRunView {
  @ApiProperty({ type: String, format: 'date', example: '2026-12-01', description: '检查的日期（今天，中国日期）' }) day: string;
  @ApiProperty({ example: 3, minimum: 0, description: '今天到期的提醒条数（对象 × 节点）' }) due: number;
  @ApiProperty({ example: 5, minimum: 0, description: '本次新发出的提醒（按接收人计）；今天已发过的不再发，为 0' }) delivered: number;
  @ApiProperty({ type: [ReminderKindCount], maxItems: 20 }) byKind: ReminderKindCount[];
}
