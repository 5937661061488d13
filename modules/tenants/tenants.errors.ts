import { defineErrors } from '../../src/errors/error-catalog';

export const TenantErrors = defineErrors('TENANTS', {
  NOT_FOUND: { status: 404, zh: '未找到该院校', en: 'College not found' },
  CODE_TAKEN: { status: 409, zh: '院校代码 {code} 已被使用', en: 'College code {code} is already used' },
  ALREADY_SUSPENDED: { status: 409, zh: '该院校已处于停用状态', en: 'The college is already suspended' },
  NOT_SUSPENDED: { status: 409, zh: '该院校未停用', en: 'The college is not suspended' },
});
