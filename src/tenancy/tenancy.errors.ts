import { defineErrors } from '../errors/error-catalog';

export const TenancyErrors = defineErrors('TENANCY', {
  NO_TENANT_CONTEXT: {
    status: 403,
    zh: '当前身份不属于任何院校，无法访问院校数据',
    en: 'This identity belongs to no college and cannot reach college data',
  },
});
