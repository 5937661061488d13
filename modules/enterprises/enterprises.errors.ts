import { defineErrors } from '../../src/errors/error-catalog';

export const EnterpriseErrors = defineErrors('ENTERPRISES', {
  NOT_FOUND: { status: 404, zh: '未找到该企业', en: 'Enterprise not found' },
  USCC_INVALID: { status: 422, zh: '统一社会信用代码未通过校验', en: 'The unified social credit code fails the check' },
  USCC_TAKEN: { status: 409, zh: '统一社会信用代码 {uscc} 已在全省企业库中', en: 'USCC {uscc} is already in the province registry' },
  UNKNOWN_CLUSTER: { status: 422, zh: '未知的产业集群代码：{codes}', en: 'Unknown industry cluster codes: {codes}' },
  NO_CHANGES: { status: 422, zh: '变更建议至少要包含一项修改', en: 'A change proposal needs at least one change' },
  PROPOSAL_NOT_FOUND: { status: 404, zh: '未找到该变更建议', en: 'Change proposal not found' },
  PROPOSAL_DECIDED: { status: 409, zh: '该变更建议已处理（{status}），不能重复处理', en: 'The change proposal was already decided ({status})' },
  COOPERATION_NOT_FOUND: { status: 404, zh: '未找到该合作记录', en: 'Cooperation record not found' },
  PROGRAMME_NOT_FOUND: { status: 404, zh: '未找到该专业（须为本企业合作的专业）', en: 'Programme not found (it must be one your enterprise partners with)' },
  OFFERING_NOT_FOUND: { status: 404, zh: '未找到该岗位或项目', en: 'Post or project not found' },
  ATTACHMENT_MISSING: { status: 422, zh: '佐证附件不存在', en: 'The evidence attachment does not exist' },
  BAD_REFERENCE_DATE: { status: 400, zh: '参考日期必须是 YYYY-MM-DD', en: 'The reference date must be YYYY-MM-DD' },
});
