import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { TENANT_TIERS, TenantStatus, TenantTier } from '../tenant.entity';
import { Trim } from '../../../src/http/transforms';

export class CreateTenantDto {
  @ApiProperty({ example: 'GZGM', description: '院校代码（字母、数字、短横线，2–32 位，唯一）' })
  @Trim()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{2,32}$/)
  code: string;

  @ApiProperty({ example: '广州市工贸技师学院', description: '院校中文全称' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: TENANT_TIERS, enumName: 'TenantTier', example: 'batch1', description: '层级（R-COL-1）：第一批、第二批（含创建、培育单位）或其他' })
  @IsIn(TENANT_TIERS)
  tier: TenantTier;

  @ApiProperty({ example: '广州', description: '所在地市' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  city: string;
}

export class UpdateTenantDto {
  @ApiPropertyOptional({ example: '广州市工贸技师学院' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ enum: TENANT_TIERS, enumName: 'TenantTier', example: 'batch2' })
  @IsOptional()
  @IsIn(TENANT_TIERS)
  tier?: TenantTier;

  @ApiPropertyOptional({ example: '佛山' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  city?: string;

  @ApiProperty({ example: 1, description: '读取时的版本号；与当前版本不一致时返回 409，防止覆盖他人修改' })
  @IsInt()
  @Min(1)
  version: number;
}

export class SuspendTenantDto {
  @ApiProperty({ example: '试点评估不合格，暂停使用', description: '停用原因（必填，记入审计日志）' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class TenantListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TENANT_TIERS, enumName: 'TenantTier' })
  @IsOptional()
  @IsIn(TENANT_TIERS)
  tier?: TenantTier;

  @ApiPropertyOptional({ enum: ['active', 'suspended'], enumName: 'TenantStatus' })
  @IsOptional()
  @IsIn(['active', 'suspended'])
  status?: TenantStatus;

  @ApiPropertyOptional({ example: '广州', description: '按名称、代码或城市模糊查找' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;
}

export class TenantView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'GZGM' }) code: string;
  @ApiProperty({ example: '广州市工贸技师学院' }) name: string;
  @ApiProperty({ enum: TENANT_TIERS, enumName: 'TenantTier' }) tier: TenantTier;
  @ApiProperty({ example: '广州' }) city: string;
  @ApiProperty({ enum: ['active', 'suspended'], enumName: 'TenantStatus' }) status: TenantStatus;
  @ApiPropertyOptional({ nullable: true, type: String }) suspendedReason: string | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class TenantPage {
  @ApiProperty({ type: [TenantView] }) items: TenantView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
