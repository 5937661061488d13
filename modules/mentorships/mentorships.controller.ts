import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import {
  AssignMentorDto,
  AssignResultView,
  BulkAssignDto,
  BulkResultView,
  GuidanceListQuery,
  GuidancePage,
  GuidanceView,
  MentorshipListQuery,
  MentorshipPage,
  MentorshipView,
  ReassignMentorDto,
  RecordGuidanceDto,
} from './dto/mentorship.dto';
import { MentorshipErrors } from './mentorships.errors';
import { MentorshipsService } from './mentorships.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(MentorshipErrors.NOT_FOUND) });

@ApiTags('1+1双导师 mentorships')
@Controller('mentorships')
export class MentorshipsController {
  constructor(private readonly mentorships: MentorshipsService) {}

  @Post()
  @RequirePermission('mentorships.manage')
  @ApiOperation({
    summary: '为学生指定导师（R-TRN-3）',
    description: '每名学生只能有一名在任院校导师和一名在任企业导师（已有则 409，请用更换）。企业导师须属于该生所在专业的合作企业且协议生效。导师带生数超过设置（默认 8 名）时返回提示 warnings，不报错。',
  })
  @ApiCreatedResponse({ type: AssignResultView })
  assign(@Body() dto: AssignMentorDto): Promise<AssignResultView> {
    return this.mentorships.assign(dto);
  }

  @Post('bulk')
  @RequirePermission('mentorships.manage')
  @ApiOperation({ summary: '批量指定导师（如整个班级）', description: '全部成功或全部不保存；有错时 422，errors 逐行列出（行号、学生、原因）。' })
  @ApiCreatedResponse({ type: BulkResultView })
  bulk(@Body() dto: BulkAssignDto): Promise<BulkResultView> {
    return this.mentorships.bulkAssign(dto.rows);
  }

  @Post('guidance')
  @RequirePermission('guidance.record')
  @ApiOperation({ summary: '记录指导（该生在任的院校导师或企业导师）', description: '类型：课题选题、项目研修、实践、答辩准备。' })
  @ApiCreatedResponse({ type: GuidanceView })
  recordGuidance(@Body() dto: RecordGuidanceDto): Promise<GuidanceView> {
    return this.mentorships.recordGuidance(dto);
  }

  @Get('guidance')
  @RequirePermission('mentorships.read')
  @ApiOperation({ summary: '学生的指导记录', description: '导师只能查看自己学生的记录。按日期倒序，游标分页。' })
  @ApiOkResponse({ type: GuidancePage })
  guidance(@Query() query: GuidanceListQuery) {
    return this.mentorships.guidance(query);
  }

  @Get()
  @RequirePermission('mentorships.read')
  @ApiOperation({
    summary: '导师关系列表（含历史）',
    description: '企业导师只看自己的学生；院校导师只看自己的学生；企业管理员看本企业导师的；院校管理员和教务人员看全校。',
  })
  @ApiOkResponse({ type: MentorshipPage })
  list(@Query() query: MentorshipListQuery) {
    return this.mentorships.list(query);
  }

  @Get(':id')
  @RequirePermission('mentorships.read')
  @ApiOperation({ summary: '导师关系详情' })
  @ApiOkResponse({ type: MentorshipView })
  get(@Param('id', uuid) id: string): Promise<MentorshipView> {
    return this.mentorships.get(id);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @RequirePermission('mentorships.manage')
  @ApiOperation({ summary: '更换导师', description: '原导师关系于更换日结束并记录原因，新导师同日开始；历史保留。' })
  @ApiOkResponse({ type: AssignResultView })
  reassign(@Param('id', uuid) id: string, @Body() dto: ReassignMentorDto): Promise<AssignResultView> {
    return this.mentorships.reassign(id, dto);
  }
}
