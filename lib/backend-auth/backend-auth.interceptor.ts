import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Observable, throwError } from 'rxjs';
import type { BackendAuthConfig } from './backend-auth-config.interface.js';
import { BACKEND_AUTH_CONFIG, BACKEND_AUTH_STRATEGY } from './backend-auth.constants.js';
import { parseBasicAuthorization } from './context/authorization-header.parser.js';
import { CallerContext, callerContextStorage } from './context/caller-context.storage.js';
import { REQUEST_ID_HEADER, resolveRequestId } from './context/request-id.resolver.js';
import type { BackendAuthStrategy } from './strategies/backend-auth-strategy.interface.js';

/** What both Express and Fastify requests carry. */
interface IncomingRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Applied by `@UseBackendAuth()`: reads the caller's Basic credentials (401 when missing or
 * malformed, unless `auth.type` is `none`), settles the request id (reused or generated,
 * echoed as `X-Request-Id`, on errors too), and runs the handler inside the caller context
 * that `BitlyProxySession` acts for.
 */
@Injectable()
export class BackendAuthInterceptor implements NestInterceptor, OnModuleInit {
  constructor(
    @Inject(BACKEND_AUTH_STRATEGY) private readonly strategy: BackendAuthStrategy,
    @Inject(BACKEND_AUTH_CONFIG) private readonly config: BackendAuthConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Nest instantiates this only where `@UseBackendAuth()` is used: the place to refuse unusable `auth.data` at boot. */
  onModuleInit(): void {
    this.strategy.assertConfigured();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const { headers } = http.getRequest<IncomingRequest>();
    const requestId = resolveRequestId(headers['x-request-id']);
    this.adapterHost.httpAdapter.setHeader(http.getResponse(), REQUEST_ID_HEADER, requestId);
    let caller: CallerContext;
    try {
      const credentials = this.strategy.requiresCredentials
        ? parseBasicAuthorization(headers.authorization, this.config.serviceName)
        : undefined;
      caller = { credentials, requestId };
    } catch (error) {
      return throwError(() => error);
    }
    // The whole downstream (handler and its async work) runs inside the caller context.
    return new Observable((subscriber) => callerContextStorage.run(caller, () => next.handle().subscribe(subscriber)));
  }
}
