import { defineErrors } from '../../src/errors/error-catalog';

export const CertificateErrors = defineErrors('CERTIFICATES', {
  NOT_FOUND: { status: 404, zh: '未找到该证书', en: 'Certificate not found' },
  STUDENT_NOT_FOUND: { status: 422, zh: '学生不存在', en: 'The student does not exist' },
  ATTACHMENT_NOT_FOUND: { status: 422, zh: '附件不存在（请先上传证书扫描件）', en: 'The attachment does not exist' },
  DUPLICATE: { status: 409, zh: '发证机构“{issuer}”的证书编号 {number} 已登记', en: 'Certificate {number} of {issuer} is already recorded' },
  FUTURE_DATE: { status: 422, zh: '发证日期 {date} 晚于今天（北京时间 {today}）', en: 'Issued on {date}, after today in China ({today})' },
  NOT_UNVERIFIED: { status: 409, zh: '该证书当前为“{statusZh}”，只有待核验的证书可以核验或驳回', en: 'The certificate is {status}; only unverified certificates can be verified or rejected' },
  STALE: { status: 409, zh: '证书已被他人修改（当前版本 {current}），请刷新后重试', en: 'The certificate was changed meanwhile (version {current}); reload and retry' },
  IMPORT_FILE_REQUIRED: { status: 400, zh: '请上传 Excel 文件（字段名 file）', en: 'Upload an Excel file (field "file")' },
  IMPORT_FORMAT: { status: 415, zh: '仅支持 .xlsx 文件', en: 'Only .xlsx files are supported' },
  IMPORT_UNREADABLE: { status: 422, zh: '文件无法读取：{reason}', en: 'The file cannot be read: {reason}' },
  IMPORT_HEADERS: { status: 422, zh: '缺少必填列：{columns}（请使用下载的模板）', en: 'Missing required columns: {columns} (use the template)' },
  IMPORT_INVALID: { status: 422, zh: '有 {count} 处错误，整份文件未写入', en: '{count} problem(s); nothing was written' },
});

export const STATUS_ZH = { unverified: '待核验', verified: '已核验', rejected: '已驳回' } as const;
