import { Controller, Get, Param, ParseUUIDPipe, Post, Req, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiServiceUnavailableResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import { rawRequest } from '../../src/http/reply';
import type { Actor } from '../../src/tenancy/request-context';
import { AttachmentErrors } from './attachments.errors';
import { AttachmentsService, contentDisposition } from './attachments.service';
import { AttachmentView, UploadAttachmentForm } from './dto/attachment.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(AttachmentErrors.NOT_FOUND) });

@ApiTags('附件 attachments')
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  @RequirePermission('attachments.upload')
  @ApiConsumes('multipart/form-data')
  @ApiExtraModels(UploadAttachmentForm)
  @ApiBody({
    schema: { $ref: getSchemaPath(UploadAttachmentForm) },
    examples: {
      合作协议: { summary: '上传已签章的《校企共培学制技师合作协议》扫描件（PDF）', value: { file: '校企共培学制技师合作协议（签章版）.pdf', ownerEntity: 'agreement' } },
      会议纪要: { summary: '上传党委会会议纪要（重大调整的决策依据）', value: { file: '党委会会议纪要.pdf' } },
    },
  })
  @ApiOperation({
    summary: '上传附件',
    description:
      '表单字段 file。类型以文件内容判断（PDF、PNG、JPEG、docx/xlsx/pptx、doc/xls/ppt），其他类型返回 415；超过大小上限返回 413（边接收边检查）；保存 SHA-256 校验值。' +
      '文件以流的方式写入存储，不整体读入内存；同时上传数超过上限（ATTACHMENT_MAX_IN_FLIGHT）时返回 503 并带 Retry-After。' +
      '填写 ownerEntity/ownerId 时，所属记录必须存在且当前身份可以修改（agreement、work-order、enterprise、training-plan），否则 422。',
  })
  @ApiCreatedResponse({ type: AttachmentView })
  @ApiServiceUnavailableResponse({ description: 'ATTACHMENTS.UPLOADS_BUSY（带 Retry-After）' })
  upload(@CurrentActor() actor: Actor, @Req() req: object): Promise<AttachmentView> {
    // the multipart body streams from Node's request, under Express's or Fastify's (HTTP_ADAPTER)
    return this.attachments.uploadFromRequest(actor, rawRequest(req));
  }

  @Get(':id')
  @RequirePermission('attachments.download')
  @ApiOperation({ summary: '附件信息', description: '其他院校的附件返回 404；企业用户只能查看本企业相关的附件。' })
  @ApiOkResponse({ type: AttachmentView })
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<AttachmentView> {
    return this.attachments.get(actor, id);
  }

  @Get(':id/download')
  @RequirePermission('attachments.download')
  // the types the upload check accepts (content-sniffer.ts); the file is served with the sniffed type
  @ApiProduces('application/pdf', 'image/png', 'image/jpeg', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.openxmlformats-officedocument.presentationml.presentation')
  @ApiOperation({ summary: '下载附件', description: '返回原始文件；中文文件名按 RFC 5987（filename*）编码。' })
  @ApiOkResponse({ description: '文件内容', schema: { type: 'string', format: 'binary' } })
  async download(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<StreamableFile> {
    const { view, stream } = await this.attachments.open(actor, id);
    return new StreamableFile(stream, {
      type: view.contentType,
      length: view.sizeBytes,
      disposition: contentDisposition(view.filename),
    });
  }
}
