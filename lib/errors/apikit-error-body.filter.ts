import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';
import { REQUEST_ID_HEADER, requestIdOf } from '../http-request/request-id.resolver.js';
import { logEvent } from '../logging/index.js';
import { BackendError } from './backend-error.js';
import { BackendErrorFilter } from './backend-error.filter.js';
import { httpLayerError, noRouteError } from './http-layer-error.js';

/**
 * `errorBody: 'apikit'`: every error of an HTTP request answers apikit's body
 * `{ reason, status_code, error_content }`, so that a client (a chat bot, a script) parses one shape:
 * - a `BackendError` as `BackendErrorFilter` answers it;
 * - an `HttpException` (a `ValidationPipe` 400, a `ForbiddenException`...) with its status, the standard
 *   reason phrase and its message (a `ValidationPipe`'s messages joined by "; ");
 * - but Nest's 404 of no route and an error of the HTTP layer (a body parser's 413, malformed JSON, a
 *   malformed percent-encoding: the adapter maps them to an `HttpException` whose cause carries the
 *   status) with a fixed text, since their own messages quote the request;
 * - anything else as a 500 whose content names the request id alone; the error and its stack go to the
 *   log under that id, never to the caller.
 */
@Catch()
export class ApiKitErrorBodyFilter extends BackendErrorFilter {
  private readonly logger = new Logger('ApiKit');

  constructor(adapterHost: HttpAdapterHost) {
    super(adapterHost);
  }

  override catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error; // not ours to answer (a microservice or websocket context)
    if (error instanceof BackendError) return super.catch(error, host);
    const http = host.switchToHttp();
    const response: unknown = http.getResponse();
    if (this.adapterHost.httpAdapter.isHeadersSent(response)) {
      // Too late for a body: the answer has begun; end it, and say why in the log.
      logEvent(this.logger, 'error', 'request.failed_late', 'An error came after the answer began; the answer was ended', errorFields(error), stackOf(error));
      this.adapterHost.httpAdapter.end(response);
      return;
    }
    if (error instanceof HttpException) return super.catch(this.fromHttpException(error, http.getRequest<object>()), host);
    // The id the request hooks settled: the one the answer carries and the backend calls sent.
    const requestId = requestIdOf(http.getRequest<object>());
    logEvent(this.logger, 'error', 'request.unexpected_error', 'An unexpected error answered 500', { requestId, status: 500, ...errorFields(error) }, stackOf(error));
    const content = `An unexpected error occurred; it has been logged (request ${requestId}).`;
    super.catch(new BackendError('Internal Server Error', HttpStatus.INTERNAL_SERVER_ERROR, content, { [REQUEST_ID_HEADER]: requestId }), host);
  }

  private fromHttpException(error: HttpException, request: object): BackendError {
    const status = error.getStatus();
    if (carriesHttpLayerStatus(error.cause)) return httpLayerError(status);
    const message = messageOf(error.getResponse());
    if (error instanceof NotFoundException) {
      // Nest's handler of no route throws exactly this (RoutesResolver.registerNotFoundHandler).
      const { httpAdapter } = this.adapterHost;
      const method = String(httpAdapter.getRequestMethod(request));
      if (message === `Cannot ${method} ${String(httpAdapter.getRequestUrl(request))}`) return noRouteError(method);
    }
    return new BackendError(STATUS_CODES[status] ?? 'Error', status, message);
  }
}

/** What body-parser's, Express's and Fastify's errors carry (http-errors, FastifyError, a SyntaxError with `status`). */
function carriesHttpLayerStatus(cause: unknown): boolean {
  if (typeof cause !== 'object' || cause === null) return false;
  const { status, statusCode } = cause as { status?: unknown; statusCode?: unknown };
  return Number.isInteger(status) || Number.isInteger(statusCode);
}

/** Nest's body is a string or `{ message, error, statusCode }`, `message` an array for `ValidationPipe`. */
function messageOf(body: string | object): string {
  if (typeof body === 'string') return body;
  const { message } = body as { message?: unknown };
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : '';
}

function errorFields(error: unknown): { errorType: string; error?: string } {
  return error instanceof Error ? { errorType: error.name, error: error.message } : { errorType: typeof error };
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}
