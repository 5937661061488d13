import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How long a download link works. Short: a link pasted into a chat should not outlive the meeting. */
export const LINK_TTL_MS = 15 * 60_000;

export interface LinkClaims {
  /** report id */
  r: string;
  /** the report's owner: a college's tenant id, or null for a province report */
  t: string | null;
  /** expiry, epoch milliseconds */
  e: number;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'invalid' | 'expired' };

/**
 * Signed, expiring download tokens (`<claims>.<hmac>`, both base64url). The key is derived from
 * the JWT secret with its own label, so a link can never be replayed as an access token or
 * the other way round. The storage (local disk or S3) needs no signing support of its own.
 */
export class DownloadLinkSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(`jishi:report-download-link:${secret}`).digest();
  }

  sign(claims: LinkClaims): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  verify(token: string, now: Date): LinkCheck {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined || body.length > 400) return { ok: false, reason: 'invalid' };
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    let claims: LinkClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    if (typeof claims?.r !== 'string' || typeof claims.e !== 'number' || (claims.t !== null && typeof claims.t !== 'string')) return { ok: false, reason: 'invalid' };
    if (now.getTime() >= claims.e) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
