import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public, RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import { CONTENT_TYPES } from './domain/report';
import { ReportLinkView, ReportListQuery, ReportPage, ReportView, RequestReportDto } from './dto/report.dto';
import { ReportErrors } from './reports.errors';
import { ReportsService } from './reports.service';

const reportId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(ReportErrors.NOT_FOUND) });

function disposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

@ApiTags('报表 reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @RequirePermission('reports.request')
  @ApiOperation({
    summary: '申请生成报表（后台任务）',
    description:
      '关键指标报表（班级、专业、学院、全省；XLSX 每个层级一个工作表，PDF 含表格和各指标与目标的对比图）或试点专业评估材料汇编（PDF，中期评估或结业质量评估，R-GOV-3）。院校人员只能生成本校的报表；省级用户可生成任一学院和全省的报表。返回 queued 状态，用 GET /reports/{id} 查看进度。',
  })
  @ApiCreatedResponse({ type: ReportView })
  request(@Body() dto: RequestReportDto): Promise<ReportView> {
    return this.reports.request(dto);
  }

  @Get()
  @RequirePermission('reports.read')
  @ApiOperation({ summary: '报表列表（新的在前）', description: '院校用户看到本校的报表，省级用户看到省级生成的报表（含每月自动生成的全省报表）；mine=true 只看自己申请的。' })
  @ApiOkResponse({ type: ReportPage })
  list(@Query() query: ReportListQuery): Promise<ReportPage> {
    return this.reports.list(query);
  }

  @Get(':id')
  @RequirePermission('reports.read')
  @ApiOperation({ summary: '报表状态与进度', description: '状态 queued → running → done / failed；其他院校的报表返回 404。' })
  @ApiOkResponse({ type: ReportView })
  get(@Param('id', reportId) id: string): Promise<ReportView> {
    return this.reports.get(id);
  }

  @Post(':id/link')
  @HttpCode(200)
  @RequirePermission('reports.read')
  @ApiOperation({ summary: '获取下载链接（15 分钟内有效）', description: '报表完成后返回一个无需登录的签名下载地址；未完成时 409。' })
  @ApiOkResponse({ type: ReportLinkView })
  link(@Param('id', reportId) id: string): Promise<ReportLinkView> {
    return this.reports.link(id);
  }

  /**
   * A capability URL, like a storage provider's presigned URL: the signed part grants one
   * report's file for 15 minutes and nothing else (its key is derived apart from the JWT's, so
   * it never works as an access token). It may appear in access logs; it expires before it matters.
   */
  @Get('files/:link')
  @Public()
  @ApiProduces(CONTENT_TYPES.pdf, CONTENT_TYPES.xlsx)
  @ApiOperation({ summary: '按下载链接下载报表文件', description: '链接由 POST /reports/{id}/link 签发；过期返回 410 REPORTS.LINK_EXPIRED，无效返回 404。' })
  @ApiOkResponse({ description: '报表文件', schema: { type: 'string', format: 'binary' } })
  async download(@Param('link') link: string): Promise<StreamableFile> {
    const file = await this.reports.open(link);
    return new StreamableFile(file.stream, { type: file.contentType, length: file.size, disposition: disposition(file.filename) });
  }
}
