import { defineErrors } from '../../src/errors/error-catalog';

export const TeamErrors = defineErrors('TEAMS', {
  NOT_FOUND: { status: 404, zh: '未找到该教学和考评团队', en: 'Team not found' },
  PROGRAMME_NOT_FOUND: { status: 422, zh: '专业不存在', en: 'The programme does not exist' },
  COHORT_NOT_FOUND: { status: 422, zh: '班级不存在或不属于该专业', en: 'The cohort does not exist or belongs to another programme' },
  DUPLICATE: {
    status: 409,
    zh: '该专业（或该班级）已有教学和考评团队',
    en: 'The programme (or cohort) already has a teaching and assessment team',
  },
  STAFF_NOT_FOUND: { status: 422, zh: '该人员不存在', en: 'The staff member does not exist' },
  STAFF_NOT_ACTIVE: { status: 422, zh: '{name} 已离任，不能加入团队', en: '{name} has left and cannot join the team' },
  STAFF_REJECTED: { status: 422, zh: '{name} 已被所属企业退回，不能加入团队', en: '{name} was rejected by the enterprise and cannot join the team' },
  ALREADY_MEMBER: { status: 409, zh: '{name} 已是该团队成员', en: '{name} is already a member of the team' },
  MEMBER_NOT_FOUND: { status: 404, zh: '未找到该团队成员', en: 'Team member not found' },
  NOT_COMPLIANT: {
    status: 422,
    zh: '教学和考评团队不符合要求（R-EVA-2）：{reasons}',
    en: 'The teaching and assessment team does not meet R-EVA-2: {reasonsEn}',
  },
});
