import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import { CohortErrors } from './cohorts.errors';
import { CohortsService } from './cohorts.service';
import { CohortListQuery, CohortPage, CohortView, CreateCohortDto } from './dto/cohort.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(CohortErrors.NOT_FOUND) });

@ApiTags('班级 cohorts')
@Controller('cohorts')
export class CohortsController {
  constructor(private readonly cohorts: CohortsService) {}

  @Post()
  @RequirePermission('cohorts.manage')
  @ApiOperation({
    summary: '新建学制技师班',
    description:
      '专业 + 培养方案版本 + 年级 + 学制 + 开学日期。学制年限、高级工阶段结束日期与预计毕业日期由学制导出（R-TRK-1），不可填写；弹性学制须自定年限与分段并写明理由（R-TRK-2）。日期按“同日，若该月无此日则取月末”计算。',
  })
  @ApiCreatedResponse({ type: CohortView })
  create(@Body() dto: CreateCohortDto): Promise<CohortView> {
    return this.cohorts.create(dto);
  }

  @Get()
  @RequirePermission('cohorts.read')
  @ApiOperation({ summary: '班级列表', description: '院校用户看本校；企业用户看本企业合作专业的班级；省级用户看全省（可按院校筛选）。按年级倒序、名称排序，游标分页。' })
  @ApiOkResponse({ type: CohortPage })
  list(@Query() query: CohortListQuery) {
    return this.cohorts.list(query);
  }

  @Get(':id')
  @RequirePermission('cohorts.read')
  @ApiOperation({ summary: '班级详情（导出日期、分流节点、人数与班额提示）' })
  @ApiOkResponse({ type: CohortView })
  get(@Param('id', uuid) id: string): Promise<CohortView> {
    return this.cohorts.get(id);
  }

  @Post(':id/start')
  @HttpCode(200)
  @RequirePermission('cohorts.manage')
  @ApiOperation({
    summary: '开班',
    description: '须有已签署且在有效期内的校企合作协议（R-TRN-1）及达标的教学和考评团队（R-EVA-2），否则 422 并列出全部原因。开班后已录取学生转为在读。',
  })
  @ApiOkResponse({ type: CohortView })
  start(@Param('id', uuid) id: string): Promise<CohortView> {
    return this.cohorts.start(id);
  }
}
