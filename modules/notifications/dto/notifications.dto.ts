import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { EMAIL_MODES, EmailMode, NOTIFICATION_KINDS, NotificationKind } from '../domain/kinds';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class InboxQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'true 只看未读' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  unread?: boolean;
}

export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS, enumName: 'NotificationKind' }) kind: NotificationKind;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: '通知所属院校；null 为省级通知' }) tenantId: string | null;
  @ApiProperty({ maxLength: 200, example: '试点申报已退回修改' }) title: string;
  @ApiProperty({ maxLength: 2000 }) body: string;
  @ApiProperty({ maxLength: 500, nullable: true, type: String, description: '相关对象的 API 路径' }) link: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class NotificationPage {
  @ApiProperty({ type: [NotificationView], maxItems: 200 }) items: NotificationView[];
  @ApiProperty({ nullable: true, type: String, maxLength: 500 }) nextCursor: string | null;
}

export class UnreadCountView {
  @ApiProperty({ minimum: 0, description: '未读通知数' }) count: number;
}

export class MarkedReadView {
  @ApiProperty({ minimum: 0, description: '本次标为已读的通知数' }) marked: number;
}

export class NotificationPreferenceView {
  @ApiProperty({ enum: NOTIFICATION_KINDS, enumName: 'NotificationKind' }) kind: NotificationKind;
  @ApiProperty({ maxLength: 50, example: '申报截止提醒' }) name: string;
  @ApiProperty({ description: '站内信' }) inApp: boolean;
  @ApiProperty({ enum: EMAIL_MODES, enumName: 'EmailDeliveryMode', description: 'off 不发邮件；immediate 即时（夜间 22:00–07:00 顺延至 7:00）；digest 每日汇总' }) email: EmailMode;
  @ApiProperty({ description: '短信' }) sms: boolean;
}

export class NotificationPreferenceList {
  @ApiProperty({ type: [NotificationPreferenceView], maxItems: 50 }) items: NotificationPreferenceView[];
}

export class UpdatePreferenceDto {
  @ApiProperty({ enum: NOTIFICATION_KINDS, enumName: 'NotificationKind', description: '通知类型' }) @IsIn(NOTIFICATION_KINDS) kind: NotificationKind;
  @ApiProperty({ description: '站内信' }) @IsBoolean() inApp: boolean;
  @ApiProperty({ enum: EMAIL_MODES, enumName: 'EmailDeliveryMode' }) @IsIn(EMAIL_MODES) email: EmailMode;
  @ApiProperty({ description: '短信' }) @IsBoolean() sms: boolean;
}
