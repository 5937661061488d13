/**
 * Resident identity card number (GB 11643-1999): 6-digit region, 8-digit birth date,
 * 3-digit sequence (odd = male), check character by ISO 7064 MOD 11-2 with weights
 * 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2 and characters `10X98765432` for remainders 0–10
 * (../shared/reference/README.md).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

export type ResidentIdProblem = 'FORMAT' | 'BIRTH_DATE' | 'CHECK_CHARACTER';

export interface ResidentIdFacts {
  /** upper-case, trimmed */
  normalized: string;
  dateOfBirth: string;
  gender: 'male' | 'female';
}

/** Trims, removes inner spaces and upper-cases a trailing x. */
export function normalizeResidentId(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export function parseResidentId(raw: string, today?: string): ResidentIdFacts | ResidentIdProblem {
  const id = normalizeResidentId(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return 'FORMAT';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  const iso = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'BIRTH_DATE';
  if (today && iso > today) return 'BIRTH_DATE';
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return 'CHECK_CHARACTER';
  return { normalized: id, dateOfBirth: iso, gender: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

/** A valid number for seeds and tests: region + birth date + sequence + the right check character. */
export function makeResidentId(region: string, dateOfBirth: string, sequence: number): string {
  const first17 = `${region}${dateOfBirth.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** Mainland mobile numbers: 11 digits starting 13–19. */
export const MOBILE = /^1[3-9]\d{9}$/;
