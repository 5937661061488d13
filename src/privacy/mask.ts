/** PIPL masking for responses, logs and exports (QUALITY §4). */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/**
 * The one masking rule for resident ID numbers (issue 9 item 5): the region code and the
 * last two characters (one sequence digit and the check character) are kept —
 * 440106**********49. Together with what a role without `students.reveal-pii` may read of
 * the birth date (year and month, see maskDateOfBirth) and the gender, at least 2,800
 * day/sequence combinations remain, about 250 of them with a valid check character: the
 * number cannot be rebuilt. The old form (last four kept) plus the full birth date gave
 * the whole number.
 */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return id ?? null;
  return id.length === 18 ? `${id.slice(0, 6)}**********${id.slice(-2)}` : '********';
}

/** Birth date for a role without `students.reveal-pii`: year and month only (YYYY-MM). */
export function maskDateOfBirth(date: string | null | undefined): string | null {
  if (!date) return date ?? null;
  return date.slice(0, 7);
}

export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return email ?? null;
  const [local, domain] = email.split('@');
  if (!domain) return '***';
  return `${local.slice(0, 1)}***@${domain}`;
}
