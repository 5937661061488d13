import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NestedObject, NestedObjects } from '../../../src/http/nested';
import { PageQuery } from '../../../src/http/pagination';
import { PILOT_STATUSES, PilotStatus } from '../domain/pilot-status';
import { PRIORITY_EXPERIENCE_KINDS, PriorityExperienceKind } from '../programme.entity';
import { Trim } from '../../../src/http/transforms';

const upperAll = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v)) : value;

/** National occupation classification code (《中华人民共和国职业分类大典》), e.g. 6-18-01-01. */
export const OCCUPATION_CODE = /^\d-\d{2}-\d{2}-\d{2}(-\d{2})?$/;

export class OccupationDto {
  @ApiProperty({ example: '6-18-01-01', description: '国家职业分类代码（职业分类大典）' })
  @Trim()
  @IsString()
  @Matches(OCCUPATION_CODE)
  code: string;

  @ApiProperty({ example: '车工', description: '职业（工种）名称' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

export class TalentGapDto {
  @ApiProperty({
    example: '据广州市先进制造业协会 2025 年调研，全市数控加工领域技师级人才缺口约 3200 人，企业普遍反映高技能复合型人才招聘困难。',
    description: '技师层级人才缺口的依据（R-PRG-1）',
  })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  evidence: string;

  @ApiPropertyOptional({ example: 3200, nullable: true, type: Number, description: '缺口人数（已知时填写）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  number?: number | null;
}

export class PriorityExperienceDto {
  @ApiProperty({
    enum: PRIORITY_EXPERIENCE_KINDS, enumName: 'PriorityExperienceKind',
    example: 'worldskills-conversion',
    description: '优先条件（R-PRG-4）：technician-class 已开设学制技师班；preparatory-technician-class 已开设预备技师班；worldskills-conversion 世赛成果转化为教学',
  })
  @IsIn(PRIORITY_EXPERIENCE_KINDS)
  kind: PriorityExperienceKind;

  @ApiProperty({ example: '第46届世界技能大赛数控车项目集训基地，将世赛技术标准转化为 6 个教学项目', description: '情况说明' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  description: string;

  @ApiProperty({ example: '集训基地授牌文件（粤人社函〔2023〕××号）；转化课程教学资料', description: '佐证材料' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  evidence: string;

  @ApiPropertyOptional({ example: 2023, nullable: true, type: Number, description: '年份' })
  @IsOptional()
  @IsInt()
  @Min(1990)
  @Max(2100)
  year?: number | null;
}

export class CreateProgrammeDto {
  @ApiProperty({ example: 'SKJG-01', description: '专业代码（本校唯一；字母、数字、短横线）' })
  @Trim()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{2,32}$/)
  code: string;

  @ApiProperty({ example: '数控加工（数控车工）', description: '专业名称' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ type: OccupationDto, description: '对应国家职业（代码与名称）' })
  @IsDefined()
  @NestedObject(() => OccupationDto)
  occupation: OccupationDto;

  @ApiProperty({ type: [String], example: ['E02', 'E03'], description: '服务的“双十”产业集群代码（R-PRG-1，见 /reference/industry-clusters）' })
  @Transform(upperAll)
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/^[PE]\d{2}$/, { each: true })
  clusterCodes: string[];

  @ApiPropertyOptional({ type: TalentGapDto, nullable: true, description: '人才缺口依据（R-PRG-1）' })
  @IsOptional()
  @NestedObject(() => TalentGapDto)
  talentGap?: TalentGapDto | null;

  @ApiPropertyOptional({ type: [PriorityExperienceDto], description: '优先条件及佐证（R-PRG-4，非必备）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @NestedObjects(() => PriorityExperienceDto)
  priorityExperience?: PriorityExperienceDto[];
}

export class UpdateProgrammeDto {
  @ApiPropertyOptional({ example: 'SKJG-01' })
  @IsOptional()
  @Trim()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{2,32}$/)
  code?: string;

  @ApiPropertyOptional({ example: '数控加工（数控车工）' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ type: OccupationDto })
  @IsOptional()
  @NestedObject(() => OccupationDto)
  occupation?: OccupationDto;

  @ApiPropertyOptional({ type: [String], example: ['E02'] })
  @IsOptional()
  @Transform(upperAll)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/^[PE]\d{2}$/, { each: true })
  clusterCodes?: string[];

  @ApiPropertyOptional({ type: TalentGapDto, nullable: true, description: '传 null 清除' })
  @IsOptional()
  @NestedObject(() => TalentGapDto)
  talentGap?: TalentGapDto | null;

  @ApiPropertyOptional({ type: [PriorityExperienceDto], description: '整体替换' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @NestedObjects(() => PriorityExperienceDto)
  priorityExperience?: PriorityExperienceDto[];

  @ApiPropertyOptional({
    enum: PILOT_STATUSES, enumName: 'PilotStatus',
    example: 'candidate',
    description: '试点状态不能通过本接口修改（与当前状态相同时忽略）：提交试点申报（/pilot-applications）后自动变为 applied（已申报），之后由流程或省级部门更正接口驱动；修改为 applied 返回 422，修改为已申报之后的状态返回 403',
  })
  @IsOptional()
  @IsIn(PILOT_STATUSES)
  pilotStatus?: PilotStatus;

  @ApiProperty({ example: 1, description: '读取时的版本号；与当前版本不一致时返回 409，防止覆盖他人修改' })
  @IsInt()
  @Min(1)
  version: number;
}

export class ProgrammeListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PILOT_STATUSES, enumName: 'PilotStatus' })
  @IsOptional()
  @IsIn(PILOT_STATUSES)
  pilotStatus?: PilotStatus;

  @ApiPropertyOptional({ example: 'E03', description: '按产业集群筛选' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[PE]\d{2}$/)
  clusterCode?: string;

  @ApiPropertyOptional({ example: '6-18-01-01', description: '按职业代码筛选' })
  @IsOptional()
  @Matches(OCCUPATION_CODE)
  occupationCode?: string;

  @ApiPropertyOptional({ example: '数控', description: '按名称或代码模糊查找' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '省级用户按院校筛选；院校用户固定为本校' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

export class ClusterRefView {
  @ApiProperty({ example: 'E02' }) code: string;
  @ApiProperty({ example: '高端装备制造' }) nameZh: string;
  @ApiProperty({ example: 'High-end equipment manufacturing' }) nameEn: string;
}

export class PriorityExperienceView {
  @ApiProperty({ enum: PRIORITY_EXPERIENCE_KINDS, enumName: 'PriorityExperienceKind' }) kind: PriorityExperienceKind;
  @ApiProperty({ example: '2022 年起开设预备技师班 2 届，共 76 人' }) description: string;
  @ApiProperty({ example: '招生计划批复及毕业生名册' }) evidence: string;
  @ApiProperty({ nullable: true, type: Number, example: 2022 }) year: number | null;
}

export class ProgrammeView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: '所属院校' }) tenantId: string;
  @ApiProperty({ example: 'SKJG-01' }) code: string;
  @ApiProperty({ example: '数控加工（数控车工）' }) name: string;
  @ApiProperty({ type: OccupationDto }) occupation: OccupationDto;
  @ApiProperty({ type: [ClusterRefView] }) clusters: ClusterRefView[];
  @ApiProperty({ type: TalentGapDto, nullable: true }) talentGap: { evidence: string; number: number | null } | null;
  @ApiProperty({ type: [PriorityExperienceView] }) priorityExperience: PriorityExperienceView[];
  @ApiProperty({ enum: PILOT_STATUSES, enumName: 'PilotStatus', example: 'candidate', description: '试点状态（DOMAIN §5）' }) pilotStatus: PilotStatus;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ProgrammePage {
  @ApiProperty({ type: [ProgrammeView] }) items: ProgrammeView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** The province moves a pilot beyond `applied` (DOMAIN §5; R-GOV-3 revocation). */
export class SetPilotStatusDto {
  @ApiProperty({ enum: PILOT_STATUSES, enumName: 'PilotStatus', example: 'active', description: '目标试点状态：active（批准试点）、midterm-passed、completed、suspended、revoked，或将已申报退回 candidate' })
  @IsIn(PILOT_STATUSES)
  status: PilotStatus;

  @ApiProperty({ example: '经专家评审与公示，同意该专业开展学制技师培养试点', description: '决定依据（必填，记入审计日志）' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  @ApiProperty({ example: 2, description: '读取时的版本号；不一致返回 409' })
  @IsInt()
  @Min(1)
  version: number;
}
