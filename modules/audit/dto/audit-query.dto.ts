import { ApiPropertyOptional } from '@nestjs/swagger';
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
  id: string;
  tenantId: string | null;
  occurredAt: string;
  actorUserId: string | null;
  actorRole: string | null;
  entity: string;
  entityId: string | null;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
  ip: string | null;
}
