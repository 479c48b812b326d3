import { httpLayerError } from '../errors/http-layer-error.js';

/** The part of Fastify's reply an answer needs (typed here: lib/ imports no adapter). */
interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload?: unknown): FastifyReplyLike;
}

type FrameworkErrors = (error: Error & { statusCode?: unknown }, request: unknown, reply: FastifyReplyLike) => unknown;

/**
 * Routes Fastify's framework errors (a malformed percent-encoding in the path, `FST_ERR_BAD_URL`; a route
 * parameter over `maxParamLength`, `FST_ERR_MAX_PARAM_LENGTH`, 414; a failing async constraint) to apikit's
 * body. Fastify's router answers these before any hook, and its own body quotes the path.
 *
 * Fastify offers no public way after construction: `frameworkErrors` is a constructor option, read at each
 * such error from the options object it keeps under `Symbol('fastify.options')` (fastify.js `onBadUrl`), and
 * the error handler their reply goes to is the one of construction time, before Nest's `setErrorHandler`.
 * So the option is replaced there, found by the symbol's description. The handler already there (Nest's
 * adapter sets one, which runs its security hook) still runs, its `send` answering apikit's body.
 * test/error-body-http-layer.e2e-spec.ts fails if Fastify moves it. Returns false when not found.
 */
export function answerFrameworkErrorsInApiKitBody(fastify: object): boolean {
  const key = Object.getOwnPropertySymbols(fastify).find((symbol) => symbol.description === 'fastify.options');
  const options = key === undefined ? undefined : (fastify as Record<symbol, { frameworkErrors?: FrameworkErrors | null } | undefined>)[key];
  if (typeof options !== 'object' || options === null) return false;
  const previous = options.frameworkErrors;
  options.frameworkErrors = function answerInApiKitBody(this: unknown, error, request, reply) {
    const send = (): FastifyReplyLike => answer(reply, statusOf(error));
    if (typeof previous !== 'function') return send();
    return previous.call(this, error, request, Object.create(reply, { send: { value: send } }) as FastifyReplyLike);
  };
  return true;
}

function answer(reply: FastifyReplyLike, status: number): FastifyReplyLike {
  const body = JSON.stringify(httpLayerError(status).toDict());
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(body);
}

/** FastifyErrors carry their status; a 5xx one (a failing async constraint) is not the caller's fault but still not echoed. */
function statusOf(error: { statusCode?: unknown }): number {
  const { statusCode } = error;
  return typeof statusCode === 'number' && Number.isInteger(statusCode) && statusCode >= 400 && statusCode <= 599 ? statusCode : 400;
}
