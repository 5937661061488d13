import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Transactional } from '@nestjs-cls/transactional';
import { CurrentActor, RequirePermission } from '../../src/auth/decorators';
import { encodeCursor, Page } from '../../src/http/pagination';
import type { Actor } from '../../src/tenancy/request-context';
import { AuditRepository } from './audit.repository';
import { AuditEntryView, AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('审计日志 audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly repository: AuditRepository) {}

  @Get()
  @RequirePermission('audit.read')
  @Transactional()
  @ApiOperation({
    summary: '查询审计日志',
    description: '院校管理员只能看到本校的记录；省级管理员看到全部，可按院校筛选。按时间倒序，游标分页。',
  })
  @ApiOkResponse({ description: '{ items, nextCursor }' })
  async list(@Query() query: AuditQueryDto, @CurrentActor() actor: Actor): Promise<Page<AuditEntryView>> {
    // A college admin is pinned to their own college whatever ?tenantId= says.
    const tenantId = actor.scope === 'province' ? query.tenantId : actor.tenantId;
    const rows = await this.repository.list({ ...query, tenantId });
    const hasMore = rows.length > query.limit;
    const kept = hasMore ? rows.slice(0, query.limit) : rows;
    const last = kept[kept.length - 1];
    return {
      items: kept.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString() })),
      nextCursor: hasMore && last ? encodeCursor([last.occurredAt.toISOString(), last.id]) : null,
    };
  }
}
