import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { NestedObjects } from '../../../src/http/nested';
import { Trim } from '../../../src/http/transforms';
import {
  CALENDAR_DAY_KINDS,
  CALENDAR_YEAR_STATUSES,
  CalendarDayKind,
  CalendarYearStatus,
} from '../domain/work-calendar';
import { IsDateOnly } from './is-date-only';

export const MAX_WORKING_DAYS = 366;

export class CalendarDayInput {
  @ApiProperty({ example: '2027-02-06', description: '日期（YYYY-MM-DD，北京时间），须属于所录入的年份' })
  @IsDateOnly()
  date: string;

  @ApiProperty({ enum: CALENDAR_DAY_KINDS, enumName: 'CalendarDayKind', example: 'holiday', description: 'holiday 放假 / adjusted-workday 调休上班（须为周六或周日）' })
  @IsIn(CALENDAR_DAY_KINDS)
  kind: CalendarDayKind;

  @ApiPropertyOptional({ type: String, nullable: true, example: '春节', description: '节日名称；放假日必填，调休上班日可空' })
  @ValidateIf((d: CalendarDayInput) => d.kind === 'holiday' || (d.name !== undefined && d.name !== null))
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  name?: string | null;
}

export class PutCalendarYearDto {
  @ApiProperty({ enum: CALENDAR_YEAR_STATUSES, enumName: 'CalendarYearStatus', example: 'official', description: 'official 已按国务院通知录入 / provisional 暂定（按其计算的日期均标为暂定）' })
  @IsIn(CALENDAR_YEAR_STATUSES)
  status: CalendarYearStatus;

  @ApiPropertyOptional({ type: String, nullable: true, example: '国务院办公厅关于2027年部分节假日安排的通知', description: '依据' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  source?: string | null;

  @ApiProperty({ type: [CalendarDayInput], description: '该年所有放假日与调休上班日（整体替换）；其余日期按周一至周五上班、周末休息' })
  @IsArray()
  @ArrayMaxSize(366)
  @NestedObjects(() => CalendarDayInput)
  days: CalendarDayInput[];

  @ApiPropertyOptional({ example: 1, description: '当前版本号；更新已录入的年份时必填，新录入时省略' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class WorkingDaysQuery {
  @ApiProperty({ example: '2025-09-30', description: '公示发布日期（YYYY-MM-DD，北京时间；当天不计入）' })
  @IsDateOnly()
  from: string;

  @ApiProperty({ example: 5, minimum: 1, maximum: MAX_WORKING_DAYS, description: '工作日天数（公示期默认 5 个工作日，R-APP-5）' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_WORKING_DAYS)
  days: number;
}

export class CalendarDayView {
  @ApiProperty({ example: '2025-10-01', description: '日期（YYYY-MM-DD）' })
  date: string;

  @ApiProperty({ enum: CALENDAR_DAY_KINDS, enumName: 'CalendarDayKind', example: 'holiday', description: 'holiday 放假 / adjusted-workday 调休上班' })
  kind: CalendarDayKind;

  @ApiProperty({ type: String, nullable: true, example: '国庆节、中秋节', description: '节日名称' })
  name: string | null;
}

export class CalendarYearSummary {
  @ApiProperty({ example: 2026, description: '年份' })
  year: number;

  @ApiProperty({ enum: CALENDAR_YEAR_STATUSES, enumName: 'CalendarYearStatus', example: 'official', description: 'official 正式 / provisional 暂定' })
  status: CalendarYearStatus;

  @ApiProperty({ type: String, nullable: true, example: '国务院办公厅关于2026年部分节假日安排的通知（2025-11-04 发布）', description: '依据' })
  source: string | null;

  @ApiProperty({ example: 1, description: '版本号（更新时回传）' })
  version: number;

  @ApiProperty({ example: '2025-11-05T02:00:00.000Z', description: '最后更新时间（UTC）' })
  updatedAt: string;
}

export class CalendarYearView extends CalendarYearSummary {
  @ApiProperty({ type: [CalendarDayView], description: '放假日与调休上班日，按日期排序' })
  days: CalendarDayView[];
}

export class CalendarYearList {
  @ApiProperty({ type: [CalendarYearSummary] })
  items: CalendarYearSummary[];

  @ApiProperty({ type: String, nullable: true, example: null, description: '不分页，恒为 null' })
  nextCursor: null;
}

export class WorkingDaysView {
  @ApiProperty({ example: '2025-09-30', description: '发布日期（不计入）' })
  from: string;

  @ApiProperty({ example: 5, description: '工作日天数' })
  days: number;

  @ApiProperty({ example: '2025-10-14', description: '第 N 个工作日（北京时间日期）' })
  endDate: string;

  @ApiProperty({ example: '2025-10-14T16:00:00.000Z', description: '截止时刻：endDate 当日 24:00（北京时间），以 UTC 表示' })
  endsAt: string;

  @ApiProperty({ example: false, description: '是否暂定：计算经过的日期中有年份尚未按国务院通知正式录入（R-APP-5）' })
  provisional: boolean;

  @ApiProperty({ type: [Number], example: [], description: '导致暂定的年份' })
  provisionalYears: number[];
}
