import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { BackendError } from './backend-error.js';

/**
 * Answers a thrown `BackendError` with its status code and apikit's JSON body
 * `{ reason, status_code, error_content }`: the handler every apikit service wrote by hand.
 * Replies through the HTTP adapter, so it works on Express and Fastify alike.
 * Registered globally by `ApiKitModule`; users who opt out apply it with `@UseFilters(BackendErrorFilter)`.
 */
@Catch(BackendError)
export class BackendErrorFilter implements ExceptionFilter<BackendError> {
  constructor(protected readonly adapterHost: HttpAdapterHost) {}

  catch(error: BackendError, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    for (const [name, value] of Object.entries(error.headers)) {
      httpAdapter.setHeader(response, name, value);
    }
    httpAdapter.reply(response, error.toDict(), replyStatus(error.statusCode));
  }
}

/**
 * BackendError accepts any integer status (as apikit did), but servers throw on codes outside
 * 100-599 while writing the head (losing the error body), and 1xx are interim answers that cannot
 * carry one: such codes are answered as 500; the body still carries the original `status_code`.
 */
function replyStatus(statusCode: number): number {
  return statusCode >= 200 && statusCode <= 599 ? statusCode : HttpStatus.INTERNAL_SERVER_ERROR;
}
