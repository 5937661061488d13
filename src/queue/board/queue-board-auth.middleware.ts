import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AuthErrors } from '../../auth/auth.errors';
import { authenticateRequest } from '../../auth/authenticate';
import { isAllowed } from '../../auth/permissions';
import type { Role } from '../../auth/roles';
import { AppException } from '../../errors/app.exception';
import { languageOf, renderProblem } from '../../errors/problem.filter';
import { requestIdOf } from '../../http/request-id';

/**
 * Bull Board is Express middleware (a Fastify plugin on HTTP_ADAPTER=fastify), outside Nest's guards, so it gets its own check:
 * a valid access token (401 otherwise) of a role allowed 'queues.admin' (403 otherwise),
 * answered as problem+json like every other error. The token is verified by the same
 * passport 'jwt' strategy the access guard uses (AuthModule), so the rules (access
 * tokens only, expiry, revoked membership, changed password) cannot drift apart.
 */
@Injectable()
export class QueueBoardAuthMiddleware implements NestMiddleware {
  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      if (this.acceptTokenFromLink(req, res)) return;
      const cookieToken = readCookie(req, BOARD_COOKIE);
      if (!req.headers.authorization && cookieToken) req.headers.authorization = `Bearer ${cookieToken}`;
      const actor = await authenticateRequest(req);
      if (!isAllowed(actor.role as Role, 'queues.admin')) throw new AppException(AuthErrors.FORBIDDEN, { role: actor.role });
      next();
    } catch (error) {
      const exception = error instanceof AppException ? error : new AppException(AuthErrors.TOKEN_INVALID);
      const body = renderProblem(exception, languageOf(req), requestIdOf(req as never), req.originalUrl.split('?')[0]);
      if (isExpress(res)) res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
      else {
        res.statusCode = body.status;
        res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
        res.end(JSON.stringify(body));
      }
    }
  }

  /**
   * A browser sends no Authorization header: `/admin/queues?token=<access token>` moves the
   * token into an HttpOnly cookie scoped to the board (it expires with the token) and
   * redirects to the same page without it, so it stays out of history and logs.
   */
  private acceptTokenFromLink(req: Request, res: Response): boolean {
    const token = typeof req.query?.token === 'string' ? req.query.token : undefined;
    if (!token || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return false;
    const secure = (isExpress(res) ? req.secure : (req as { protocol?: string }).protocol === 'https') ? '; Secure' : '';
    res.setHeader('Set-Cookie', `${BOARD_COOKIE}=${token}; Path=/admin/queues; HttpOnly; SameSite=Strict; Max-Age=900${secure}`);
    if (isExpress(res)) res.redirect(302, req.baseUrl || '/admin/queues');
    else {
      res.statusCode = 302;
      res.setHeader('Location', '/admin/queues');
      res.end();
    }
    return true;
  }
}

const BOARD_COOKIE = 'jishi_board';

/**
 * On Express the middleware gets Express's request and response; on Fastify (HTTP_ADAPTER,
 * ADR 0007) Nest runs it through middie with Node's own (plus middie's `query`, `protocol`,
 * `originalUrl`), which have no status()/type()/send()/redirect().
 */
function isExpress(res: Response): boolean {
  return typeof (res as Partial<Response>).status === 'function';
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
