import { Injectable, NestMiddleware, Optional } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { NextFunction, Request, Response } from 'express';
import { AccessClaims } from '../../auth/access-token';
import { AuthErrors } from '../../auth/auth.errors';
import { AuthStateCache } from '../../auth/auth-state.cache';
import { isAllowed } from '../../auth/permissions';
import { AppException } from '../../errors/app.exception';
import { languageOf, renderProblem } from '../../errors/problem.filter';
import { requestIdOf } from '../../http/request-id';

/**
 * Bull Board is Express middleware, outside Nest's guards, so it gets its own check:
 * a valid access token (401 otherwise) of a role allowed 'queues.admin' (403 otherwise),
 * answered as problem+json like every other error.
 */
@Injectable()
export class QueueBoardAuthMiddleware implements NestMiddleware {
  constructor(
    private readonly jwt: JwtService,
    /** present whenever AuthModule is: a revoked membership loses the board at once */
    @Optional() private readonly states?: AuthStateCache,
  ) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const claims = await this.authenticate(req);
      if (!isAllowed(claims.role, 'queues.admin')) throw new AppException(AuthErrors.FORBIDDEN, { role: claims.role });
      next();
    } catch (error) {
      const exception = error instanceof AppException ? error : new AppException(AuthErrors.TOKEN_INVALID);
      const body = renderProblem(exception, languageOf(req), requestIdOf(req), req.originalUrl.split('?')[0]);
      res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
    }
  }

  private async authenticate(req: Request): Promise<AccessClaims> {
    const header = req.headers.authorization;
    if (!header) throw new AppException(AuthErrors.TOKEN_MISSING);
    const [kind, token] = header.split(' ');
    if (kind?.toLowerCase() !== 'bearer' || !token) throw new AppException(AuthErrors.TOKEN_INVALID);
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token);
    } catch {
      throw new AppException(AuthErrors.TOKEN_INVALID);
    }
    // Same rules as the JWT strategy: access tokens only, with an expiry.
    if (claims.typ !== 'access' || typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || !claims.mid) {
      throw new AppException(AuthErrors.TOKEN_INVALID);
    }
    if (this.states) {
      const state = await this.states.get(claims.mid);
      if (!state || !state.active || state.userId !== claims.sub || claims.iat < state.passwordChangedAt) {
        throw new AppException(AuthErrors.SESSION_ENDED);
      }
    }
    return claims;
  }
}
