import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { NestedObjects } from '../../../src/http/nested';
import { PageQuery } from '../../../src/http/pagination';
import { Trim } from '../../../src/http/transforms';
import { IsDateOnly } from '../../reference-data';
import { DEFENCE_RESULTS, DefenceResult, MID_CHECK_RESULTS, MidCheckResult, PANEL_ROLES, PanelRole } from '../project.entity';
import { NamedRefView } from '../../../src/http/openapi/views';

export const SIDES = ['college', 'enterprise'] as const;

export class CreateProjectDto {
  @ApiProperty({ format: 'uuid', description: '技师阶段的学生' }) @IsUUID() studentId: string;
  @ApiProperty({ example: '薄壁套类零件数控车削变形控制工艺研究' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(200) topic: string;
  @ApiProperty({ example: '针对企业液压缸套加工中的变形问题，优化装夹方式与切削参数。' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(8000) summary: string;
}

export class UpdateTopicDto {
  @ApiProperty({ example: '薄壁套类零件数控车削变形控制工艺研究' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(200) topic: string;
  @ApiProperty({ example: '针对企业液压缸套加工中的变形问题，优化装夹方式与切削参数。' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(8000) summary: string;
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) version: number;
}

export class ApproveTopicDto {
  @ApiProperty({ enum: SIDES, enumName: 'Side', description: '审批方：college 院校导师 / enterprise 企业导师。导师本人只能审批自己一方；院校管理员和教务人员可代录该生在任导师的书面审批' })
  @IsIn(SIDES)
  side: (typeof SIDES)[number];
}

export class AddMilestoneDto {
  @ApiProperty({ example: '完成工艺方案与试切' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiProperty({ example: '2027-03-31' }) @IsDateOnly() dueOn: string;
  @ApiPropertyOptional({ example: '2027-03-28' }) @IsOptional() @IsDateOnly() doneOn?: string;
  @ApiPropertyOptional({ example: '试切 20 件，变形量下降 60%' }) @IsOptional() @Trim() @IsString() @MaxLength(4000) notes?: string;
}

export class CompleteMilestoneDto {
  @ApiProperty({ example: '2027-03-28' }) @IsDateOnly() doneOn: string;
  @ApiPropertyOptional({ example: '试切 20 件，变形量下降 60%' }) @IsOptional() @Trim() @IsString() @MaxLength(4000) notes?: string;
}

export class MidCheckDto {
  @ApiProperty({ example: '2027-04-15' }) @IsDateOnly() checkedOn: string;
  @ApiProperty({ enum: MID_CHECK_RESULTS, enumName: 'MidCheckResult', description: 'pass 通过 / needs-improvement 需改进' }) @IsIn(MID_CHECK_RESULTS) result: MidCheckResult;
  @ApiProperty({ example: '进度符合计划，数据记录完整。' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(4000) comment: string;
}

export class PanelMemberDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() staffMemberId: string;
  @ApiProperty({ example: 85 }) @IsInt() @Min(0) @Max(100) score: number;
  @ApiPropertyOptional({ example: '工艺分析透彻，答辩表达清楚。' }) @IsOptional() @Trim() @IsString() @MaxLength(2000) comment?: string;
}

export class DefenceDto {
  @ApiProperty({ example: '2027-06-10' }) @IsDateOnly() heldOn: string;
  @ApiProperty({ type: [PanelMemberDto], description: '评审组：该生的院校导师、企业导师和至少一名其他专家（师资库中 expert=true）' })
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(15)
  @NestedObjects(() => PanelMemberDto)
  panel: PanelMemberDto[];
  @ApiProperty({ enum: DEFENCE_RESULTS, enumName: 'DefenceResult', description: 'pass 通过 / fail 未通过' }) @IsIn(DEFENCE_RESULTS) result: DefenceResult;
  @ApiPropertyOptional({ example: '答辩通过，建议推广至企业生产。' }) @IsOptional() @Trim() @IsString() @MaxLength(4000) comment?: string;
}

export class ProjectListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() studentId?: string;
}

export class ApprovalView {
  @ApiProperty({ type: NamedRefView, example: { id: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', name: '陈国华' } }) by: { id: string; name: string };
  @ApiProperty() at: string;
}

export class MilestoneView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() dueOn: string;
  @ApiPropertyOptional({ nullable: true, type: String }) doneOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) notes: string | null;
}

export class PanelMemberView {
  @ApiProperty({ type: NamedRefView }) member: { id: string; name: string };
  @ApiProperty({ enum: PANEL_ROLES, enumName: 'DefencePanelRole' }) role: PanelRole;
  @ApiProperty() score: number;
  @ApiPropertyOptional({ nullable: true, type: String }) comment: string | null;
}

export class ProjectApprovalsView {
  @ApiProperty({ type: ApprovalView, nullable: true }) college: ApprovalView | null;
  @ApiProperty({ type: ApprovalView, nullable: true }) enterprise: ApprovalView | null;
}

export class MidCheckView {
  @ApiProperty({ example: '2026-12-15' }) on: string;
  @ApiProperty({ example: 'pass', maxLength: 32 }) result: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 4000 }) comment: string | null;
}

export class DefenceView {
  @ApiProperty({ example: '2027-06-20' }) on: string;
  @ApiProperty({ enum: DEFENCE_RESULTS, enumName: 'DefenceResult' }) result: string;
  @ApiProperty({ type: Number, nullable: true, example: 88 }) score: number | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 4000 }) comment: string | null;
  @ApiProperty({ type: [PanelMemberView] }) panel: PanelMemberView[];
}

export class ProjectView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: NamedRefView, example: { id: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', name: '李明轩' } }) student: { id: string; name: string };
  @ApiProperty() topic: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: () => ProjectApprovalsView, description: '两位导师的审批（R-TRN-3），未审批为 null' })
  approvals: { college: ApprovalView | null; enterprise: ApprovalView | null };
  @ApiProperty({ description: '两位导师均已审批' }) topicApproved: boolean;
  @ApiProperty({ type: [MilestoneView] }) milestones: MilestoneView[];
  @ApiPropertyOptional({ nullable: true, type: () => MidCheckView }) midCheck: { on: string; result: string; comment: string | null } | null;
  @ApiPropertyOptional({ nullable: true, type: () => DefenceView })
  defence: { on: string; result: string; score: number | null; comment: string | null; panel: PanelMemberView[] } | null;
  @ApiProperty({ example: 1 }) version: number;
}

export class ProjectPage {
  @ApiProperty({ type: [ProjectView] }) items: ProjectView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
