import { defineErrors } from '../../src/errors/error-catalog';

export const GovernanceErrors = defineErrors('GOVERNANCE', {
  PROGRAMME_NOT_FOUND: { status: 422, zh: '专业 {programmeId} 不存在', en: 'Programme {programmeId} does not exist' },
  NOT_A_PILOT: { status: 422, zh: '专业试点状态为“{status}”，只能对试点专业作出经费支持决定（R-GOV-5）', en: 'The programme is "{status}": funding decisions are for pilot programmes only (R-GOV-5)' },
  AMOUNT_OR_COEFFICIENT: { status: 422, zh: '须填写支持金额或生均经费系数（至少一项）', en: 'Give an amount or a per-student coefficient (at least one)' },
  REPORT_NOT_FOUND: { status: 404, zh: '未找到该经验报告', en: 'Experience report not found' },
  REPORT_REFERENCE: { status: 422, zh: '{what} {id} 不属于本校', en: '{whatEn} {id} does not belong to your college' },
  ALREADY_SELECTED: { status: 409, zh: '该报告已入选优秀案例库', en: 'The report is already in the case library' },
});
