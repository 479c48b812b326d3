import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Bounded and log-safe: no spaces, quotes or control characters a log line could be forged with. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Where the request hooks leave a request's id, on node's request object: a symbol no other code writes. */
const SETTLED_REQUEST_ID = Symbol('nestjs-apikit request id');

type CarriesRequestId = IncomingMessage & { [SETTLED_REQUEST_ID]?: string };

/** The inbound `X-Request-Id` when it is sane, else a fresh UUID. */
export function resolveRequestId(inbound: unknown): string {
  return typeof inbound === 'string' && SANE_REQUEST_ID.test(inbound) ? inbound : randomUUID();
}

/**
 * Settles a request's id once, ahead of everything else that answers it (the HTTP server's first `request`
 * listener, see `installRequestHooks`):
 * kept on node's request for whatever reads it later, and set as `X-Request-Id` on node's response,
 * where Express's and Fastify's replies, Nest's error filters and the metadata routes all keep it.
 */
export function settleRequestId(req: IncomingMessage, res: ServerResponse): void {
  const requestId = resolveRequestId(req.headers['x-request-id']);
  (req as CarriesRequestId)[SETTLED_REQUEST_ID] = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
}

/**
 * The id of a request as Nest hands it to guards, filters and parameters (Express's request is node's;
 * Fastify's keeps node's as `raw`). Settled by the request hooks; should they have been bypassed (a server
 * Nest's adapter did not start), settled here, without the header.
 */
export function requestIdOf(request: object): string {
  const raw = ((request as { raw?: object }).raw ?? request) as CarriesRequestId;
  return (raw[SETTLED_REQUEST_ID] ??= resolveRequestId(raw.headers?.['x-request-id']));
}
