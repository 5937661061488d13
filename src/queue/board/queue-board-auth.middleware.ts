import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { AuthErrors } from '../../auth/auth.errors';
import { isAllowed } from '../../auth/permissions';
import type { Role } from '../../auth/roles';
import { AppException } from '../../errors/app.exception';
import { languageOf, renderProblem } from '../../errors/problem.filter';
import { requestIdOf } from '../../http/request-id';
import type { Actor } from '../../tenancy/request-context';

/**
 * Bull Board is Express middleware, outside Nest's guards, so it gets its own check:
 * a valid access token (401 otherwise) of a role allowed 'queues.admin' (403 otherwise),
 * answered as problem+json like every other error. The token is verified by the same
 * passport 'jwt' strategy the access guard uses (AuthModule), so the rules (access
 * tokens only, expiry, revoked membership, changed password) cannot drift apart.
 */
@Injectable()
export class QueueBoardAuthMiddleware implements NestMiddleware {
  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const actor = await this.authenticate(req);
      if (!isAllowed(actor.role as Role, 'queues.admin')) throw new AppException(AuthErrors.FORBIDDEN, { role: actor.role });
      next();
    } catch (error) {
      const exception = error instanceof AppException ? error : new AppException(AuthErrors.TOKEN_INVALID);
      const body = renderProblem(exception, languageOf(req), requestIdOf(req as never), req.originalUrl.split('?')[0]);
      res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
    }
  }

  private authenticate(req: Request): Promise<Actor> {
    if (!req.headers.authorization) return Promise.reject(new AppException(AuthErrors.TOKEN_MISSING));
    return new Promise((resolve, reject) => {
      passport.authenticate('jwt', { session: false }, (err: unknown, user: Actor | false) => {
        if (err) return reject(err instanceof AppException ? err : new AppException(AuthErrors.TOKEN_INVALID));
        if (!user) return reject(new AppException(AuthErrors.TOKEN_INVALID));
        resolve(user);
      })(req, {}, () => undefined);
    });
  }
}
