import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { NestedObject, NestedObjects } from '../../../src/http/nested';
import { PageQuery } from '../../../src/http/pagination';
import { IsDateOnly } from '../../reference-data';
import type { ExpertBasis } from '../domain/expert';
import {
  CONFIRMATIONS,
  Confirmation,
  GENDERS,
  Gender,
  STAFF_SIDES,
  STAFF_STATUSES,
  StaffSide,
  StaffStatus,
  TITLE_SERIES,
  TitleSeries,
} from '../staff-member.entity';
import { Trim } from '../../../src/http/transforms';
import { NamedRefView } from '../../../src/http/openapi/views';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class TitleDto {
  @ApiProperty({ enum: TITLE_SERIES, enumName: 'TitleSeries', example: 'theory', description: '职称系列：theory 讲师系列、practice 实习指导教师系列、engineering 工程技术系列、other 其他' })
  @IsIn(TITLE_SERIES)
  series: TitleSeries;

  @ApiProperty({ example: 'deputy-senior', description: '职称等级代码（参考数据 professional-titles：junior-clerk … full-senior）' })
  @IsString()
  @MaxLength(32)
  levelCode: string;

  @ApiPropertyOptional({ example: '高级讲师', description: '证书上的职称名称（如 高级讲师、高级工程师）；省略时按系列与等级取标准名称' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  name?: string;
}

export class CertificateDto {
  @ApiProperty({ example: '数控车工职业技能等级证书' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ example: '二级/技师' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  level?: string;

  @ApiPropertyOptional({ example: 'S000044010000232000123' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  number?: string;

  @ApiPropertyOptional({ example: '2021-06-30' })
  @IsOptional()
  @IsDateOnly()
  issuedOn?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '证书扫描件（附件 id，须为本校附件）' })
  @IsOptional()
  @IsUUID()
  attachmentId?: string;
}

export class CreateStaffDto {
  @ApiProperty({ enum: STAFF_SIDES, enumName: 'Side', example: 'college', description: 'college 院校教师 / enterprise 企业导师（企业管理员只能添加本企业导师）' })
  @IsIn(STAFF_SIDES)
  side: StaffSide;

  @ApiPropertyOptional({ format: 'uuid', description: '企业导师所属合作企业（院校添加时必填；企业管理员添加时默认本企业）' })
  @IsOptional()
  @IsUUID()
  enterpriseId?: string;

  @ApiProperty({ example: '陈国华' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  name: string;

  @ApiProperty({ enum: GENDERS, enumName: 'Gender', example: 'male' })
  @IsIn(GENDERS)
  gender: Gender;

  @ApiPropertyOptional({ type: TitleDto, description: '专业技术职称（系列 + 等级）' })
  @IsOptional()
  @NestedObject(() => TitleDto)
  title?: TitleDto;

  @ApiPropertyOptional({ example: 'level-2', description: '职业技能等级代码（参考数据 skill-levels）' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  skillLevelCode?: string;

  @ApiProperty({ example: '数控加工', description: '专业领域' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  field: string;

  @ApiPropertyOptional({ type: [CertificateDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @NestedObjects(() => CertificateDto)
  certificates?: CertificateDto[];

  @ApiPropertyOptional({ format: 'uuid', description: '关联的用户账号（关联后导师登录可看到自己的学生）' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class UpdateStaffDto {
  @ApiPropertyOptional({ example: '陈国华' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  name?: string;

  @ApiPropertyOptional({ enum: GENDERS, enumName: 'Gender' })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender;

  @ApiPropertyOptional({ type: TitleDto, nullable: true, description: 'null 清除职称' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @NestedObject(() => TitleDto)
  title?: TitleDto | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'level-1', description: 'null 清除技能等级' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(32)
  skillLevelCode?: string | null;

  @ApiPropertyOptional({ example: '智能制造' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  field?: string;

  @ApiPropertyOptional({ type: [CertificateDto], description: '整体替换证书列表' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @NestedObjects(() => CertificateDto)
  certificates?: CertificateDto[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  userId?: string | null;

  @ApiProperty({ example: 1, description: '读取时的版本号；不一致返回 409' })
  @IsInt()
  @Min(1)
  version: number;
}

export class LeaveStaffDto {
  @ApiProperty({ example: '2026-07-31', description: '离任日期' })
  @IsDateOnly()
  leftOn: string;

  @ApiProperty({ example: '调离本校' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  @ApiPropertyOptional({ format: 'uuid', description: '接替人：其在带学生等未完成事项转给接替人（有未完成事项时必填）' })
  @IsOptional()
  @IsUUID()
  successorId?: string;
}

export class RejectStaffDto {
  @ApiProperty({ example: '该员工已调岗，不再担任导师' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class StaffListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: '省级用户：只看某院校' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ enum: STAFF_SIDES, enumName: 'Side' })
  @IsOptional()
  @IsIn(STAFF_SIDES)
  side?: StaffSide;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  enterpriseId?: string;

  @ApiPropertyOptional({ enum: STAFF_STATUSES, enumName: 'StaffStatus' })
  @IsOptional()
  @IsIn(STAFF_STATUSES)
  status?: StaffStatus;

  @ApiPropertyOptional({ enum: CONFIRMATIONS, enumName: 'StaffConfirmation' })
  @IsOptional()
  @IsIn(CONFIRMATIONS)
  confirmation?: Confirmation;

  @ApiPropertyOptional({ description: '只看专家（true）或非专家（false），R-EVA-2' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  expert?: boolean;

  @ApiPropertyOptional({ example: '陈', description: '按姓名或专业领域模糊查找' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;
}

export class TitleView {
  @ApiProperty({ enum: TITLE_SERIES, enumName: 'TitleSeries' }) series: TitleSeries;
  @ApiProperty({ example: 'deputy-senior' }) levelCode: string;
  @ApiProperty({ example: '副高级' }) levelNameZh: string;
  @ApiProperty({ example: '高级' }) bandZh: string;
  @ApiProperty({ example: '高级讲师' }) name: string;
  @ApiProperty({ description: '副高级或正高级' }) senior: boolean;
}

export class SkillLevelRefView {
  @ApiProperty({ example: 'level-2' }) code: string;
  @ApiProperty({ example: '二级/技师' }) nameZh: string;
  @ApiProperty() technicianOrAbove: boolean;
}

export class CertificateView {
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) level: string | null;
  @ApiProperty({ nullable: true, type: String }) number: string | null;
  @ApiProperty({ nullable: true, type: String }) issuedOn: string | null;
  @ApiProperty({ nullable: true, type: String }) attachmentId: string | null;
}

export class StaffView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ enum: STAFF_SIDES, enumName: 'Side' }) side: StaffSide;
  @ApiPropertyOptional({ nullable: true, type: NamedRefView, example: { id: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', name: '广州精工数控设备有限公司' } })
  enterprise: { id: string; name: string } | null;
  @ApiProperty({ example: '陈国华' }) name: string;
  @ApiProperty({ enum: GENDERS, enumName: 'Gender' }) gender: Gender;
  @ApiPropertyOptional({ type: TitleView, nullable: true }) title: TitleView | null;
  @ApiPropertyOptional({ type: SkillLevelRefView, nullable: true }) skillLevel: SkillLevelRefView | null;
  @ApiProperty({ example: '数控加工' }) field: string;
  @ApiProperty({ type: [CertificateView] }) certificates: CertificateView[];
  @ApiProperty({ description: '专家（R-EVA-2，按职称或技能等级自动判定，不可填写）' }) expert: boolean;
  @ApiProperty({ enum: ['title', 'skill-level'], enumName: 'ExpertBasis', isArray: true, description: '专家依据' }) expertBasis: ExpertBasis[];
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) userId: string | null;
  @ApiProperty({ enum: STAFF_STATUSES, enumName: 'StaffStatus' }) status: StaffStatus;
  @ApiPropertyOptional({ nullable: true, type: String }) leftOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) leftReason: string | null;
  @ApiProperty({ enum: CONFIRMATIONS, enumName: 'StaffConfirmation' }) confirmation: Confirmation;
  @ApiPropertyOptional({ nullable: true, type: String }) rejectionReason: string | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class StaffPage {
  @ApiProperty({ type: [StaffView] }) items: StaffView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** Open work handed to the successor, by kind. */
export class HandoverView {
  @ApiProperty({ example: 'mentorships', maxLength: 64 }) kind: string;
  @ApiProperty({ example: 3, minimum: 0, maximum: 100000 }) count: number;
}

export class LeaveResultView {
  @ApiProperty({ type: StaffView }) staff: StaffView;
  @ApiProperty({ type: () => [HandoverView], description: '转给接替人的未完成事项（如在带学生）', example: [{ kind: 'mentorships', count: 3 }] })
  handedOver: { kind: string; count: number }[];
}
