import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import {
  CohortGraduationView,
  CompleteCohortView,
  EmploymentListQuery,
  EmploymentPage,
  EmploymentRecordDto,
  EmploymentRecordView,
  EndEmploymentDto,
  FollowUpDto,
  GraduateDto,
  GraduateView,
  GraduationCheckView,
} from './dto/graduates.dto';
import { GraduateErrors } from './graduates.errors';
import { GraduatesService } from './graduates.service';

const studentId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(GraduateErrors.STUDENT_NOT_FOUND) });
const cohortId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(GraduateErrors.COHORT_NOT_FOUND) });
const recordId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(GraduateErrors.RECORD_NOT_FOUND) });

@ApiTags('毕业与毕业生跟踪 graduates')
@Controller()
export class GraduatesController {
  constructor(private readonly graduates: GraduatesService) {}

  @Get('graduation/students/:studentId')
  @RequirePermission('graduates.read')
  @ApiOperation({ summary: '毕业资格审核（R-EVA-3）', description: '所有课程考核通过且企业实践考核达标即符合毕业条件；不符合时列出尚缺条件。' })
  @ApiOkResponse({ type: GraduationCheckView })
  check(@Param('studentId', studentId) id: string): Promise<GraduationCheckView> {
    return this.graduates.check(id);
  }

  @Post('graduation/students/:studentId')
  @HttpCode(200)
  @RequirePermission('graduates.manage')
  @ApiOperation({ summary: '办理毕业', description: '学生状态改为 graduated 并记录毕业日期；分流或退学的学生不能毕业；不符合条件时 422 并列出原因。' })
  @ApiOkResponse({ type: GraduationCheckView })
  graduate(@Param('studentId', studentId) id: string, @Body() dto: GraduateDto): Promise<GraduationCheckView> {
    return this.graduates.graduate(id, dto);
  }

  @Get('graduation/cohorts/:cohortId')
  @RequirePermission('graduates.read')
  @ApiOperation({ summary: '班级毕业审核总览', description: '每名学生的毕业资格；全部学生已毕业、离校或分流时可结业。' })
  @ApiOkResponse({ type: CohortGraduationView })
  cohort(@Param('cohortId', cohortId) id: string): Promise<CohortGraduationView> {
    return this.graduates.cohort(id);
  }

  @Post('graduation/cohorts/:cohortId/complete')
  @HttpCode(200)
  @RequirePermission('graduates.complete-cohort')
  @ApiOperation({ summary: '班级结业', description: '每名学生均已毕业、离校或分流时，班级状态改为 completed；否则 422 并列出仍在读的学生。' })
  @ApiOkResponse({ type: CompleteCohortView })
  complete(@Param('cohortId', cohortId) id: string): Promise<CompleteCohortView> {
    return this.graduates.complete(id);
  }

  @Get('graduates/:studentId')
  @RequirePermission('graduates.read')
  @ApiOperation({ summary: '毕业生档案：技师水平达成途径、就业记录、跟踪记录', description: '达成途径 ①②③③′ 任一成立即达到技师水平，计一次（R-EVA-3）。' })
  @ApiOkResponse({ type: GraduateView })
  graduateView(@Param('studentId', studentId) id: string): Promise<GraduateView> {
    return this.graduates.graduateView(id);
  }

  @Post('graduates/:studentId/employment-records')
  @RequirePermission('employment.record')
  @ApiOperation({
    summary: '登记就业记录（R-EVA-4）',
    description: '院校登记任一毕业生的就业；企业只能登记本企业聘用的、与其合作专业（或在其实践）的毕业生，用人单位即本企业。未填“对口”时按专业职业默认判定并给出理由。',
  })
  @ApiCreatedResponse({ type: EmploymentRecordView })
  addEmployment(@Param('studentId', studentId) id: string, @Body() dto: EmploymentRecordDto): Promise<EmploymentRecordView> {
    return this.graduates.addEmployment(id, dto);
  }

  @Post('graduates/:studentId/follow-ups')
  @RequirePermission('graduates.manage')
  @ApiOperation({ summary: '登记跟踪回访（毕业时、毕业后 6 个月、12 个月，按设置）', description: '就业（原单位/新单位）、未就业、升学、参军、无法联系；记录日期和登记人。' })
  @ApiCreatedResponse({ type: GraduateView })
  addFollowUp(@Param('studentId', studentId) id: string, @Body() dto: FollowUpDto): Promise<GraduateView> {
    return this.graduates.addFollowUp(id, dto);
  }

  @Get('employment-records')
  @RequirePermission('employment.read')
  @ApiOperation({ summary: '就业记录列表', description: '院校：本校全部；企业：只含本企业登记或作为用人单位的记录。' })
  @ApiOkResponse({ type: EmploymentPage })
  list(@Query() query: EmploymentListQuery) {
    return this.graduates.listEmployment(query);
  }

  @Get('employment-records/:id')
  @RequirePermission('employment.read')
  @ApiOperation({ summary: '就业记录详情（含适用的薪酬基准）' })
  @ApiOkResponse({ type: EmploymentRecordView })
  get(@Param('id', recordId) id: string): Promise<EmploymentRecordView> {
    return this.graduates.getEmployment(id);
  }

  @Patch('employment-records/:id')
  @RequirePermission('employment.record')
  @ApiOperation({ summary: '登记离职日期（带版本号，防止覆盖他人修改）' })
  @ApiOkResponse({ type: EmploymentRecordView })
  end(@Param('id', recordId) id: string, @Body() dto: EndEmploymentDto): Promise<EmploymentRecordView> {
    return this.graduates.endEmployment(id, dto);
  }
}
