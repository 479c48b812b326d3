import type { ExecutionContext } from '@nestjs/common';
import type { BitlyProxySession } from './bitly-proxy.session.js';
import type { CallerContext } from './context/caller-context.storage.js';
import { requestIdOf } from '../http-request/request-id.resolver.js';

/** What both Express and Fastify requests carry (Fastify's node request is `raw`). */
interface IncomingRequest {
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  socket?: { remoteAddress?: string };
  raw?: { rawHeaders: string[]; socket?: { remoteAddress?: string } };
}

/**
 * What both route guards of the backend session do first: take the request id the request hooks settled
 * (and already echoed as `X-Request-Id`), for the backend calls to send, and read the caller's Basic
 * credentials (a 401 `BackendError` when missing or malformed, unless `auth.type` is `none`).
 */
export function settleRequestCaller(context: ExecutionContext, session: BitlyProxySession): CallerContext {
  const req = httpRequestOf<IncomingRequest>(context);
  const requestId = requestIdOf(req);
  const response = context.getArgByIndex<object>(1);
  const client = { peer: (req.raw ?? req).socket?.remoteAddress, forwardedFor: req.headers['x-forwarded-for'] };
  const inbound = { authorizations: authorizationHeaders(req), oneTimeCode: req.headers['x-github-otp'], device: req.headers['x-apikit-device'] };
  return session.callerOf(inbound, requestId, client, response);
}

/**
 * An HTTP context's request: its first argument, as `switchToHttp().getRequest()` gives it, but without
 * the three closures `switchToHttp()` makes and assigns onto the context at every call (~1 µs per
 * request over a guard and a parameter, bench/profile.js).
 */
export function httpRequestOf<T>(context: ExecutionContext): T {
  return context.getArgByIndex<T>(0);
}

/** Every `Authorization` header as received: `req.headers` keeps only the first of several. */
function authorizationHeaders(req: IncomingRequest): string[] {
  const raw = req.raw?.rawHeaders ?? req.rawHeaders ?? [];
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() === 'authorization') values.push(raw[i + 1]);
  return values;
}
