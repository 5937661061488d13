import type { IncomingMessage } from 'node:http';

/**
 * The few writes the app makes on Nest's response object itself (the problem filter, the
 * idempotency replay), on either HTTP adapter (ADR 0007, HTTP_ADAPTER): Express's `Response`
 * or Fastify's reply. Express keeps exactly the calls it made before the switch existed.
 */

/** The part of Fastify's reply this file uses (typed here so Express builds need no Fastify types). */
interface FastifyLikeReply {
  raw: object;
  sent: boolean;
  code(status: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  type(contentType: string): FastifyLikeReply;
  send(body: string): unknown;
}

interface ExpressLikeResponse {
  headersSent: boolean;
  setHeader(name: string, value: string): unknown;
  status(code: number): ExpressLikeResponse;
  type(contentType: string): ExpressLikeResponse;
  send(body: string): unknown;
}

export type HttpResponse = FastifyLikeReply | ExpressLikeResponse;

/** Node's own request under Nest's request object: Fastify's `request.raw`, or Express's request, which is one. */
export function rawRequest(req: object): IncomingMessage {
  const raw = (req as { raw?: unknown }).raw;
  return (raw && typeof raw === 'object' ? raw : req) as IncomingMessage;
}

export function isFastifyReply(res: unknown): res is FastifyLikeReply {
  return typeof res === 'object' && res !== null && typeof (res as FastifyLikeReply).code === 'function' && typeof (res as FastifyLikeReply).raw === 'object';
}

export function responseSent(res: unknown): boolean {
  return isFastifyReply(res) ? res.sent || (res.raw as { headersSent?: boolean }).headersSent === true : (res as ExpressLikeResponse).headersSent;
}

export function setResponseHeader(res: unknown, name: string, value: string): void {
  if (isFastifyReply(res)) res.header(name, value);
  else (res as ExpressLikeResponse).setHeader(name, value);
}

export function setResponseStatus(res: unknown, status: number): void {
  if (isFastifyReply(res)) res.code(status);
  else (res as ExpressLikeResponse).status(status);
}

/** Ends the response with `body` as `contentType` and `status`. */
export function sendResponse(res: unknown, status: number, contentType: string, body: string): void {
  if (isFastifyReply(res)) res.code(status).type(contentType).send(body);
  else (res as ExpressLikeResponse).status(status).type(contentType).send(body);
}
