import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { BenchmarksService } from './benchmarks.service';
import { BenchmarkDto, BenchmarkPage, BenchmarkQuery, BenchmarkView } from './dto/graduates.dto';

@ApiTags('薪酬基准 pay benchmarks')
@Controller('pay-benchmarks')
export class BenchmarksController {
  constructor(private readonly benchmarks: BenchmarksService) {}

  @Get()
  @RequirePermission('benchmarks.read')
  @ApiOperation({ summary: '技师岗位薪酬基准（按城市、年度，含生效日期）' })
  @ApiOkResponse({ type: BenchmarkPage })
  list(@Query() query: BenchmarkQuery) {
    return this.benchmarks.list(query);
  }

  @Post()
  @RequirePermission('benchmarks.manage')
  @ApiOperation({
    summary: '新增薪酬基准（省级管理员）',
    description: '就业记录按其所在城市、入职日生效的基准判定“高于基准”（R-EVA-4）。新的长期基准自动结束该城市原长期基准；其他重叠 409。',
  })
  @ApiCreatedResponse({ type: BenchmarkView })
  create(@Body() dto: BenchmarkDto): Promise<BenchmarkView> {
    return this.benchmarks.create(dto);
  }
}
