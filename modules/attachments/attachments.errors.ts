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
  STORAGE_FAILED: { status: 503, zh: '文件存储暂不可用，请稍后再试', en: 'File storage is unavailable; try again later' },
});
