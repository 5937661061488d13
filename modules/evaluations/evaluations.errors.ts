import { defineErrors } from '../../src/errors/error-catalog';

export const EvaluationErrors = defineErrors('EVALUATIONS', {
  NOT_FOUND: { status: 404, zh: '未找到该评估', en: 'Evaluation not found' },
  PROGRAMME_NOT_FOUND: { status: 422, zh: '专业 {programmeId} 不存在', en: 'Programme {programmeId} does not exist' },
  NOT_A_PILOT: {
    status: 422,
    zh: '专业试点状态为“{status}”，不能安排{kind}（中期评估须为试点中，结业评估须为试点中或已通过中期评估）',
    en: 'The programme is "{status}": a {kindEn} cannot be scheduled (mid-term needs an active pilot; completion an active or mid-term-passed one)',
  },
  EXPERT_NOT_FOUND: { status: 422, zh: '用户 {userId} 不是省级评审专家', en: 'User {userId} is not a province review expert' },
  EXPERT_CONFLICT: { status: 422, zh: '回避：专家 {name} 在该院校有账号身份，不能评估本校专业', en: 'Conflict of interest: expert {name} holds a membership in this college' },
  ALREADY_CONCLUDED: { status: 409, zh: '该评估已有结论', en: 'The evaluation already has a conclusion' },
  RECTIFY_NEEDS_DEADLINE: { status: 422, zh: '限期整改须填写晚于今天的整改期限', en: 'A rectification needs a deadline after today' },
  SATISFACTION_REQUIRED: { status: 422, zh: '结业评估须填写合作企业满意度调查得分（0–100）', en: 'A completion evaluation needs the partner-enterprise satisfaction score (0–100)' },
  BAD_SCORES: { status: 422, zh: '评估清单得分须为 1–50 项、每项 0–100 的整数', en: 'Checklist scores must be 1 to 50 items, integers 0–100' },
  ALREADY_REVOKED: { status: 422, zh: '专业试点状态为“{status}”，不能撤销', en: 'The programme is "{status}" and cannot be revoked' },
});
