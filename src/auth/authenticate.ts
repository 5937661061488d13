import passport from 'passport';
import { AppException } from '../errors/app.exception';
import { isDatabaseUnavailable } from '../errors/problem.filter';
import type { Actor } from '../tenancy/request-context';
import { AuthErrors } from './auth.errors';

/**
 * Verifies the request's Bearer token with the passport 'jwt' strategy (JwtStrategy).
 * The access guard and the Express-level queue board both call this, so their rules
 * (access tokens only, expiry, revoked membership, changed password) cannot drift apart.
 */
export function authenticateRequest(req: { headers: Record<string, unknown> }): Promise<Actor> {
  if (!req.headers?.authorization) return Promise.reject(new AppException(AuthErrors.TOKEN_MISSING));
  return new Promise((resolve, reject) => {
    passport.authenticate('jwt', { session: false }, (err: unknown, user: Actor | false) => {
      // a database that went away while checking the token's state is a 503, not a bad token (issue 8 item 17)
      if (err) return reject(err instanceof AppException || isDatabaseUnavailable(err) ? err : new AppException(AuthErrors.TOKEN_INVALID));
      if (!user) return reject(new AppException(AuthErrors.TOKEN_INVALID));
      resolve(user);
    })(req, {}, () => undefined);
  });
}
