import { defineErrors } from '../../src/errors/error-catalog';

export const StaffErrors = defineErrors('STAFF', {
  NOT_FOUND: { status: 404, zh: '未找到该教职人员或导师', en: 'Staff member not found' },
  ENTERPRISE_REQUIRED: { status: 422, zh: '企业导师须指定所属企业', en: 'An enterprise mentor needs an enterprise' },
  ENTERPRISE_NOT_ALLOWED: { status: 422, zh: '院校教师不能指定所属企业', en: 'A college teacher belongs to no enterprise' },
  NOT_PARTNER: {
    status: 422,
    zh: '该企业不是本校的合作企业（无有效的校企合作关系），不能添加其企业导师',
    en: 'The enterprise is not a partner of this college (no active partnership); its mentors cannot be added',
  },
  OWN_ENTERPRISE_ONLY: { status: 403, zh: '企业管理员只能管理本企业的导师', en: 'An enterprise admin manages only its own mentors' },
  NOT_PENDING: { status: 409, zh: '该导师不处于待确认状态', en: 'The mentor is not pending confirmation' },
  ALREADY_LEFT: { status: 409, zh: '该人员已离任', en: 'The staff member has already left' },
  USER_LINKED: { status: 409, zh: '该用户账号已关联本校另一名人员', en: 'This user account is already linked to another staff member of the college' },
  USER_NOT_MEMBER: {
    status: 422,
    zh: '关联的用户账号不是本校（或本企业）的成员',
    en: 'The linked user account is not a member of this college (or enterprise)',
  },
  ATTACHMENT_MISSING: { status: 422, zh: '证书附件 {id} 不存在', en: 'Certificate attachment {id} does not exist' },
  SUCCESSOR_INVALID: {
    status: 422,
    zh: '接替人须为本校同一方（院校/企业，企业导师须同一企业）的在职且已确认人员',
    en: 'The successor must be an active, confirmed member of the same side (and, for enterprise mentors, the same enterprise)',
  },
  SUCCESSOR_REQUIRED: {
    status: 422,
    zh: '该人员仍有未完成事项（{items}），请指定接替人',
    en: 'The staff member still has open items ({itemsEn}); name a successor',
  },
  /** a departure cannot end a mentorship that began after it (checked by the mentorships' departure handler; issue 8 item 1) */
  LEFT_BEFORE_MENTORSHIP_START: {
    status: 422,
    zh: '离任日期 {on} 早于该导师与学生 {student} 的导师关系开始日期（{startedOn}），无法交接（共 {count} 个导师关系开始于离任日期之后）；请核对离任日期',
    en: 'The departure date {on} is before the mentorship with {student} started ({startedOn}); {count} mentorship(s) start after it, so they cannot be handed over. Check the date',
  },
});
