import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const ACCEPTABLE = /^[A-Za-z0-9._-]{8,64}$/;

/** One id per request: the caller's X-Request-Id when it is sane, else a new UUID. Idempotent. */
export function requestIdOf(req: IncomingMessage & { id?: unknown }): string {
  if (typeof req.id === 'string') return req.id;
  const header = req.headers['x-request-id'];
  const id = typeof header === 'string' && ACCEPTABLE.test(header) ? header : randomUUID();
  req.id = id;
  return id;
}
