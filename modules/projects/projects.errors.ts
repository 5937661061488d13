import { defineErrors } from '../../src/errors/error-catalog';

export const ProjectErrors = defineErrors('PROJECTS', {
  NOT_FOUND: { status: 404, zh: '未找到该课题项目', en: 'Project not found' },
  MILESTONE_NOT_FOUND: { status: 404, zh: '未找到该里程碑', en: 'Milestone not found' },
  STUDENT_NOT_FOUND: { status: 422, zh: '学生不存在', en: 'The student does not exist' },
  NOT_TECHNICIAN_STAGE: { status: 422, zh: '只有技师阶段的学生才能开设课题项目（该生当前为“{status}”）', en: 'Only technician-stage students have a project (the student is {status})' },
  ALREADY_EXISTS: { status: 409, zh: '该学生已有课题项目（每名技师阶段学生一个课题）', en: 'The student already has a project' },
  NO_MENTOR: { status: 422, zh: '该学生没有在任的{sideZh}，无法记录其审批（R-TRN-3）', en: 'The student has no active {side} mentor (R-TRN-3)' },
  NOT_THE_MENTOR: { status: 403, zh: '只有该学生在任的{sideZh}本人可以审批这一方', en: "Only the student's active {side} mentor may approve for that side" },
  ALREADY_APPROVED: { status: 409, zh: '{sideZh}已审批该课题', en: 'The {side} mentor has already approved the topic' },
  TOPIC_LOCKED: { status: 409, zh: '课题已经两位导师审批，不能再修改选题', en: 'The topic is approved by both mentors and can no longer change' },
  TOPIC_NOT_APPROVED: {
    status: 409,
    zh: '课题选题须经院校导师和企业导师双方审批后才能{actionZh}（尚缺：{missingZh}）（R-TRN-3）',
    en: 'The topic needs the approval of both mentors before it can be {action} (missing: {missing}) (R-TRN-3)',
  },
  NO_MID_CHECK: { status: 409, zh: '须先完成中期检查才能答辩', en: 'The mid-check must be recorded before the defence' },
  ALREADY_DEFENDED: { status: 409, zh: '该课题已完成答辩评审', en: 'The defence has already been recorded' },
  PANEL_INCOMPLETE: {
    status: 422,
    zh: '答辩评审组须包括该生的院校导师、企业导师和至少一名其他专家（R-TRN-3）：{missingZh}',
    en: "The defence panel needs the student's college mentor, enterprise mentor and at least one other expert (R-TRN-3): {missing}",
  },
  PANEL_MEMBER_NOT_FOUND: { status: 422, zh: '评审组成员不存在：{id}', en: 'Panel member not found: {id}' },
  PANEL_DUPLICATE: { status: 422, zh: '评审组成员重复', en: 'A panel member is listed twice' },
});

export const SIDE_ZH = { college: '院校导师', enterprise: '企业导师' } as const;
