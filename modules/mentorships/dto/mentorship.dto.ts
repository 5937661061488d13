import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { NestedObjects } from '../../../src/http/nested';
import { PageQuery } from '../../../src/http/pagination';
import { Trim } from '../../../src/http/transforms';
import { IsDateOnly } from '../../reference-data';
import { GUIDANCE_KINDS, GuidanceKind, MENTOR_SIDES, MentorSide } from '../mentorship.entity';
import { NamedRefView } from '../../../src/http/openapi/views';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class AssignMentorDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() studentId: string;
  @ApiProperty({ enum: MENTOR_SIDES, enumName: 'Side' }) @IsIn(MENTOR_SIDES) side: MentorSide;
  @ApiProperty({ format: 'uuid', description: '导师（师资人员）' }) @IsUUID() staffMemberId: string;
  @ApiPropertyOptional({ example: '2026-09-01', description: '起始日期，默认今天' }) @IsOptional() @IsDateOnly() startedOn?: string;
}

export class BulkAssignDto {
  @ApiProperty({ type: [AssignMentorDto], description: '整批分配（如一个班级）：任何一行有错则全部不保存，并逐行报告错误' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @NestedObjects(() => AssignMentorDto)
  rows: AssignMentorDto[];
}

export class ReassignMentorDto {
  @ApiProperty({ format: 'uuid', description: '新导师' }) @IsUUID() staffMemberId: string;
  @ApiProperty({ example: '2027-03-01', description: '更换日期：原导师关系于此日结束，新导师于此日开始' }) @IsDateOnly() on: string;
  @ApiProperty({ example: '原导师调岗' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class MentorshipListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() studentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() staffMemberId?: string;
  @ApiPropertyOptional({ description: 'true 只看在任；false 只看历史' }) @IsOptional() @Transform(toBool) @IsBoolean() active?: boolean;
}

export class RecordGuidanceDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() studentId: string;
  @ApiProperty({ example: '2026-10-15' }) @IsDateOnly() occurredOn: string;
  @ApiProperty({ enum: GUIDANCE_KINDS, enumName: 'GuidanceKind', description: 'topic-selection 课题选题 / project-study 项目研修 / practice 实践 / defence-preparation 答辩准备' })
  @IsIn(GUIDANCE_KINDS)
  kind: GuidanceKind;
  @ApiProperty({ example: '讨论课题方向：数控车削薄壁件变形控制' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(4000) notes: string;
}

export class GuidanceListQuery extends PageQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() studentId: string;
}

export class WarningView {
  @ApiProperty({ example: 'MENTOR_LOAD' }) code: string;
  @ApiProperty({ example: '企业导师黎国栋在带学生9名，超过建议上限8名' }) zh: string;
  @ApiProperty() en: string;
}

/** A mentor with the enterprise they work for (null: a college mentor). */
export class MentorRefView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '黎国栋', maxLength: 200 }) name: string;
  @ApiProperty({ type: String, nullable: true, example: '广州精工数控设备有限公司', maxLength: 200 }) enterpriseName: string | null;
}

export class MentorshipView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: NamedRefView, example: { id: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', name: '张三' } }) student: { id: string; name: string };
  @ApiProperty({ enum: MENTOR_SIDES, enumName: 'Side' }) side: MentorSide;
  @ApiProperty({ type: () => MentorRefView, example: { id: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', name: '黎国栋', enterpriseName: '广州精工数控设备有限公司' } })
  mentor: { id: string; name: string; enterpriseName: string | null };
  @ApiProperty({ example: '2026-09-01' }) startedOn: string;
  @ApiPropertyOptional({ nullable: true, type: String }) endedOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) endReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) replacedBy: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ example: 1 }) version: number;
}

export class AssignResultView {
  @ApiProperty({ type: MentorshipView }) mentorship: MentorshipView;
  @ApiProperty({ type: [WarningView], description: '提示而非错误，如导师带生数超过设置（默认 8 名）' }) warnings: WarningView[];
}

export class BulkResultView {
  @ApiProperty({ type: [MentorshipView] }) items: MentorshipView[];
  @ApiProperty({ type: [WarningView] }) warnings: WarningView[];
}

export class MentorshipPage {
  @ApiProperty({ type: [MentorshipView] }) items: MentorshipView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** The mentor who gave the guidance. */
export class GuidanceMentorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '黎国栋', maxLength: 200 }) name: string;
  @ApiProperty({ enum: MENTOR_SIDES, enumName: 'Side' }) side: MentorSide;
}

export class GuidanceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) studentId: string;
  @ApiProperty({ format: 'uuid' }) mentorshipId: string;
  @ApiProperty({ type: () => GuidanceMentorView }) mentor: { id: string; name: string; side: MentorSide };
  @ApiProperty() occurredOn: string;
  @ApiProperty({ enum: GUIDANCE_KINDS, enumName: 'GuidanceKind' }) kind: GuidanceKind;
  @ApiProperty() notes: string;
  @ApiProperty() createdAt: string;
}

export class GuidancePage {
  @ApiProperty({ type: [GuidanceView] }) items: GuidanceView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
