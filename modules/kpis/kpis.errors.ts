import { defineErrors } from '../../src/errors/error-catalog';

export const KpiErrors = defineErrors('KPIS', {
  COHORT_NOT_FOUND: { status: 404, zh: '未找到该班级', en: 'Cohort not found' },
  PROGRAMME_NOT_FOUND: { status: 404, zh: '未找到该专业', en: 'Programme not found' },
  COLLEGE_NOT_FOUND: { status: 404, zh: '未找到该院校', en: 'College not found' },
  COLLEGE_REQUIRED: { status: 400, zh: '省级用户须用 tenantId 指定院校', en: 'Province users must name the college with tenantId' },
});
