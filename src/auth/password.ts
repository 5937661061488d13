import * as argon2 from 'argon2';

/** argon2id at or above OWASP's minimum (m=19456 KiB, t=2, p=1); QUALITY §2. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

/** Password policy: at least 10 characters, letters and digits, not the login itself. */
export function passwordProblems(password: string, login: (string | null | undefined)[] = []): string[] {
  const problems: string[] = [];
  if (password.length < 10) problems.push('tooShort');
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) problems.push('needsLettersAndDigits');
  if (password.length > 128) problems.push('tooLong');
  const lower = password.toLowerCase();
  if (login.some((l) => l && lower.includes(l.toLowerCase()))) problems.push('containsLogin');
  return problems;
}
