import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import { AssessmentErrors } from './assessments.errors';
import { AssessmentsService } from './assessments.service';
import {
  AssessmentItemList,
  HistoryQuery,
  HistoryView,
  SheetImportQuery,
  OpenSheetsDto,
  ReopenSheetDto,
  SheetImportView,
  SheetListQuery,
  SheetView,
  WriteSheetDto,
} from './dto/assessment.dto';
import { FileUploadInterceptor } from '../../src/http/file-upload.interceptor';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const disposition = (name: string) => `attachment; filename="sheet.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;
const sheetId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(AssessmentErrors.SHEET_NOT_FOUND) });
const WHO =
  '课程、中期、答辩由院校管理员、教务人员或该生的院校导师录入；企业实践与终结性考评由学生实践企业（或其企业导师所属企业）的企业管理员或该生的企业导师录入（R-EVA-3）。企业方只见本企业学生，导师只见在带学生，其余 404。';

@ApiTags('考核成绩 assessments')
@Controller('assessment-sheets')
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

  @Get()
  @RequirePermission('assessments.read')
  @ApiOperation({
    summary: '班级的考核项与成绩表',
    description: '考核项取自班级所用培养方案版本：每门课程（课程考核）、每个企业实践阶段、每个终结性考评安排，以及中期考核与项目答辩；已建表的给出成绩表编号、状态与录入进度（您可见的学生）。',
  })
  @ApiOkResponse({ type: AssessmentItemList })
  items(@Query() query: SheetListQuery): Promise<AssessmentItemList> {
    return this.assessments.items(query.cohortId);
  }

  @Post()
  @RequirePermission('assessments.open')
  @ApiOperation({ summary: '建立成绩表', description: '为一个考核项（或不填 itemKey：全部尚未建表的考核项）建表；答辩成绩表以项目答辩评审结果预填为草稿。' })
  @ApiCreatedResponse({ type: AssessmentItemList })
  open(@Body() dto: OpenSheetsDto): Promise<AssessmentItemList> {
    return this.assessments.open(dto);
  }

  @Get(':id')
  @RequirePermission('assessments.read')
  @ApiOperation({ summary: '读取整张成绩表（一次请求）', description: `学生及其现行成绩（未录入为 null）。${WHO}` })
  @ApiOkResponse({ type: SheetView })
  get(@Param('id', sheetId) id: string): Promise<SheetView> {
    return this.assessments.get(id);
  }

  @Put(':id/results')
  @RequirePermission('assessments.enter')
  @ApiOperation({
    summary: '批量录入整张成绩表（一次请求，全部成功才写入）',
    description: `${WHO} 新成绩为草稿，submit=true 时提交您负责的全部草稿；已提交的成绩锁定，只能填写 correctionReason 更正（生成新版本，历史保留）；与现行成绩相同的行不变。任何一行有误则 422 并列出每一行的错误，什么都不写入。`,
  })
  @ApiOkResponse({ type: SheetView })
  write(@Param('id', sheetId) id: string, @Body() dto: WriteSheetDto): Promise<SheetView> {
    return this.assessments.write(id, dto).then(({ written: _w, ...view }) => view);
  }

  @Get(':id/history')
  @RequirePermission('assessments.read')
  @ApiOperation({ summary: '成绩历史（每个版本、录入人、提交时间、更正原因）' })
  @ApiOkResponse({ type: HistoryView })
  history(@Param('id', sheetId) id: string, @Query() query: HistoryQuery): Promise<HistoryView> {
    return this.assessments.history(id, query.studentId);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @RequirePermission('assessments.reopen')
  @ApiOperation({ summary: '重新开放已提交的成绩表（院校管理员，记审计）', description: '开放后可为尚无成绩的学生补录；已提交的成绩仍锁定，只能更正。' })
  @ApiOkResponse({ type: SheetView })
  reopen(@Param('id', sheetId) id: string, @Body() dto: ReopenSheetDto): Promise<SheetView> {
    return this.assessments.reopen(id, dto.reason);
  }

  @Get(':id/template.xlsx')
  @RequirePermission('assessments.read')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '下载成绩表 Excel 模板', description: '含您可见的学生与现行成绩；填好后用 POST /assessment-sheets/{id}/import 上传。' })
  @ApiOkResponse({ description: 'Excel 文件', schema: { type: 'string', format: 'binary' } })
  async template(@Param('id', sheetId) id: string): Promise<StreamableFile> {
    const { filename, buffer } = await this.assessments.template(id);
    return new StreamableFile(buffer, { type: XLSX, length: buffer.length, disposition: disposition(filename) });
  }

  @Post(':id/import')
  @HttpCode(200)
  @RequirePermission('assessments.enter')
  @UseInterceptors(FileUploadInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({
    summary: '上传填好的成绩表 Excel（可只校验）',
    description: 'dryRun=true 只校验并返回每一行的错误（行号、列名、中文说明），不写入；正式上传与批量录入规则相同，全部成功才写入（有误则 422）。submit=true 同时提交。',
  })
  @ApiOkResponse({ type: SheetImportView })
  upload(
    @Param('id', sheetId) id: string,
    @Query() query: SheetImportQuery,
    @UploadedFile() file: { buffer: Buffer; originalname: string } | undefined,
  ): Promise<SheetImportView> {
    return this.assessments.upload(id, file, query.dryRun === 'true', query.submit === 'true');
  }
}
