import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { CommonErrors } from '../errors/common.errors';
import { AppException } from '../errors/app.exception';
import { languageOf, renderProblem } from '../errors/problem.filter';
import { requestIdOf } from './request-id';

/**
 * Issue 8 item 12: a client may not hold a connection open by sending slowly. Node enforces
 * `headersTimeout` and `requestTimeout` on the server itself, but only checks them every 30 s;
 * this middleware (mounted before the body parser) gives each request `requestTimeoutMs` from
 * its headers to the last byte of its body, then answers 408 problem+json and closes the
 * connection. Time spent handling the request after its body arrived does not count.
 */
export function applyServerTimeouts(server: Server, requestTimeoutMs: number, headersTimeoutMs: number): void {
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = requestTimeoutMs;
}

export function requestDeadline(requestTimeoutMs: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.complete) return next(); // no body, or already read
    const timer = setTimeout(() => {
      if (req.complete) return;
      const problem = renderProblem(new AppException(CommonErrors.REQUEST_TIMEOUT), languageOf(req), requestIdOf(req), req.originalUrl?.split('?')[0]);
      if (!res.headersSent) {
        res.setHeader('Connection', 'close');
        if (typeof res.status === 'function') res.status(408).type('application/problem+json').end(JSON.stringify(problem), () => req.socket.destroy());
        else {
          // Fastify (HTTP_ADAPTER=fastify): middie hands middleware Node's own response, which has no status()/type()
          res.statusCode = 408;
          res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
          res.end(JSON.stringify(problem), () => req.socket.destroy());
        }
      } else req.socket.destroy();
    }, requestTimeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    req.once('close', clear);
    res.once('finish', clear);
    next();
  };
}
