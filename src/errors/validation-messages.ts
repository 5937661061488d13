/** Chinese and English messages for class-validator constraints, by constraint name. */
const MESSAGES: Record<string, { zh: string; en: string }> = {
  whitelistValidation: { zh: '不允许的字段', en: 'is not an allowed field' },
  isDefined: { zh: '不能为空', en: 'is required' },
  isNotEmpty: { zh: '不能为空', en: 'must not be empty' },
  isString: { zh: '必须是文本', en: 'must be a string' },
  isInt: { zh: '必须是整数', en: 'must be an integer' },
  isNumber: { zh: '必须是数字', en: 'must be a number' },
  isBoolean: { zh: '必须是布尔值', en: 'must be a boolean' },
  isUuid: { zh: '必须是合法的 UUID', en: 'must be a UUID' },
  isUUID: { zh: '必须是合法的 UUID', en: 'must be a UUID' },
  isEmail: { zh: '必须是合法的电子邮箱', en: 'must be an email address' },
  isIn: { zh: '取值必须是以下之一：{values}', en: 'must be one of: {values}' },
  isEnum: { zh: '取值必须是以下之一：{values}', en: 'must be one of: {values}' },
  maxLength: { zh: '长度不能超过 {max} 个字符', en: 'must be at most {max} characters' },
  minLength: { zh: '长度不能少于 {min} 个字符', en: 'must be at least {min} characters' },
  length: { zh: '长度必须在 {min} 到 {max} 个字符之间', en: 'must be {min} to {max} characters' },
  min: { zh: '不能小于 {min}', en: 'must not be less than {min}' },
  max: { zh: '不能大于 {max}', en: 'must not be greater than {max}' },
  matches: { zh: '格式不正确', en: 'has the wrong format' },
  isDateString: { zh: '必须是日期（YYYY-MM-DD）', en: 'must be a date (YYYY-MM-DD)' },
  isISO8601: { zh: '必须是 ISO 8601 日期', en: 'must be an ISO 8601 date' },
  isArray: { zh: '必须是数组', en: 'must be an array' },
  arrayMinSize: { zh: '至少需要 {min} 项', en: 'must have at least {min} items' },
  arrayMaxSize: { zh: '最多 {max} 项', en: 'must have at most {max} items' },
  arrayUnique: { zh: '不能有重复项', en: 'must not contain duplicates' },
  isObject: { zh: '必须是对象', en: 'must be an object' },
  nestedValidation: { zh: '格式不正确', en: 'is not valid' },
  isMobilePhone: { zh: '必须是合法的手机号码', en: 'must be a mobile number' },
  isPhone: { zh: '必须是 11 位中国大陆手机号码', en: 'must be an 11-digit mainland China mobile number' },
  isDateOnly: { zh: '必须是日期（YYYY-MM-DD）', en: 'must be a date (YYYY-MM-DD)' },
  isStrongPassword: {
    zh: '密码至少 10 位，且须包含字母和数字',
    en: 'the password needs at least 10 characters with letters and digits',
  },
};

export function validationMessage(
  constraint: string,
  lang: 'zh' | 'en',
  params: Record<string, unknown> = {},
): string {
  const entry = MESSAGES[constraint] ?? { zh: '取值无效', en: 'is not valid' };
  return entry[lang].replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    return Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v);
  });
}
