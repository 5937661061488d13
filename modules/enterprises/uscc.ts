/**
 * R-ENT-0: the unified social credit code (统一社会信用代码), GB 32100-2015. 18 characters
 * from a 31-character alphabet (digits and capitals without I, O, S, V, Z); the 18th is a
 * check character: weights 3^i mod 31, check = (31 − Σ mod 31) mod 31.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type UsccCheck = { ok: true } | { ok: false; reason: { zh: string; en: string } };

/** Upper-case, without spaces: what users paste from a business licence. */
export function normalizeUscc(code: string): string {
  return code.replace(/\s+/g, '').toUpperCase();
}

export function usccCheckCharacter(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(body17[i]) * WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

export function checkUscc(code: string): UsccCheck {
  if (code.length !== 18) {
    return {
      ok: false,
      reason: { zh: `统一社会信用代码应为 18 位，当前为 ${code.length} 位`, en: `A USCC has 18 characters; this one has ${code.length}` },
    };
  }
  for (let i = 0; i < 18; i++) {
    if (!USCC_ALPHABET.includes(code[i])) {
      return {
        ok: false,
        reason: {
          zh: `第 ${i + 1} 位字符“${code[i]}”不允许出现在统一社会信用代码中（只能是数字和除 I、O、S、V、Z 以外的大写字母）`,
          en: `Character ${i + 1} ("${code[i]}") is not allowed in a USCC (digits and capitals except I, O, S, V, Z)`,
        },
      };
    }
  }
  const expected = usccCheckCharacter(code.slice(0, 17));
  if (expected !== code[17]) {
    return {
      ok: false,
      reason: {
        zh: `校验码错误：按 GB 32100-2015 计算第 18 位应为“${expected}”，实际为“${code[17]}”，请核对营业执照`,
        en: `Wrong check character: GB 32100-2015 gives "${expected}" for position 18, found "${code[17]}"; check the business licence`,
      },
    };
  }
  return { ok: true };
}
