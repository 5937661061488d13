import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiPayloadTooLargeResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePermission } from '../../src/auth/decorators';
import { ApiErrors } from '../../src/http/openapi/api-errors.decorator';
import { RateLimit } from '../../src/http/rate-limit';
import { AppException } from '../../src/errors/app.exception';
import { CohortErrors, CohortsService } from '../cohorts';
import { ApplicantsService } from './applicants.service';
import {
  AdmissionDto,
  AdmissionResultView,
  ApplicantListView,
  ApplicantView,
  CreateApplicantDto,
  CreateStudentDto,
  ImportQuery,
  ImportResultView,
  RejectApplicantDto,
  RevealDto,
  RevealView,
  StatusChangeDto,
  StreamingDto,
  StreamingSummaryView,
  StudentListQuery,
  StudentPage,
  StudentView,
} from './dto/student.dto';
import { IMPORT_MAX_FILE_BYTES, StudentImportService } from './import/student-import.service';
import { templateWorkbook } from './import/roster-file';
import { StreamingService } from './streaming.service';
import { StudentErrors } from './students.errors';
import { StudentsService } from './students.service';
import { FileUploadInterceptor } from '../../src/http/file-upload.interceptor';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const studentId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(StudentErrors.NOT_FOUND) });
const cohortId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(CohortErrors.NOT_FOUND) });
const applicantId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(StudentErrors.APPLICANT_NOT_FOUND) });
const importId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(StudentErrors.IMPORT_NOT_FOUND) });

function disposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

@ApiTags('学生 students')
@ApiErrors(CohortErrors.NOT_FOUND) // cohort ids in the paths are checked with the cohorts catalogue
@Controller()
export class StudentsController {
  constructor(
    private readonly students: StudentsService,
    private readonly applicants: ApplicantsService,
    private readonly streaming: StreamingService,
    private readonly imports: StudentImportService,
    private readonly cohorts: CohortsService,
  ) {}

  // ---- students

  @Post('cohorts/:id/students')
  @RequirePermission('students.manage')
  @ApiOperation({
    summary: '登记学生',
    description: '身份证号校验位校验，本校内唯一（按加密盲索引判断）；入学起点须与班级学制一致（R-TRK-3，弹性学制除外）。身份证号、手机号加密存储，响应脱敏。',
  })
  @ApiCreatedResponse({ type: StudentView })
  create(@Param('id', cohortId) id: string, @Body() dto: CreateStudentDto): Promise<StudentView> {
    return this.students.create(id, dto);
  }

  @Get('students')
  @RequirePermission('students.read')
  @ApiOperation({ summary: '学生列表（脱敏）', description: '院校用户看本校；企业用户只看本企业合作专业的学生。按姓名排序，游标分页；状态中的阶段按班级日期导出。' })
  @ApiOkResponse({ type: StudentPage })
  list(@Query() query: StudentListQuery) {
    return this.students.list(query);
  }

