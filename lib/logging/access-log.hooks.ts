import { Logger } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basicUsername } from '../http-request/basic-username.reader.js';
import { logEvent } from './log-event.js';

/** The part of a Fastify instance and reply the access log uses (typed here: lib/ imports no adapter). */
interface FastifyOnRequest {
  addHook(
    name: 'onRequest',
    hook: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; getHeader(name: string): unknown }, done: () => void) => void,
  ): unknown;
}

/**
 * `accessLog: true`: one `request.completed` line per request, when its answer is sent (or the client
 * left: `aborted`), the metadata and health routes and 404s included. Installed before apikit's other
 * hooks so that it sees the requests they answer; not installed at all when the option is off.
 */
export function installAccessLog(httpAdapter: AbstractHttpAdapter): void {
  const logger = new Logger('ApiKit');
  if (httpAdapter.getType() === 'fastify') {
    httpAdapter.getInstance<FastifyOnRequest>().addHook('onRequest', function logAccess(request, reply, done) {
      // Fastify keeps the headers it sets on the reply until it writes them: read them there.
      logWhenAnswered(logger, request.raw, reply.raw, (name) => reply.getHeader(name));
      done();
    });
    return;
  }
  httpAdapter.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    logWhenAnswered(logger, req, res, (name) => res.getHeader(name));
    next();
  });
}

function logWhenAnswered(logger: Logger, req: IncomingMessage, res: ServerResponse, answerHeader: (name: string) => unknown): void {
  const startedAt = performance.now();
  // Read now: routers may rewrite `req.url` on the way. The query stays out (it may carry what the caller asked for).
  const { method } = req;
  const path = pathOf(req.url ?? '/');
  res.once('close', () => {
    const status = res.statusCode;
    const requestId = answerHeader('x-request-id');
    logEvent(logger, 'log', 'request.completed', 'Answered a request', {
      requestId: typeof requestId === 'string' ? requestId : undefined,
      method,
      path,
      status,
      durationMs: Math.round(performance.now() - startedAt),
      // A 401 says the credentials were not accepted: no caller was authenticated.
      user: status === 401 ? undefined : basicUsername(req.headers.authorization),
      ...(res.writableFinished ? {} : { aborted: true }),
    });
  });
}

/**
 * The request-target's path, without its query. Node passes an absolute-form target on as it came
 * (`http://user:password@host/path`, a client speaking as to a proxy): its path alone, never its userinfo or authority.
 */
function pathOf(target: string): string {
  if (target.startsWith('/')) return target.split('?', 1)[0];
  if (!URL.canParse(target)) return target === '*' ? '*' : '';
  const url = new URL(target);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.pathname : '';
}
