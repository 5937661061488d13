import { defineErrors } from '../../src/errors/error-catalog';

export const PracticeErrors = defineErrors('PRACTICE', {
  PLACEMENT_NOT_FOUND: { status: 404, zh: '未找到该企业实践安排', en: 'Placement not found' },
  ENTRY_NOT_FOUND: { status: 404, zh: '未找到该实践工时记录', en: 'Hours entry not found' },
  STUDENT_NOT_FOUND: { status: 422, zh: '学生不存在', en: 'The student does not exist' },
  NOT_PARTNER: {
    status: 422,
    zh: '该企业不是学生所在专业的在合作企业，不能安排企业实践（R-TRN-4）',
    en: "The enterprise is not an active partner of the student's programme (R-TRN-4)",
  },
  NO_PLAN: { status: 422, zh: '未找到学生所在班级的人才培养方案版本，无法确定实践阶段和计划学时', en: "The training plan of the student's cohort was not found" },
  NO_SUCH_STAGE: { status: 422, zh: '培养方案中没有第 {stageNo} 个企业实践阶段', en: 'The training plan has no practice stage number {stageNo}' },
  SITE_MISMATCH: {
    status: 422,
    zh: '实践阶段“{stage}”的场所类型为{expectedZh}，与所填场所不一致',
    en: 'Practice stage "{stage}" takes place at a {expected} site',
  },
  OFFERING_NOT_FOUND: { status: 422, zh: '该企业没有此实践岗位（岗位须为该企业发布的 post 类资源）', en: 'The enterprise has no such practice post offering' },
  FUTURE_DATE: { status: 422, zh: '不能登记未来日期（{date}）的实践工时（以北京时间为准，今天是 {today}）', en: 'Hours cannot be logged for a future date ({date}; today in China is {today})' },
  OUTSIDE_PLACEMENT: {
    status: 422,
    zh: '工作日期 {date} 不在该实践安排的起止日期（{startsOn} 至 {endsOn}）之内',
    en: 'The date {date} is outside the placement ({startsOn} to {endsOn})',
  },
  BAD_DATES: { status: 422, zh: '实践结束日期不能早于开始日期', en: 'The placement ends before it starts' },
  BAD_SPAN: { status: 422, zh: '结束时间须晚于开始时间（同一天内，最晚 24:00）', en: 'The end time must be after the start time, on the same day (24:00 at the latest)' },
  DAY_OVER_24H: {
    status: 422,
    zh: '学生 {date} 已登记 {logged} 小时，再登记 {adding} 小时将超过每日 24 小时上限（R-TRN-4）',
    en: 'The student already has {logged} h on {date}; adding {adding} h would exceed 24 h in a day (R-TRN-4)',
  },
  OVERLAP: {
    status: 409,
    zh: '与该学生 {date} {startsAt}–{endsAt} 的工时记录时间重叠，同一学生的工时不能重叠（R-TRN-4）',
    en: "The span overlaps the student's entry of {date} {startsAt}–{endsAt} (R-TRN-4)",
  },
  NOT_PENDING: { status: 409, zh: '该工时记录当前状态为“{statusZh}”，只有待确认的记录可以确认或退回', en: 'The entry is {status}; only pending entries can be confirmed or rejected' },
  NOT_ENTERPRISE_MENTOR: {
    status: 403,
    zh: '只有该学生在任的企业导师可以确认或退回工时（R-TRN-4）',
    en: "Only the student's active enterprise mentor may confirm or reject hours (R-TRN-4)",
  },
});

export const HOURS_STATUS_ZH = { pending: '待确认', confirmed: '已确认', rejected: '已退回' } as const;
export const SITE_ZH = { enterprise: '企业现场', 'learning-factory': '校内学习型工厂' } as const;
