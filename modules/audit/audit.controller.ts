import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../../src/auth/decorators';
import { Page } from '../../src/http/pagination';
import type { Actor } from '../../src/tenancy/request-context';
import { AuditService } from './audit.service';
import { AuditEntryView, AuditQueryDto, AuditPage } from './dto/audit-query.dto';

@ApiTags('审计日志 audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission('audit.read')
  @ApiOperation({
    summary: '查询审计日志',
    description: '院校管理员只能看到本校的记录；省级管理员看到全部，可按院校筛选。按时间倒序，游标分页。',
  })
  @ApiOkResponse({ type: AuditPage, description: '{ items, nextCursor }，新的在前' })
  list(@Query() query: AuditQueryDto, @CurrentActor() actor: Actor): Promise<Page<AuditEntryView>> {
    return this.audit.list(actor, query);
  }
}
