import { defineErrors } from '../../src/errors/error-catalog';

export const ReportErrors = defineErrors('REPORTS', {
  NOT_FOUND: { status: 404, zh: '未找到该报表', en: 'Report not found' },
  SUBJECT_NOT_FOUND: { status: 404, zh: '未找到报表对象（班级、专业或学院）', en: 'The cohort, programme or college of the report was not found' },
  SUBJECT_REQUIRED: { status: 422, zh: '{level}报表须指定对象 id', en: 'A {levelEn} report needs the id of its subject' },
  PROVINCE_ONLY: { status: 403, zh: '全省报表只能由省级用户生成', en: 'Only province users can request the province report' },
  DOSSIER_NEEDS_PROGRAMME: { status: 422, zh: '评估材料汇编须指定试点专业（scope.level = programme）、PDF 格式和评估类型', en: 'An evaluation dossier needs a pilot programme (scope.level = programme), the PDF format and the evaluation kind' },
  NOT_A_PILOT: { status: 422, zh: '该专业不是试点专业（当前状态：{status}），不能生成评估材料汇编', en: 'The programme is not a pilot (status now: {status}); no evaluation dossier can be assembled' },
  NOT_READY: { status: 409, zh: '报表尚未生成完成（当前状态：{status}）', en: 'The report is not ready (status now: {status})' },
  LINK_INVALID: { status: 404, zh: '下载链接无效', en: 'The download link is not valid' },
  LINK_EXPIRED: { status: 410, zh: '下载链接已过期，请重新获取', en: 'The download link has expired; ask for a new one' },
});
