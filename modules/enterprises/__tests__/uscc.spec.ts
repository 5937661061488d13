import { checkUscc, normalizeUscc, usccCheckCharacter, USCC_ALPHABET } from '../uscc';

/** A valid code built from a real-looking body (广州市黄埔区 440112). */
const body = '91440112MA9DEM014';
const valid = body + usccCheckCharacter(body);

describe('R-ENT-0 USCC check character (GB 32100-2015)', () => {
  it('R-ENT-0: accepts a valid code, including well-known published examples', () => {
    expect(checkUscc(valid)).toEqual({ ok: true });
    // 国家市场监督管理总局 GB 32100-2015 worked example
    expect(checkUscc('91350100M000100Y43')).toEqual({ ok: true });
  });

  it('R-ENT-0: refuses a code one character off, with the reason in Chinese', () => {
    const off = valid.slice(0, 10) + (valid[10] === '1' ? '2' : '1') + valid.slice(11);
    const result = checkUscc(off);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason.zh).toContain('校验码错误');
      expect(result.reason.en).toContain('check character');
    }
  });

  it('R-ENT-0: refuses a wrong check character itself', () => {
    const wrongCheck = valid.slice(0, 17) + USCC_ALPHABET[(USCC_ALPHABET.indexOf(valid[17]) + 1) % 31];
    expect(checkUscc(wrongCheck).ok).toBe(false);
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])('R-ENT-0: refuses the letter %s anywhere in the code', (letter) => {
    const code = valid.slice(0, 8) + letter + valid.slice(9);
    const result = checkUscc(code);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.zh).toContain(`第 9 位字符“${letter}”`);
  });

  it.each([17, 19, 0])('R-ENT-0: refuses a code of length %i', (n) => {
    const code = (valid + valid).slice(0, n);
    const result = checkUscc(code);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.zh).toContain('应为 18 位');
  });

  it('normalises what users paste (spaces, lower case)', () => {
    expect(normalizeUscc(` ${valid.slice(0, 9).toLowerCase()} ${valid.slice(9)} `)).toBe(valid);
  });
});
