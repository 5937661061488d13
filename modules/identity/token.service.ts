import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config';
import type { AccessClaims } from '../../src/auth/access-token';
import { IdentityRepository, MembershipRow } from './identity.repository';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Issues access JWTs and rotating refresh tokens (stored hashed). */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly repository: IdentityRepository,
  ) {}

  signAccess(m: MembershipRow, displayName: string, passwordVersion: number): string {
    const claims: Omit<AccessClaims, 'iat' | 'exp'> & { name: string } = {
      sub: m.userId,
      mid: m.id,
      scope: m.scope,
      role: m.role,
      typ: 'access',
      name: displayName,
      pv: passwordVersion,
      ...(m.tenantId ? { tid: m.tenantId } : {}),
      ...(m.enterpriseId ? { eid: m.enterpriseId } : {}),
    };
    return this.jwt.sign(claims);
  }

  /** Call inside a transaction: the refresh token row is written with the caller's change. */
  async issue(
    m: MembershipRow,
    user: { displayName: string; passwordChangedAt: Date },
    familyId: string = randomUUID(),
  ): Promise<TokenPair> {
    const refreshToken = newOpaqueToken();
    await this.repository.insertRefreshToken({
      familyId,
      userId: m.userId,
      membershipId: m.id,
      tokenHash: hashToken(refreshToken),
      expiresAt: new Date(Date.now() + this.config.REFRESH_TTL_DAYS * 86_400_000),
    });
    return {
      accessToken: this.signAccess(m, user.displayName, user.passwordChangedAt.getTime()),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.config.JWT_ACCESS_TTL_SECONDS,
    };
  }
}
