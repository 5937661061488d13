import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import { CertificateErrors } from './certificates.errors';
import { CertificatesService } from './certificates.service';
import {
  CertificateImportQuery,
  CertificateImportView,
  CertificateListQuery,
  CertificatePage,
  StudentCertificateView,
  CreateCertificateDto,
  RejectCertificateDto,
  VerifyCertificateDto,
} from './dto/certificate.dto';
import { FileUploadInterceptor } from '../../src/http/file-upload.interceptor';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const certificateId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(CertificateErrors.NOT_FOUND) });

@ApiTags('证书 certificates')
@Controller('certificates')
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @Post()
  @RequirePermission('certificates.manage')
  @ApiOperation({ summary: '登记证书（待核验）', description: 'R-EVA-3 ① 技师职业资格 / 二级职业技能等级证书，② 行业或企业认可的技师级证书；登记后为待核验，核验通过才计入技师达成。' })
  @ApiCreatedResponse({ type: StudentCertificateView })
  create(@Body() dto: CreateCertificateDto): Promise<StudentCertificateView> {
    return this.certificates.create(dto);
  }

  @Get()
  @RequirePermission('certificates.read')
  @ApiOperation({ summary: '证书列表', description: '按登记时间倒序，游标分页；院校导师只见在带学生的证书。' })
  @ApiOkResponse({ type: CertificatePage })
  list(@Query() query: CertificateListQuery): Promise<CertificatePage> {
    return this.certificates.list(query);
  }

  @Get('import-template.xlsx')
  @RequirePermission('certificates.manage')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '下载证书导入模板（中文）' })
  @ApiOkResponse({ description: 'Excel 模板', schema: { type: 'string', format: 'binary' } })
  async template(): Promise<StreamableFile> {
    const buffer = await this.certificates.template();
    return new StreamableFile(buffer, { type: XLSX, length: buffer.length, disposition: `attachment; filename="certificates.xlsx"; filename*=UTF-8''${encodeURIComponent('证书导入模板.xlsx')}` });
  }

  @Post('import')
  @HttpCode(200)
  @RequirePermission('certificates.manage')
  @UseInterceptors(FileUploadInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({
    summary: '从 Excel 批量导入证书（可只校验）',
    description: 'dryRun=true 只校验并返回每一行的错误，不写入；正式导入全部成功才写入（有误则 422）；同一发证机构与编号已登记的行跳过。导入的证书为待核验。',
  })
  @ApiOkResponse({ type: CertificateImportView })
  import(@Query() query: CertificateImportQuery, @UploadedFile() file: { buffer: Buffer; originalname: string } | undefined): Promise<CertificateImportView> {
    return this.certificates.import(file, query.dryRun === 'true');
  }

  @Get(':id')
  @RequirePermission('certificates.read')
  @ApiOperation({ summary: '证书详情' })
  @ApiOkResponse({ type: StudentCertificateView })
  get(@Param('id', certificateId) id: string): Promise<StudentCertificateView> {
    return this.certificates.get(id);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @RequirePermission('certificates.verify')
  @ApiOperation({ summary: '核验通过（教务人员，记审计）', description: '只有待核验的证书可以核验；须带读取时的 version。' })
  @ApiOkResponse({ type: StudentCertificateView })
  verify(@Param('id', certificateId) id: string, @Body() dto: VerifyCertificateDto): Promise<StudentCertificateView> {
    return this.certificates.decide(id, dto.version, 'verified', null);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequirePermission('certificates.verify')
  @ApiOperation({ summary: '驳回证书（须说明原因，记审计）' })
  @ApiOkResponse({ type: StudentCertificateView })
  reject(@Param('id', certificateId) id: string, @Body() dto: RejectCertificateDto): Promise<StudentCertificateView> {
    return this.certificates.decide(id, dto.version, 'rejected', dto.reason);
  }
}
