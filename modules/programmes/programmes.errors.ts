import { defineErrors } from '../../src/errors/error-catalog';

export const ProgrammeErrors = defineErrors('PROGRAMMES', {
  NOT_FOUND: { status: 404, zh: '未找到该专业', en: 'Programme not found' },
  CODE_TAKEN: { status: 409, zh: '专业代码 {code} 在本校已被使用', en: 'Programme code {code} is already used in this college' },
  UNKNOWN_CLUSTER: {
    status: 422,
    zh: '产业集群代码 {codes} 不在“双十”产业集群目录中（或已失效）',
    en: 'Industry cluster code(s) {codes} are not in the current "double ten" cluster list',
  },
  PILOT_STATUS_PROVINCE_ONLY: {
    status: 403,
    zh: '试点状态“{to}”只能由省级部门设定；院校只能将专业从“候选”变更为“已申报”',
    en: 'Only the province may set pilot status "{to}"; a college may only move a programme from candidate to applied',
  },
  PILOT_STATUS_TRANSITION: {
    status: 422,
    zh: '试点状态不能从“{from}”变更为“{to}”',
    en: 'The pilot status cannot move from "{from}" to "{to}"',
  },
  PILOT_STATUS_BY_APPLICATION: {
    status: 422,
    zh: '试点状态由申报流程驱动：提交试点申报（/pilot-applications）后专业自动变为“已申报”，不能直接修改',
    en: 'The pilot status follows the process: a programme becomes applied when its pilot application is submitted (/pilot-applications), not by editing it',
  },
  NOT_ELIGIBLE: {
    status: 422,
    zh: '专业尚未满足申报条件（{rules}），不能提交申报（R-PRG-5）',
    en: 'The programme does not yet meet the application criteria ({rules}) and cannot apply (R-PRG-5)',
  },
  INVALID_REFERENCE_DATE: { status: 400, zh: '参照日期 {date} 不是有效日期（YYYY-MM-DD）', en: 'The reference date {date} is not a valid date (YYYY-MM-DD)' },
});
