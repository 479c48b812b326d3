import { CanActivate, ExecutionContext, Injectable, OnModuleInit } from '@nestjs/common';
import type { BackendCaller } from './backend-caller.js';
import { BitlyProxySession } from './bitly-proxy.session.js';
import { httpRequestOf, settleRequestCaller } from './request-caller.settler.js';

/** Where the guard leaves the request's session for the parameter: a symbol no other code writes. */
const CALLER_SESSION = Symbol('nestjs-apikit caller session');

type CarriesCallerSession = { [CALLER_SESSION]?: BackendCaller };

/**
 * Applied by `@CallerSession()`: settles the request's caller (401 without usable credentials;
 * the request's id for its backend calls) and leaves the backend session acting for it on the request, where the
 * parameter picks it up. Nothing travels in `AsyncLocalStorage`, whose promise hooks cost every
 * promise of the process on Node 20 (bench/report/findings.md).
 */
@Injectable()
export class CallerSessionGuard implements CanActivate, OnModuleInit {
  constructor(private readonly session: BitlyProxySession) {}

  /** Built only where `@CallerSession()` is used: unusable `auth.data` fails the boot. */
  onModuleInit(): void {
    this.session.assertUsable();
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const caller = settleRequestCaller(context, this.session);
    httpRequestOf<CarriesCallerSession>(context)[CALLER_SESSION] = this.session.actingFor(caller);
    return true;
  }
}

/** The session `CallerSessionGuard` left on this request. */
export function callerSessionOf(request: object): BackendCaller {
  const session = (request as CarriesCallerSession)[CALLER_SESSION];
  if (session === undefined) {
    // Only when the guard did not run for this handler (a non-HTTP context): never act as nobody.
    throw new Error('@CallerSession(): no caller session on this request; it serves HTTP route handlers');
  }
  return session;
}
