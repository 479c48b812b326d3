import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { requestIdOf } from './request-id.resolver.js';

/**
 * On a route handler's parameter: the request's id, the `X-Request-Id` its answer carries (the caller's
 * when well-formed, else a fresh UUID) and its backend calls send. Any controller, with or without backend auth.
 *
 * ```ts
 * @Get('jobs') list(@RequestId() requestId: string) { this.logger.log({ event: 'jobs.listed', requestId }); }
 * ```
 */
export const RequestId: () => ParameterDecorator = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  requestIdOf(context.getArgByIndex<object>(0)),
);
