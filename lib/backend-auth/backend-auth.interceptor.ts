import { CallHandler, ExecutionContext, Injectable, NestInterceptor, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Observable, throwError } from 'rxjs';
import { BitlyProxySession } from './bitly-proxy.session.js';
import { CallerContext, callerContextStorage } from './context/caller-context.storage.js';
import { REQUEST_ID_HEADER, resolveRequestId } from './context/request-id.resolver.js';

/** What both Express and Fastify requests carry (Fastify's node request is `raw`). */
interface IncomingRequest {
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  raw?: { rawHeaders: string[] };
}

/**
 * Applied by `@UseBackendAuth()`: reads the caller's Basic credentials (401 when missing or
 * malformed, unless `auth.type` is `none`), settles the request id (reused or generated,
 * echoed as `X-Request-Id`, on errors too), and runs the handler inside the caller context
 * that `BitlyProxySession` acts for. Nest builds it in the controller's module, where
 * `ApiKitModule` exports the session: its one dependency besides the global adapter host.
 */
@Injectable()
export class BackendAuthInterceptor implements NestInterceptor, OnModuleInit {
  constructor(
    private readonly session: BitlyProxySession,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Nest instantiates this only where `@UseBackendAuth()` is used: the place to refuse unusable `auth.data` at boot. */
  onModuleInit(): void {
    this.session.assertUsable();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<IncomingRequest>();
    const requestId = resolveRequestId(req.headers['x-request-id']);
    this.adapterHost.httpAdapter.setHeader(http.getResponse(), REQUEST_ID_HEADER, requestId);
    let caller: CallerContext;
    try {
      caller = this.session.callerOf(authorizationHeaders(req), req.headers['x-github-otp'], requestId);
    } catch (error) {
      return throwError(() => error);
    }
    // The whole downstream (handler and its async work) runs inside the caller context.
    return new Observable((subscriber) => callerContextStorage.run(caller, () => next.handle().subscribe(subscriber)));
  }
}

/** Every `Authorization` header as received: `req.headers` keeps only the first of several. */
function authorizationHeaders(req: IncomingRequest): string[] {
  const raw = req.raw?.rawHeaders ?? req.rawHeaders ?? [];
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() === 'authorization') values.push(raw[i + 1]);
  return values;
}
