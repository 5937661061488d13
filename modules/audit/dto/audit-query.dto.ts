import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';

export class AuditQueryDto extends PageQuery {
  @ApiPropertyOptional({ description: '院校 ID（仅省级用户可用；院校用户只能看本校）' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ example: 'tenant', description: '实体类型' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entity?: string;

  @ApiPropertyOptional({ description: '实体 ID' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;

  @ApiPropertyOptional({ example: 'suspend', description: '操作' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ description: '操作人用户 ID' })
  @IsOptional()
  @IsUUID()
  actorUserId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00+08:00', description: '起始时间（含）' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+08:00', description: '截止时间（不含）' })
  @IsOptional()
  @IsISO8601()
  to?: string;
}

export class AuditEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '院校；省级操作为 null' }) tenantId: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorUserId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'college-admin', maxLength: 32 }) actorRole: string | null;
  @ApiProperty({ example: 'student', maxLength: 64 }) entity: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 64, description: '实体 ID（多为 UUID，也可能是年份等键）' }) entityId: string | null;
  @ApiProperty({ example: 'create', maxLength: 64 }) action: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: '变更前（个人信息已脱敏）' }) before: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: '变更后（个人信息已脱敏）' }) after: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 64 }) requestId: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 64, example: '203.0.113.7' }) ip: string | null;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEntryView] }) items: AuditEntryView[];
  @ApiProperty({ type: String, nullable: true, maxLength: 500 }) nextCursor: string | null;
}
