import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';

import { EligibilityQuery, EligibilityView } from './dto/eligibility.dto';
import { CreateProgrammeDto, ProgrammeListQuery, ProgrammePage, ProgrammeView, SetPilotStatusDto, UpdateProgrammeDto } from './dto/programme.dto';
import { ProgrammeEligibilityService } from './eligibility.service';
import { ProgrammeErrors } from './programmes.errors';
import { ProgrammesService } from './programmes.service';
import { chinaToday } from '../../src/time/china-date';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(ProgrammeErrors.NOT_FOUND) });

@ApiTags('专业 programmes')
@Controller('programmes')
export class ProgrammesController {
  constructor(
    private readonly programmes: ProgrammesService,
    private readonly eligibility: ProgrammeEligibilityService,
  ) {}

  @Post()
  @RequirePermission('programmes.manage')
  @ApiOperation({ summary: '新增专业（院校）', description: '产业集群须为“双十”产业集群目录中的代码（R-PRG-1）。新专业的试点状态为 candidate（候选）。' })
  @ApiCreatedResponse({ type: ProgrammeView })
  create(@Body() dto: CreateProgrammeDto): Promise<ProgrammeView> {
    return this.programmes.create(dto);
  }

  @Get()
  @RequirePermission('programmes.read')
  @ApiOperation({
    summary: '专业列表',
    description: '院校用户看本校；省级用户看全省（可按院校筛选）。按专业代码排序，游标分页；可按试点状态、产业集群、职业代码筛选，q 模糊查找。',
  })
  @ApiOkResponse({ type: ProgrammePage })
  list(@Query() query: ProgrammeListQuery) {
    return this.programmes.list(query);
  }

  @Get(':id')
  @RequirePermission('programmes.read')
  @ApiOperation({ summary: '专业详情' })
  @ApiOkResponse({ type: ProgrammeView })
  get(@Param('id', uuid) id: string): Promise<ProgrammeView> {
    return this.programmes.get(id);
  }

  @Patch(':id')
  @RequirePermission('programmes.manage')
  @ApiOperation({
    summary: '修改专业（需携带版本号）',
    description: '版本号不一致返回 409。试点状态由申报流程驱动，不能在此修改：提交试点申报（/pilot-applications）后变为“已申报”（此处改为“已申报”返回 422）；“已申报”之后的状态只能由流程或省级部门更正（403）。',
  })
  @ApiOkResponse({ type: ProgrammeView })
  update(@Param('id', uuid) id: string, @Body() dto: UpdateProgrammeDto): Promise<ProgrammeView> {
    return this.programmes.update(id, dto);
  }

  @Post(':id/pilot-status')
  @HttpCode(200)
  @RequirePermission('programmes.set-pilot-status')
  @ApiOperation({
    summary: '更正试点状态（省级管理员）',
    description:
      '试点状态由申报流程驱动（提交→已申报，公布→试点中，评估→中期通过/结业/撤销；见 /pilot-applications、/publicity-batches、/pilot-evaluations）。本接口仅供省级部门更正：须填写依据，按生命周期校验（422），记入该院校的审计日志。',
  })
  @ApiOkResponse({ type: ProgrammeView })
  setPilotStatus(@Param('id', uuid) id: string, @Body() dto: SetPilotStatusDto): Promise<ProgrammeView> {
    return this.programmes.setPilotStatusByProvince(id, dto);
  }

  @Get(':id/eligibility')
  @RequirePermission('programmes.read')
  @ApiOperation({
    summary: '申报条件自查清单',
    description: '逐项列出 R-PRG-1…4 是否满足及原因（中英文）；canApply 表示必备条件（R-PRG-1…3）是否全部满足（R-PRG-5）。',
  })
  @ApiOkResponse({ type: EligibilityView })
  eligibilityOf(@Param('id', uuid) id: string, @Query() query: EligibilityQuery): Promise<EligibilityView> {
    return this.eligibility.check(id, query.referenceDate ?? chinaToday());
  }
}
