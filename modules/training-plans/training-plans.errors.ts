import { defineErrors } from '../../src/errors/error-catalog';

export const PlanErrors = defineErrors('PLANS', {
  PROGRAMME_NOT_FOUND: { status: 404, zh: '未找到该专业', en: 'Programme not found' },
  NOT_FOUND: { status: 404, zh: '未找到该版本的培养方案', en: 'Training plan version not found' },
  ALREADY_EXISTS: {
    status: 409,
    zh: '该专业已有培养方案；如需修改，请对现行版本提交调整',
    en: 'The programme already has a training plan; submit a change to the current version instead',
  },
  NOT_EDITABLE: {
    status: 409,
    zh: '只有草稿可以直接修改；第 {versionNo} 版状态为“{statusZh}”，请通过调整生成新版本',
    en: 'Only drafts can be edited; version {versionNo} is {status}. Submit a change to make a new version',
  },
  NOT_DRAFT: { status: 409, zh: '只有草稿可以确定为现行版本', en: 'Only a draft can be adopted' },
  CURRENT_EXISTS: {
    status: 409,
    zh: '该专业已有现行版本（第 {versionNo} 版），新版本须通过调整产生',
    en: 'The programme already has a current version ({versionNo}); new versions come from changes',
  },
  NOT_CURRENT: {
    status: 409,
    zh: '只能对现行版本提交调整；第 {versionNo} 版状态为“{statusZh}”',
    en: 'Changes are made to the current version; version {versionNo} is {status}',
  },
  CHANGE_PENDING: {
    status: 409,
    zh: '该专业已有待生效的版本（第 {versionNo} 版，{statusZh}），请先完成或处理后再提交新的调整',
    en: 'Version {versionNo} ({status}) is still open; finish it before another change',
  },
  NO_CHANGE: { status: 422, zh: '新版本与现行版本内容相同，没有需要调整的内容', en: 'The new version is the same as the current one' },
  MAJOR_CHANGE_DECLARED_MINOR: {
    status: 422,
    zh: '本次调整涉及{areas}，属于重大调整，须经院校党委会决定并报省备案后方可生效（R-GOV-2）',
    en: 'This change touches {areasEn}: a major change that needs a party-committee decision and a filing before it takes effect (R-GOV-2)',
  },
  NOT_PENDING_FILING: {
    status: 409,
    zh: '第 {versionNo} 版不是待备案的重大调整（当前状态“{statusZh}”）',
    en: 'Version {versionNo} is not a major change awaiting filing (it is {status})',
  },
  DECISION_EXISTS: { status: 409, zh: '该版本已记录党委会决定', en: 'A party-committee decision is already recorded for this version' },
  DECISION_REQUIRED: {
    status: 422,
    zh: '重大调整须先记录院校党委会决定（日期与会议纪要），再报省备案（R-GOV-2）',
    en: 'Record the party-committee decision (date and minutes) before filing a major change (R-GOV-2)',
  },
  ALREADY_FILED: { status: 409, zh: '该版本已报省备案', en: 'This version is already filed' },
  SUPERSEDED_READ_ONLY: {
    status: 409,
    zh: '第 {versionNo} 版已被替代，只读，不能再记录评审',
    en: 'Version {versionNo} is superseded and read-only',
  },
  DATE_IN_FUTURE: { status: 422, zh: '{fieldZh}不能晚于今天（{today}）', en: '{fieldEn} cannot be after today ({today})' },
  CONTENT_INVALID: { status: 422, zh: '培养方案内容不完整', en: 'The plan content is incomplete' },
});

/** Chinese names of the statuses and areas, for messages. */
export const STATUS_ZH: Record<string, string> = {
  draft: '草稿',
  current: '现行',
  'pending-filing': '待备案',
  superseded: '已替代',
};
export const AREA_ZH: Record<string, string> = {
  'course-system': '课程体系',
  assessment: '考核评价安排',
  'training-projects': '实训项目（实践阶段）',
  integrations: '五个一体化',
  'class-size': '班级规模',
};
