import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type { BitlyProxySession } from './backend-auth/bitly-proxy.session.js';
import { runInCallerSlot } from './backend-auth/context/caller-context.storage.js';
import { settleRequestId } from './http-request/request-id.resolver.js';
import type { ApiKitRoutesResponder } from './routes/apikit-routes.responder.js';

/** The part of a Fastify instance the hooks use (typed here: lib/ imports no adapter). */
interface FastifyHooks {
  addHook(
    name: 'onRequest' | 'preHandler',
    hook: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }, done: () => void) => void,
  ): unknown;
}

/**
 * What ApiKitModule does on every request, at the cheapest place the server and each adapter offer:
 * - settle the request id (`settleRequestId`) first of all, as the HTTP server's first `request` listener:
 *   ahead of the adapter, so that every answer of the server carries `X-Request-Id`, including those made
 *   before the hooks below (Express's body parsers refusing a body, the app's own `app.use(...)` answering a
 *   CORS preflight) and Fastify's own errors; the guards, filters and backend calls reuse it. One more
 *   listener costs an emit about 40 ns, and no closure is made per request;
 * - answer the metadata routes and the health check ahead of any controller route, so a catch-all
 *   `@Get(':jobname/:metric')` cannot swallow `/v1.0/metadata`;
 * - when a route uses `@UseBackendAuth()`, run the rest of the request (after its body is read) in a
 *   caller slot of its own, which `BackendAuthGuard` fills in and `BitlyProxySession` reads.
 *
 * Fastify gets native hooks: `onRequest` for the routes, `preHandler` (after body parsing, whose stream
 * events would lose the async context) for the slot; Nest's middleware would go through middie.
 * Express (and any adapter taking `use(fn)`) gets one root middleware, which Nest mounts after its body
 * parsers and the user's own `app.use(...)` (CORS, helmet) and before the router.
 */
export function installRequestHooks(httpAdapter: AbstractHttpAdapter, responder: ApiKitRoutesResponder, session: BitlyProxySession): void {
  // Nest creates the server with the application, before modules configure middleware.
  (httpAdapter.getHttpServer() as Server).prependListener('request', settleRequestId);
  // Known by now: Nest builds every guard (`BackendAuthGuard` sets it) before modules configure middleware.
  const openCallerSlots = session.requestCallersUsed;
  if (httpAdapter.getType() === 'fastify') {
    const fastify = httpAdapter.getInstance<FastifyHooks>();
    fastify.addHook('onRequest', function answerApiKitRoutes(request, reply, done) {
      if (!responder.answer(request.raw, reply.raw)) return done();
      reply.hijack(); // answered: Fastify's lifecycle stops here
    });
    // Without `@UseBackendAuth()` routes, no hook at all: each one costs Fastify's hook runner per request.
    if (openCallerSlots) fastify.addHook('preHandler', function openCallerSlot(_request, _reply, done) { runInCallerSlot(done); });
    return;
  }
  const proceed: (next: () => void) => void = openCallerSlots ? runInCallerSlot : (next) => next();
  httpAdapter.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (!responder.answer(req, res)) proceed(next);
  });
}
