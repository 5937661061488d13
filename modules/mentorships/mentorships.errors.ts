import { defineErrors } from '../../src/errors/error-catalog';

export const MentorshipErrors = defineErrors('MENTORSHIPS', {
  NOT_FOUND: { status: 404, zh: '未找到该导师关系', en: 'Mentorship not found' },
  STUDENT_NOT_FOUND: { status: 422, zh: '学生不存在', en: 'The student does not exist' },
  MENTOR_NOT_FOUND: { status: 422, zh: '导师不存在', en: 'The mentor does not exist' },
  SIDE_TAKEN: {
    status: 409,
    zh: '该学生已有在任的{sideZh}（每名学生只能有一名在任院校导师和一名在任企业导师），如需更换请使用“更换导师”',
    en: 'The student already has an active {side} mentor (one active college and one active enterprise mentor each); use reassignment to change',
  },
  WRONG_SIDE: { status: 422, zh: '{name} 不是{sideZh}', en: '{name} is not a {side} mentor' },
  MENTOR_NOT_ACTIVE: { status: 422, zh: '{name} 已离任或尚未经企业确认，不能担任导师', en: '{name} has left or is not confirmed by the enterprise' },
  NOT_PROGRAMME_PARTNER: {
    status: 422,
    zh: '{name} 所属企业不是该学生所在专业的合作企业（或无生效的校企合作协议），不能担任其企业导师（R-TRN-3）',
    en: "{name}'s enterprise is not a partner of the student's programme with an agreement in force (R-TRN-3)",
  },
  SAME_MENTOR: { status: 409, zh: '新导师与现任导师相同', en: 'The new mentor is the current mentor' },
  ALREADY_ENDED: { status: 409, zh: '该导师关系已结束', en: 'The mentorship has already ended' },
  ENDS_BEFORE_START: {
    status: 422,
    zh: '更换日期不能早于原导师关系的开始日期（{startedOn}）',
    en: 'The reassignment date cannot be before the current mentorship started ({startedOn})',
  },
  BULK_INVALID: {
    status: 422,
    zh: '批量分配未执行：{count} 行有错误，全部未保存',
    en: 'Bulk assignment not applied: {count} row(s) have errors; nothing was saved',
  },
  NOT_YOUR_MENTEE: {
    status: 403,
    zh: '只有该学生的在任导师可以记录指导',
    en: "Only the student's active mentors may record guidance",
  },
});

export const SIDE_ZH = { college: '院校导师', enterprise: '企业导师' } as const;
