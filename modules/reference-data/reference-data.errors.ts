import { defineErrors } from '../../src/errors/error-catalog';

export const ReferenceErrors = defineErrors('REFERENCE', {
  INVALID_DATE: {
    status: 400,
    zh: '日期 {date} 无效，须为真实存在的日期（YYYY-MM-DD）',
    en: '{date} is not a valid date (YYYY-MM-DD)',
  },
  YEAR_OUT_OF_RANGE: {
    status: 400,
    zh: '年份 {year} 超出范围，须在 {min} 到 {max} 之间',
    en: 'Year {year} is out of range ({min}–{max})',
  },
  WORKING_DAYS_OUT_OF_RANGE: {
    status: 400,
    zh: '工作日天数须为 1 到 {max} 之间的整数',
    en: 'The number of working days must be an integer from 1 to {max}',
  },
  DATE_OUTSIDE_YEAR: {
    status: 422,
    zh: '日期 {date} 不属于 {year} 年',
    en: '{date} is not in {year}',
  },
  DUPLICATE_DATE: {
    status: 422,
    zh: '日期 {date} 重复录入，每一天只能出现一次',
    en: '{date} appears more than once',
  },
  ADJUSTED_WORKDAY_NOT_WEEKEND: {
    status: 422,
    zh: '调休上班日 {date} 不是周六或周日',
    en: 'The adjusted working day {date} is not a Saturday or Sunday',
  },
  CALENDAR_YEAR_NOT_ENTERED: {
    status: 404,
    zh: '{year} 年的节假日安排尚未录入，按该年计算的日期均为暂定',
    en: 'The holiday schedule for {year} has not been entered; dates computed through it are provisional',
  },
  CALENDAR_VERSION_REQUIRED: {
    status: 409,
    zh: '{year} 年的日历已存在，更新时须提供当前版本号 version（当前为 {current}）',
    en: 'The calendar for {year} exists; send its current version (now {current}) to update it',
  },
  UNKNOWN_SKILL_LEVEL: {
    status: 422,
    zh: '职业技能等级代码 {code} 不存在',
    en: 'No vocational skill level has the code {code}',
  },
  UNKNOWN_TITLE_LEVEL: {
    status: 422,
    zh: '职称级别代码 {code} 不存在',
    en: 'No professional title level has the code {code}',
  },
});
