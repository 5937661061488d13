import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { TEAM_ROLES, TeamRole } from '../team.entity';
import { Trim } from '../../../src/http/transforms';
import { NamedRefView } from '../../../src/http/openapi/views';

export class CreateTeamDto {
  @ApiProperty({ format: 'uuid', description: '专业' })
  @IsUUID()
  programmeId: string;

  @ApiPropertyOptional({ format: 'uuid', description: '班级（可选：为某一班级单独组建团队）' })
  @IsOptional()
  @IsUUID()
  cohortId?: string;

  @ApiProperty({ example: '数控加工专业教学和考评团队' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

export class AddTeamMemberDto {
  @ApiProperty({ format: 'uuid', description: '师资人员（院校教师或企业导师）' })
  @IsUUID()
  staffMemberId: string;

  @ApiProperty({ enum: TEAM_ROLES, enumName: 'TeamRole', example: 'teacher', description: 'lead 负责人 / teacher 教师 / mentor 导师 / assessor 考评员' })
  @IsIn(TEAM_ROLES)
  role: TeamRole;
}

export class TeamListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: '省级用户：只看某院校' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programmeId?: string;
}

export class ComplianceQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programmeId: string;

  @ApiPropertyOptional({ format: 'uuid', description: '班级：有班级团队时按班级团队判定，否则按专业团队' })
  @IsOptional()
  @IsUUID()
  cohortId?: string;
}

export class ReasonView {
  @ApiProperty({ example: '还需增加1名企业导师（目前企业导师2名/共7名，需不低于30%）' }) zh: string;
  @ApiProperty({ example: 'Add 1 more enterprise mentor (now 2 of 7; at least 30% needed)' }) en: string;
}

export class EnterpriseShareView {
  @ApiProperty({ example: 3 }) enterprise: number;
  @ApiProperty({ example: 10 }) total: number;
  @ApiProperty({ example: 0.3, nullable: true, type: Number, description: '无成员时为 null（无数据）' }) ratio: number | null;
  @ApiProperty({ example: 0.3 }) threshold: 0.3;
  @ApiProperty() met: boolean;
}

export class ExpertsView {
  @ApiProperty({ example: 5 }) count: number;
  @ApiProperty({ example: 5 }) threshold: 5;
  @ApiProperty() met: boolean;
}

export class ComplianceView {
  @ApiProperty({ description: 'R-EVA-2：企业导师占比 ≥ 30% 且专家 ≥ 5 名' }) compliant: boolean;
  @ApiProperty({ type: EnterpriseShareView }) enterpriseShare: EnterpriseShareView;
  @ApiProperty({ type: ExpertsView }) experts: ExpertsView;
  @ApiProperty({ type: [ReasonView], description: '尚缺什么（中英文）' }) missing: ReasonView[];
}

export class ProgrammeComplianceView extends ComplianceView {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: '据以判定的团队；无团队时为 null' }) teamId: string | null;
}

export class TeamMemberView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: TEAM_ROLES, enumName: 'TeamRole' }) role: TeamRole;
  @ApiProperty({ format: 'uuid' }) staffMemberId: string;
  @ApiProperty({ example: '陈国华' }) name: string;
  @ApiProperty({ enum: ['college', 'enterprise'], enumName: 'Side' }) side: 'college' | 'enterprise';
  @ApiPropertyOptional({ nullable: true, type: String }) enterpriseName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '高级讲师' }) titleName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '二级/技师' }) skillLevelNameZh: string | null;
  @ApiProperty() expert: boolean;
  @ApiProperty({ description: '是否计入合规统计（在职且已确认）' }) counted: boolean;
}

export class TeamView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ type: NamedRefView, example: { id: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', name: '数控加工（数控车工）' } }) programme: { id: string; name: string };
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) cohortId: string | null;
  @ApiProperty({ example: '数控加工专业教学和考评团队' }) name: string;
  @ApiProperty({ type: ComplianceView, description: '每次读取时实时计算（R-EVA-2）' }) compliance: ComplianceView;
  @ApiPropertyOptional({ type: [TeamMemberView], description: '详情接口返回' }) members?: TeamMemberView[];
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class TeamPage {
  @ApiProperty({ type: [TeamView] }) items: TeamView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
