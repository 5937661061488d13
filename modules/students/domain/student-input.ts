import { unsafeTextReason } from '../../../src/http/request-hygiene';
import { MOBILE, parseResidentId } from './resident-id';

export const ENTRY_LEVEL_NAMES: Record<string, { zh: string; en: string; aliases: string[] }> = {
  'junior-high': { zh: '初中', en: 'junior-high graduate', aliases: ['初中', '初中毕业', '初中毕业生', 'junior-high'] },
  'senior-high': { zh: '高中', en: 'senior-high graduate', aliases: ['高中', '高中毕业', '高中毕业生', '普高', 'senior-high'] },
  'secondary-vocational': {
    zh: '中技/中职',
    en: 'secondary technical/vocational graduate',
    aliases: ['中技', '中职', '中技/中职', '中技中职', '中专', '中技/中职毕业生', 'secondary-vocational'],
  },
  'higher-vocational': { zh: '高技/高职', en: 'higher technical/vocational graduate', aliases: ['高技', '高职', '高技/高职', '高技高职', '大专', '高技/高职毕业生', 'higher-vocational'] },
  'bachelor-plus': { zh: '本科/研究生', en: 'bachelor or postgraduate', aliases: ['本科', '研究生', '本科/研究生', '本科及以上', 'bachelor-plus'] },
};

const GENDER_WORDS: Record<string, 'male' | 'female'> = { 男: 'male', 女: 'female', male: 'male', female: 'female' };

/** One student's values as typed (a form or a spreadsheet row), all optional strings. */
export interface StudentInput {
  name?: string;
  gender?: string;
  dateOfBirth?: string;
  idNumber?: string;
  mobile?: string;
  entryLevel?: string;
}

export interface ValidStudent {
  name: string;
  gender: 'male' | 'female';
  dateOfBirth: string;
  idNumber: string;
  mobile: string | null;
  entryLevel: string;
}

/** A problem with one value: the column (the template's Chinese header) and a message in Chinese and English. */
export interface InputProblem {
  column: keyof StudentInput;
  zh: string;
  en: string;
}

export const COLUMN_HEADERS: Record<keyof StudentInput, string> = {
  name: '姓名',
  gender: '性别',
  dateOfBirth: '出生日期',
  idNumber: '身份证号',
  mobile: '手机号',
  entryLevel: '入学起点',
};

export function entryLevelOf(value: string): string | undefined {
  const v = value.trim();
  return Object.entries(ENTRY_LEVEL_NAMES).find(([, n]) => n.aliases.includes(v))?.[0];
}

/**
 * Validates a student's values against the cohort's track: the resident ID's check
 * character (GB 11643-1999), birth date and gender agreeing with the ID when given, a
 * mainland mobile, and R-TRK-3 (entry level matches the track; the flexible track takes any).
 */
export function validateStudent(input: StudentInput, track: { code: string; flexible: boolean }, today: string): ValidStudent | InputProblem[] {
  const problems: InputProblem[] = [];
  // a form field or a CSV/XLSX cell holding U+0000 or a lone surrogate never reaches PostgreSQL (issue 8 item 5)
  for (const [column, value] of Object.entries(input) as [keyof StudentInput, string | undefined][]) {
    const unsafe = typeof value === 'string' ? unsafeTextReason(value) : undefined;
    if (unsafe === 'nul') problems.push({ column, zh: `${COLUMN_HEADERS[column]}不能包含空字符（U+0000）`, en: `${column} must not contain a NUL character (U+0000)` });
    else if (unsafe) problems.push({ column, zh: `${COLUMN_HEADERS[column]}包含无效的 Unicode 字符`, en: `${column} contains invalid Unicode (a lone surrogate)` });
  }
  if (problems.length) return problems;
  const name = (input.name ?? '').trim();
  if (!name) problems.push({ column: 'name', zh: '姓名不能为空', en: 'Name is required' });
  else if (name.length > 64) problems.push({ column: 'name', zh: '姓名不能超过 64 个字符', en: 'Name is longer than 64 characters' });

  const id = parseResidentId(input.idNumber ?? '', today);
  if (!(input.idNumber ?? '').trim()) problems.push({ column: 'idNumber', zh: '身份证号不能为空', en: 'ID number is required' });
  else if (id === 'FORMAT') problems.push({ column: 'idNumber', zh: '身份证号应为 18 位（前 17 位数字，末位数字或 X）', en: 'The ID number must be 17 digits and a digit or X' });
  else if (id === 'BIRTH_DATE') problems.push({ column: 'idNumber', zh: '身份证号中的出生日期无效', en: 'The birth date in the ID number is not valid' });
  else if (id === 'CHECK_CHARACTER') problems.push({ column: 'idNumber', zh: '身份证号校验位不正确，请核对', en: 'The ID number check character is wrong' });

  let gender: 'male' | 'female' | undefined;
  const g = (input.gender ?? '').trim();
  if (g) {
    gender = GENDER_WORDS[g];
    if (!gender) problems.push({ column: 'gender', zh: '性别应填“男”或“女”', en: 'Gender must be 男 or 女' });
    else if (typeof id === 'object' && id.gender !== gender) problems.push({ column: 'gender', zh: '性别与身份证号不一致', en: 'Gender does not match the ID number' });
  }
  const dob = (input.dateOfBirth ?? '').trim().replace(/[./年月]/g, '-').replace(/日$/, '');
  if (dob) {
    const normalized = /^\d{4}-\d{1,2}-\d{1,2}$/.test(dob) ? dob.split('-').map((p, i) => (i ? p.padStart(2, '0') : p)).join('-') : dob;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(normalized)) problems.push({ column: 'dateOfBirth', zh: '出生日期格式应为 YYYY-MM-DD', en: 'Birth date must be YYYY-MM-DD' });
    else if (typeof id === 'object' && id.dateOfBirth !== normalized) problems.push({ column: 'dateOfBirth', zh: '出生日期与身份证号不一致', en: 'Birth date does not match the ID number' });
  }
  const mobile = (input.mobile ?? '').replace(/[\s-]/g, '');
  if (mobile && !MOBILE.test(mobile)) problems.push({ column: 'mobile', zh: '手机号应为 11 位大陆手机号码', en: 'The mobile number must be an 11-digit mainland number' });

  const levelText = (input.entryLevel ?? '').trim();
  const level = levelText ? entryLevelOf(levelText) : undefined;
  if (!levelText) problems.push({ column: 'entryLevel', zh: '入学起点不能为空', en: 'Entry level is required' });
  else if (!level) {
    problems.push({ column: 'entryLevel', zh: '入学起点应为：初中、高中、中技/中职、高技/高职、本科/研究生', en: 'Unknown entry level' });
  } else if (!track.flexible && level !== track.code) {
    // R-TRK-3
    problems.push({
      column: 'entryLevel',
      zh: `入学起点“${ENTRY_LEVEL_NAMES[level].zh}”与班级学制不符：本班只招收${ENTRY_LEVEL_NAMES[track.code]?.zh ?? track.code}毕业生（R-TRK-3）`,
      en: `Entry level ${ENTRY_LEVEL_NAMES[level].en} does not match the cohort's track ${track.code} (R-TRK-3)`,
    });
  }
  if (problems.length || typeof id !== 'object') return problems;
  return { name, gender: id.gender, dateOfBirth: id.dateOfBirth, idNumber: id.normalized, mobile: mobile || null, entryLevel: level! };
}
