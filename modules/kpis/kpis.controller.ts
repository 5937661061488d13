import { Controller, Get, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import { collegeWorkbook, provinceWorkbook } from './dashboard-export';
import { CollegeDashboardView, CollegeQuery, KpiSetView, ProvinceDashboardView, ProvinceQuery } from './dto/kpi.dto';
import { KpiErrors } from './kpis.errors';
import { KpisService } from './kpis.service';

const cohortId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(KpiErrors.COHORT_NOT_FOUND) });
const programmeId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(KpiErrors.PROGRAMME_NOT_FOUND) });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function disposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

const KPI_NOTE =
  'DOMAIN §4：技师水平达成率 ≥ 80%（毕业生为分母，任一途径达成计一次）；对口就业率 ≥ 60%、薪酬高于技师岗位基准占比 > 60%（就业毕业生为分母）；分母为 0 时 ratio、met 为 null（无数据）。班级、专业、院校 KPI 每次请求实时计算；全省 KPI 与两个看板汇总各班级的已存统计（与实时计算同一 SQL），computedAt 为其中最早的计算时间。';

@ApiTags('KPI 与看板 kpis')
@Controller()
export class KpisController {
  constructor(private readonly kpis: KpisService) {}

  @Get('kpis/cohorts/:id')
  @RequirePermission('kpis.read')
  @ApiOperation({ summary: '班级 KPI（含背后的学生：院校用户见姓名，省级用户只见人数）', description: KPI_NOTE })
  @ApiOkResponse({ type: KpiSetView })
  cohort(@Param('id', cohortId) id: string): Promise<KpiSetView> {
    return this.kpis.cohort(id);
  }

  @Get('kpis/programmes/:id')
  @RequirePermission('kpis.read')
  @ApiOperation({ summary: '专业 KPI（各班级人数之和）', description: KPI_NOTE })
  @ApiOkResponse({ type: KpiSetView })
  programme(@Param('id', programmeId) id: string): Promise<KpiSetView> {
    return this.kpis.programme(id);
  }

  @Get('kpis/college')
  @RequirePermission('kpis.read')
  @ApiOperation({ summary: '院校 KPI（各班级人数之和，不是比率平均）', description: KPI_NOTE })
  @ApiOkResponse({ type: KpiSetView })
  college(@Query() query: CollegeQuery): Promise<KpiSetView> {
    return this.kpis.college(query.tenantId);
  }

  @Get('kpis/province')
  @RequirePermission('dashboards.province')
  @ApiOperation({ summary: '全省 KPI（各院校人数之和）', description: KPI_NOTE })
  @ApiOkResponse({ type: KpiSetView })
  province(@Query() query: ProvinceQuery): Promise<KpiSetView> {
    return this.kpis.province({ tier: query.tier, city: query.city, cluster: query.cluster, year: query.year });
  }

  @Get('dashboards/college')
  @RequirePermission('dashboards.college')
  @ApiOperation({
    summary: '院校看板：专业与班级的全部 KPI、学生阶段分布、实践学时预警、团队合规、各企业待录入结果',
    description: `${KPI_NOTE} 班级统计在相关写入（考核提交、证书审核、毕业、就业记录与回访、分流、实践学时确认）后约 15 秒内由后台任务重算，每晚全部重算。`,
  })
  @ApiOkResponse({ type: CollegeDashboardView })
  collegeDashboard(@Query() query: CollegeQuery): Promise<CollegeDashboardView> {
    return this.kpis.collegeDashboard(query.tenantId);
  }

  @Get('dashboards/college.xlsx')
  @RequirePermission('dashboards.college')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '导出院校看板（Excel：学院、专业、班级各一页，中文表头）' })
  @ApiOkResponse({ description: 'Excel 文件', schema: { type: 'string', format: 'binary' } })
  async collegeXlsx(@Query() query: CollegeQuery): Promise<StreamableFile> {
    const d = await this.kpis.collegeDashboard(query.tenantId);
    const buffer = await collegeWorkbook(d);
    return new StreamableFile(buffer, { type: XLSX, length: buffer.length, disposition: disposition(`院校看板-${d.college.name}.xlsx`) });
  }

  @Get('dashboards/province')
  @RequirePermission('dashboards.province')
  @ApiOperation({
    summary: '全省看板：各院校 KPI（按层次、城市、产业集群、年度筛选，按任一 KPI 排序），红黄绿，试点按状态',
    description: `${KPI_NOTE} 按院校、专业、班级在 SQL 中求和。`,
  })
  @ApiOkResponse({ type: ProvinceDashboardView })
  provinceDashboard(@Query() query: ProvinceQuery): Promise<ProvinceDashboardView> {
    return this.kpis.provinceDashboard(query);
  }

  @Get('dashboards/province.xlsx')
  @RequirePermission('dashboards.province')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '导出全省看板（Excel：全省、院校各一页，中文表头）' })
  @ApiOkResponse({ description: 'Excel 文件', schema: { type: 'string', format: 'binary' } })
  async provinceXlsx(@Query() query: ProvinceQuery): Promise<StreamableFile> {
    const buffer = await provinceWorkbook(await this.kpis.provinceDashboard(query));
    return new StreamableFile(buffer, { type: XLSX, length: buffer.length, disposition: disposition('全省看板.xlsx') });
  }
}
