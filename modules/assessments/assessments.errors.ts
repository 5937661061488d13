import { defineErrors } from '../../src/errors/error-catalog';

export const AssessmentErrors = defineErrors('ASSESSMENTS', {
  COHORT_NOT_FOUND: { status: 404, zh: '未找到该班级', en: 'Cohort not found' },
  SHEET_NOT_FOUND: { status: 404, zh: '未找到该考核成绩表', en: 'Assessment sheet not found' },
  NO_SUCH_ITEM: { status: 422, zh: '班级培养方案中没有考核项“{itemKey}”', en: "The cohort's plan has no assessment item {itemKey}" },
  SHEET_EXISTS: { status: 409, zh: '该班级的“{name}”成绩表已建立', en: 'The sheet for {name} already exists for this cohort' },
  WRONG_SIDE: {
    status: 403,
    zh: '{kindZh}由{sideZh}录入，您所在一方不能录入（R-EVA-3）',
    en: '{kind} results are entered by the {side} side (R-EVA-3)',
  },
  STUDENTS_NOT_FOUND: { status: 404, zh: '有 {count} 行的学生不在本表或不是您负责的学生', en: '{count} row(s) name students not on this sheet or not yours' },
  ROWS_INVALID: { status: 422, zh: '有 {count} 处错误，整张成绩表未写入', en: '{count} problem(s); nothing was written' },
  NOT_SUBMITTED: { status: 409, zh: '成绩表尚未提交，无需重新开放', en: 'The sheet is not submitted' },
  IMPORT_FILE_REQUIRED: { status: 400, zh: '请上传 Excel 文件（字段名 file）', en: 'Upload an Excel file (field "file")' },
  IMPORT_FORMAT: { status: 415, zh: '仅支持 .xlsx 文件', en: 'Only .xlsx files are supported' },
  IMPORT_UNREADABLE: { status: 422, zh: '文件无法读取：{reason}', en: 'The file cannot be read: {reason}' },
  IMPORT_HEADERS: { status: 422, zh: '缺少必填列：{columns}（请使用下载的模板）', en: 'Missing required columns: {columns} (use the template)' },
});

export const SIDE_ZH = { college: '院校方', enterprise: '企业方' } as const;
export const STATUS_ZH = { draft: '草稿', submitted: '已提交' } as const;
