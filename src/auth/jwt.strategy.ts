import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/app-config';
import { AppException } from '../errors/app.exception';
import type { Actor } from '../tenancy/request-context';
import { AccessClaims } from './access-token';
import { AuthErrors } from './auth.errors';
import { AuthStateCache } from './auth-state.cache';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly states: AuthStateCache,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // a KeyObject: given a string, jsonwebtoken tries (and fails) to parse it as a public key on every call
      secretOrKey: createSecretKey(Buffer.from(config.JWT_SECRET)) as unknown as Buffer, // the typings lag: jsonwebtoken 9 takes a KeyObject
      algorithms: ['HS256'],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessClaims): Promise<Actor> {
    // jsonwebtoken accepts a token without exp; we do not.
    if (claims.typ !== 'access' || typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || !claims.mid) {
      throw new AppException(AuthErrors.TOKEN_INVALID);
    }
    const state = await this.states.get(claims.mid);
    if (!state || !state.active || state.userId !== claims.sub || claims.pv !== state.passwordChangedAt) {
      throw new AppException(AuthErrors.SESSION_ENDED);
    }
    return {
      userId: claims.sub,
      membershipId: claims.mid,
      scope: claims.scope,
      role: claims.role,
      tenantId: claims.tid,
      enterpriseId: claims.eid,
      displayName: claims.name,
    };
  }
}
