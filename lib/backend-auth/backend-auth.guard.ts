import { CanActivate, ExecutionContext, Injectable, OnModuleInit } from '@nestjs/common';
import { BitlyProxySession } from './bitly-proxy.session.js';
import { callerContextStorage } from './context/caller-context.storage.js';
import { settleRequestCaller } from './request-caller.settler.js';

/**
 * Applied by `@UseBackendAuth()`: settles the request's caller (401 without usable credentials;
 * the request's id for its backend calls) and puts it into the request's caller slot, which the injected
 * `BitlyProxySession` reads. Nest builds it in the controller's module, where `ApiKitModule`
 * exports the session: its one dependency.
 */
@Injectable()
export class BackendAuthGuard implements CanActivate, OnModuleInit {
  /**
   * Nest instantiates this only where `@UseBackendAuth()` is used, when it builds the application's
   * providers: before `ApiKitModule` installs its request hooks, which then open a caller slot for every
   * request (and, without this guard anywhere, add no per-request hook for it at all).
   */
  constructor(private readonly session: BitlyProxySession) {
    session.requestCallersUsed = true;
  }

  /** Unusable `auth.data` fails the boot. */
  onModuleInit(): void {
    this.session.assertUsable();
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const slot = callerContextStorage.getStore();
    if (slot === undefined) {
      // The request hooks were bypassed (an HTTP server not started by Nest's adapter?): acting as nobody
      // would send the backend an anonymous call, so the request fails instead.
      throw new Error('BackendAuthGuard: no caller slot for this request; is ApiKitModule imported by the application?');
    }
    slot.caller = settleRequestCaller(context, this.session);
    return true;
  }
}
