import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { OFFERING_KINDS, OfferingKind } from '../offering.entity';
import { Trim } from '../../../src/http/transforms';

export class CreateOfferingDto {
  @ApiProperty({ enum: OFFERING_KINDS, enumName: 'OfferingKind', example: 'post', description: 'post 实践岗位；project 技术项目' })
  @IsIn(OFFERING_KINDS)
  kind: OfferingKind;

  @ApiProperty({ example: '五轴数控加工中心操作岗' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ example: '在导师指导下完成航空结构件五轴加工，参与工艺优化' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional({ example: ['多轴数控编程', '复杂零件工艺设计', '精密测量'], description: '对应的职业技能标准条目' })
  @IsOptional()
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  @ArrayMaxSize(50)
  skillItems?: string[];

  @ApiProperty({ example: 6, description: '可接收学生人数' })
  @IsInt()
  @Min(0)
  @Max(10000)
  capacity: number;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: '面向的专业（本校）' })
  @IsOptional()
  @IsUUID()
  programmeId?: string | null;
}

export class UpdateOfferingDto {
  @ApiPropertyOptional({ example: '五轴数控加工中心操作岗' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional({ example: ['多轴数控编程'] })
  @IsOptional()
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  @ArrayMaxSize(50)
  skillItems?: string[];

  @ApiPropertyOptional({ example: 8 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  capacity?: number;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  programmeId?: string | null;

  @ApiProperty({ example: 1, description: '读取时的版本号；与当前版本不一致时返回 409' })
  @IsInt()
  @Min(1)
  version: number;
}

export class OfferingListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: '按企业筛选（院校用户）' })
  @IsOptional()
  @IsUUID()
  enterpriseId?: string;

  @ApiPropertyOptional({ enum: OFFERING_KINDS, enumName: 'OfferingKind' })
  @IsOptional()
  @IsIn(OFFERING_KINDS)
  kind?: OfferingKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programmeId?: string;
}

export class OfferingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ enum: OFFERING_KINDS, enumName: 'OfferingKind' }) kind: OfferingKind;
  @ApiProperty({ example: '五轴数控加工中心操作岗' }) title: string;
  @ApiPropertyOptional({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: ['多轴数控编程'] }) skillItems: string[];
  @ApiProperty({ example: 6 }) capacity: number;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) programmeId: string | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class OfferingPage {
  @ApiProperty({ type: [OfferingView] }) items: OfferingView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
