import { defineErrors } from '../../src/errors/error-catalog';

export const AttachmentErrors = defineErrors('ATTACHMENTS', {
  NOT_FOUND: { status: 404, zh: '未找到该附件', en: 'Attachment not found' },
  FILE_REQUIRED: { status: 400, zh: '请选择要上传的文件（表单字段 file）', en: 'Choose a file to upload (form field "file")' },
  OWNER_INCOMPLETE: { status: 400, zh: 'ownerEntity 与 ownerId 须同时填写', en: 'ownerEntity and ownerId go together' },
  EMPTY_FILE: { status: 400, zh: '上传的文件为空', en: 'The uploaded file is empty' },
  TOO_LARGE: { status: 413, zh: '文件过大：不能超过 {maxMb} MB', en: 'The file is too large: at most {maxMb} MB' },
  UNSUPPORTED_TYPE: {
    status: 415,
    zh: '不支持的文件类型：仅接受 PDF、PNG/JPEG 图片和 Office 文档（doc/docx/xls/xlsx/ppt/pptx），以文件内容判断，与扩展名无关',
    en: 'Unsupported file type: only PDF, PNG/JPEG images and Office documents are accepted, judged by the content, not the file name',
  },
  STORAGE_NOT_CONFIGURED: {
    status: 500,
    zh: '文件存储未正确配置',
    en: 'File storage is not configured',
  },
  OWNER_TYPE_UNKNOWN: {
    status: 422,
    zh: '不能直接关联到 {ownerEntity} 类型的记录，请通过该记录自身的接口关联附件',
    en: 'A file cannot name an owner of type {ownerEntity}; attach it through that record\'s own route',
  },
  OWNER_NOT_FOUND: { status: 422, zh: '所属记录不存在，或当前身份不能修改该记录', en: 'The owner record does not exist or you may not change it' },
  NOT_CLAIMABLE: {
    status: 422,
    zh: '附件 {id} 不存在、不是由当前用户上传，或已关联到其他记录',
    en: 'Attachment {id} does not exist, was not uploaded by you, or is already linked to another record',
  },
  UPLOADS_BUSY: { status: 503, zh: '同时上传的文件过多，请 {seconds} 秒后重试', en: 'Too many uploads in progress; retry in {seconds} seconds' },
  STORAGE_FAILED: { status: 503, zh: '文件存储暂不可用，请稍后再试', en: 'File storage is unavailable; try again later' },
});
