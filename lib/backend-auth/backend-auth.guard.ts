import { CanActivate, ExecutionContext, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { BitlyProxySession } from './bitly-proxy.session.js';
import { callerContextStorage } from './context/caller-context.storage.js';
import { REQUEST_ID_HEADER, resolveRequestId } from '../http-request/request-id.resolver.js';

/** What both Express and Fastify requests carry (Fastify's node request is `raw`). */
interface IncomingRequest {
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  raw?: { rawHeaders: string[] };
}

/**
 * Applied by `@UseBackendAuth()`: reads the caller's Basic credentials (401 when missing or
 * malformed, unless `auth.type` is `none`), settles the request id (reused or generated,
 * echoed as `X-Request-Id`, on errors too), and puts the caller into the request's caller slot,
 * which `BitlyProxySession` reads. Nest builds it in the controller's module, where `ApiKitModule`
 * exports the session: its one dependency besides the global adapter host.
 */
@Injectable()
export class BackendAuthGuard implements CanActivate, OnModuleInit {
  constructor(
    private readonly session: BitlyProxySession,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Nest instantiates this only where `@UseBackendAuth()` is used: the place to refuse unusable `auth.data`
   * at boot, and to have the request hooks open a caller slot for every request from now on.
   */
  onModuleInit(): void {
    this.session.assertUsable();
    this.session.requestCallersUsed = true;
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const req = http.getRequest<IncomingRequest>();
    const requestId = resolveRequestId(req.headers['x-request-id']);
    this.adapterHost.httpAdapter.setHeader(http.getResponse(), REQUEST_ID_HEADER, requestId);
    const slot = callerContextStorage.getStore();
    if (slot === undefined) {
      // The request hooks were bypassed (an HTTP server not started by Nest's adapter?): acting as nobody
      // would send the backend an anonymous call, so the request fails instead.
      throw new Error('BackendAuthGuard: no caller slot for this request; is ApiKitModule imported by the application?');
    }
    slot.caller = this.session.callerOf(authorizationHeaders(req), req.headers['x-github-otp'], requestId);
    return true;
  }
}

/** Every `Authorization` header as received: `req.headers` keeps only the first of several. */
function authorizationHeaders(req: IncomingRequest): string[] {
  const raw = req.raw?.rawHeaders ?? req.rawHeaders ?? [];
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() === 'authorization') values.push(raw[i + 1]);
  return values;
}
