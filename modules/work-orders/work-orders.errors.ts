import { defineErrors } from '../../src/errors/error-catalog';

export const WorkOrderErrors = defineErrors('WORK_ORDERS', {
  NOT_FOUND: { status: 404, zh: '未找到该任务工单', en: 'Work order not found' },
  NOT_ENTERPRISE_MENTOR: {
    status: 403,
    zh: '只有该学生在任的企业导师可以下达、验收或退回任务工单（R-ENT-3）',
    en: "Only the student's active enterprise mentor may issue, accept or reject work orders (R-ENT-3)",
  },
  DUE_IN_PAST: { status: 422, zh: '完成期限不能早于今天（{today}）', en: 'The due date is before today ({today})' },
  BAD_STATUS: {
    status: 409,
    zh: '任务工单当前状态为“{statusZh}”，不能{actionZh}',
    en: 'The work order is {status}; it cannot be {action}',
  },
  NO_RECORDS: { status: 409, zh: '任务工单还没有过程记录，不能提交验收', en: 'The work order has no process record yet; it cannot be submitted' },
  ATTACHMENT_NOT_FOUND: { status: 422, zh: '附件不存在：{id}', en: 'Attachment not found: {id}' },
});

export const STATUS_ZH = { issued: '已下达', 'in-progress': '进行中', submitted: '已提交待验收', accepted: '已验收' } as const;
export const ACTION_ZH = { record: '追加过程记录', submit: '提交验收', accept: '验收', reject: '退回' } as const;
export const ACTION_EN = { record: 'given a process record', submit: 'submitted', accept: 'accepted', reject: 'rejected' } as const;
