import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';
import { REQUEST_ID_HEADER, requestIdOf } from '../http-request/request-id.resolver.js';
import { BackendError } from './backend-error.js';
import { BackendErrorFilter } from './backend-error.filter.js';

/**
 * `errorBody: 'apikit'`: every error of an HTTP request answers apikit's body
 * `{ reason, status_code, error_content }`, so that a client (a chat bot, a script) parses one shape:
 * - a `BackendError` as `BackendErrorFilter` answers it;
 * - an `HttpException` (Nest's 404 of no route, a `ValidationPipe` 400, a `ForbiddenException`...) with
 *   its status, the standard reason phrase and its message (a `ValidationPipe`'s messages joined by "; ");
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
      this.logger.error(`Error after the response began: ${describe(error)}`, stackOf(error));
      this.adapterHost.httpAdapter.end(response);
      return;
    }
    if (error instanceof HttpException) return super.catch(fromHttpException(error), host);
    // The id the request hooks settled: the one the answer carries and the backend calls sent.
    const requestId = requestIdOf(http.getRequest<object>());
    this.logger.error(`Unexpected error [request ${requestId}]: ${describe(error)}`, stackOf(error));
    const content = `An unexpected error occurred; it has been logged (request ${requestId}).`;
    super.catch(new BackendError('Internal Server Error', HttpStatus.INTERNAL_SERVER_ERROR, content, { [REQUEST_ID_HEADER]: requestId }), host);
  }
}

function fromHttpException(error: HttpException): BackendError {
  const status = error.getStatus();
  return new BackendError(STATUS_CODES[status] ?? 'Error', status, messageOf(error.getResponse()));
}

/** Nest's body is a string or `{ message, error, statusCode }`, `message` an array for `ValidationPipe`. */
function messageOf(body: string | object): string {
  if (typeof body === 'string') return body;
  const { message } = body as { message?: unknown };
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : '';
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `a thrown ${typeof error}`;
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}