  @Get('students/import-template.xlsx')
  @RequirePermission('students.import')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '下载学生导入模板（中文）', description: '姓名*、性别、出生日期、身份证号*（文本格式）、手机号、入学起点*；附填写说明。' })
  @ApiOkResponse({ description: 'Excel 模板', schema: { type: 'string', format: 'binary' } })
  async template(): Promise<StreamableFile> {
    const buffer = await templateWorkbook();
    return new StreamableFile(buffer, { type: XLSX, length: buffer.length, disposition: disposition('学生导入模板.xlsx') });
  }

  @Get('students/:id')
  @RequirePermission('students.read')
  @ApiOperation({ summary: '学生详情（脱敏，含状态变更记录）' })
  @ApiOkResponse({ type: StudentView })
  get(@Param('id', studentId) id: string): Promise<StudentView> {
    return this.students.get(id);
  }

  @Post('students/:id/reveal')
  @RateLimit('reveal', (seconds, limit) => new AppException(StudentErrors.REVEAL_RATE_LIMITED, { limit, minutes: Math.ceil(seconds / 60) })) // per user (issue 9 item 6)
  @HttpCode(200)
  @RequirePermission('students.reveal-pii')
  @ApiOperation({ summary: '查看完整身份证号与手机号', description: '仅院校管理员与教务人员；须填写理由，每次查看写入审计日志（不记录号码本身）。' })
  @ApiOkResponse({ type: RevealView })
  reveal(@Param('id', studentId) id: string, @Body() dto: RevealDto): Promise<RevealView> {
    return this.students.reveal(id, dto.reason);
  }

  @Post('students/:id/status')
  @HttpCode(200)
  @RequirePermission('students.manage')
  @ApiOperation({ summary: '学籍状态变更（毕业、退学，带日期）', description: '毕业须为在读学生；退学可从已录取或在读状态。分流请用班级分流接口。' })
  @ApiOkResponse({ type: StudentView })
  changeStatus(@Param('id', studentId) id: string, @Body() dto: StatusChangeDto): Promise<StudentView> {
    return this.students.changeStatus(id, dto);
  }

  // ---- applicants and admission (R-EVA-1)

  @Post('cohorts/:id/applicants')
  @RequirePermission('students.manage')
  @ApiOperation({ summary: '登记报名考生及甄别成绩', description: '入学起点须与班级学制一致（R-TRK-3）。' })
  @ApiCreatedResponse({ type: ApplicantView })
  createApplicant(@Param('id', cohortId) id: string, @Body() dto: CreateApplicantDto): Promise<ApplicantView> {
    return this.applicants.create(id, dto);
  }

  @Get('cohorts/:id/applicants')
  @RequirePermission('students.manage')
  @ApiOperation({ summary: '报名考生排名（脱敏）', description: '按总分从高到低；同分者报名登记在先者优先。' })
  @ApiOkResponse({ type: ApplicantListView })
  listApplicants(@Param('id', cohortId) id: string): Promise<ApplicantListView> {
    return this.applicants.list(id);
  }

  @Post('applicants/:id/reject')
  @HttpCode(200)
  @RequirePermission('students.manage')
  @ApiOperation({ summary: '不予录取（须说明原因）' })
  @ApiOkResponse({ type: ApplicantView })
  rejectApplicant(@Param('id', applicantId) id: string, @Body() dto: RejectApplicantDto): Promise<ApplicantView> {
    return this.applicants.reject(id, dto.reason);
  }

  @Post('cohorts/:id/admissions')
  @HttpCode(200)
  @RequirePermission('students.manage')
  @ApiOperation({
    summary: '择优录取（R-EVA-1）',
    description: '按总分从高到低录取前 N 名待定考生为学生，同分者以报名登记时间先者优先；其余待定考生不予录取并注明名次。',
  })
  @ApiOkResponse({ type: AdmissionResultView })
  admit(@Param('id', cohortId) id: string, @Body() dto: AdmissionDto): Promise<AdmissionResultView> {
    return this.applicants.admit(id, dto);
  }

  // ---- streaming (R-EVA-1)

  @Post('cohorts/:id/streaming')
  @HttpCode(200)
  @RequirePermission('students.manage')
  @ApiOperation({
    summary: '记录分段分流决定（R-EVA-1）',
    description: '到达分流节点（默认高级工阶段结束，可在院校设置 streamingCheckpointMonths 调整）后，为在读学生记录：继续技师阶段 / 转高级工方向 / 离开，并写明理由。后两者视为已分流，不计入技师类指标分母。',
  })
  @ApiOkResponse({ type: StreamingSummaryView })
  stream(@Param('id', cohortId) id: string, @Body() dto: StreamingDto): Promise<StreamingSummaryView> {
    return this.streaming.record(id, dto);
  }

  @Get('cohorts/:id/streaming')
  @RequirePermission('students.read')
  @ApiOperation({ summary: '分流情况与技师类指标分母' })
  @ApiOkResponse({ type: StreamingSummaryView })
  async streamingSummary(@Param('id', cohortId) id: string): Promise<StreamingSummaryView> {
    await this.cohorts.get(id); // enterprise users: only cohorts of their partner programmes
    return this.streaming.summary(id);
  }

  // ---- import / export

  @Post('cohorts/:id/students/import')
  @RequirePermission('students.import')
  @UseInterceptors(FileUploadInterceptor('file', { limits: { fileSize: IMPORT_MAX_FILE_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({
    summary: '从 Excel（.xlsx）或 CSV 导入学生',
    description:
      'dryRun=true 只校验，返回全部行错误（行号、列名、中文说明），不写入任何数据。正式导入全部成功才写入（任一行有误则 422 且不写入）；按身份证号识别，同一文件重复导入不会重复登记。超过 2000 行的文件转为后台任务（202），用 GET /imports/{id} 查看进度。文件不超过 10 MB；超过行数上限（IMPORT_MAX_ROWS，默认 20000）或解压后超过 IMPORT_MAX_INFLATED_BYTES 的文件在读取中途即以 413 拒绝；错误只列出前 IMPORT_MAX_ERRORS 条，errorCount 为总数。',
  })
  @ApiOkResponse({ type: ImportResultView })
  @ApiAcceptedResponse({ type: ImportResultView, description: '大文件：已排队' })
  @ApiPayloadTooLargeResponse({ description: 'STUDENT.IMPORT_TOO_MANY_ROWS / STUDENT.IMPORT_TOO_LARGE / COMMON.PAYLOAD_TOO_LARGE' })
  async import(
    @Param('id', cohortId) id: string,
    @Query() query: ImportQuery,
    @UploadedFile() file: { buffer: Buffer; originalname: string } | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportResultView> {
    const { status, body } = await this.imports.upload(id, file, query.dryRun === 'true');
    res.status(status);
    return body;
  }

  @Get('imports/:id')
  @RequirePermission('students.import')
  @ApiOperation({ summary: '导入任务进度与结果' })
  @ApiOkResponse({ type: ImportResultView })
  importStatus(@Param('id', importId) id: string): Promise<ImportResultView> {
    return this.imports.status(id);
  }

  @Get('cohorts/:id/students/export.xlsx')
  @RequirePermission('students.read')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '导出班级学生名单（Excel，脱敏）' })
  @ApiOkResponse({ description: 'Excel 文件', schema: { type: 'string', format: 'binary' } })
  async export(@Param('id', cohortId) id: string): Promise<StreamableFile> {
    await this.cohorts.get(id); // enterprise users: only cohorts of their partner programmes
    const { filename, buffer } = await this.imports.exportRoster(id);
    return new StreamableFile(buffer, { type: XLSX, length: buffer.length, disposition: disposition(filename) });
  }
}
