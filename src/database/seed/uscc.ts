/**
 * Check characters for demo identifiers (../shared/reference/README.md). The enterprises
 * module owns validation at runtime (R-ENT-0); the seed only needs to produce valid codes.
 */

/** GB 32100-2015 alphabet: digits and capitals without I, O, S, V, Z. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The 18th character of a USCC whose first 17 characters are `body17`. */
export function usccCheckChar(body17: string): string {
  if (body17.length !== 17) throw new Error(`USCC body must be 17 characters, got ${body17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(body17[i]);
    if (value < 0) throw new Error(`character ${body17[i]} is not allowed in a USCC`);
    sum += value * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

export function isValidUscc(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUW-Y]{18}$/.test(code)) return false;
  return usccCheckChar(code.slice(0, 17)) === code[17];
}

/**
 * GB 11714 organisation code check character (positions 9–17 of a USCC carry one):
 * weights 3,7,9,10,5,8,4,2 over digits/letters (A=10…), C = 11 − Σ mod 11; 10 → X, 11 → 0.
 */
export function orgCodeCheckChar(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body8[i], 36) * weights[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Builds a full USCC: 9 (market regulator) 1 (enterprise) + 6-digit region + 8-char org body. */
export function buildUscc(region6: string, orgBody8: string): string {
  const body17 = `91${region6}${orgBody8}${orgCodeCheckChar(orgBody8)}`;
  return body17 + usccCheckChar(body17);
}
