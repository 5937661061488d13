/** PIPL masking for responses, logs and exports (QUALITY §4). */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** 440106********1234: region code and the last four kept. */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return id ?? null;
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(-4)}` : '********';
}

export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return email ?? null;
  const [local, domain] = email.split('@');
  if (!domain) return '***';
  return `${local.slice(0, 1)}***@${domain}`;
}
