import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientOrigin } from '../../http-request/client-address.resolver.js';
import type { BackendCredentials } from './backend-credentials.js';

/** Who the current request acts for; set by `BackendAuthGuard`, or given by `BitlyProxySession.as()`. */
export interface CallerContext {
  /** Absent under `auth.type: none`, where no credentials are demanded. */
  readonly credentials: BackendCredentials | undefined;
  readonly requestId: string;
  /** Where the request came from; absent outside requests (`session.as()`: the service's own work). */
  readonly client?: ClientOrigin;
  /** The answer being made to the request (the adapter's), for headers the backend call gives it. */
  readonly response?: object;
}

/**
 * The place of one request's caller. The request hooks open it around the rest of the request
 * (after body parsing, before the route handler); `BackendAuthGuard` fills it in once it has read the
 * credentials. A guard cannot wrap the handler the way an interceptor can, and an interceptor puts
 * Nest's rxjs pipeline on every request (~25 µs of CPU each, bench/profile.js): hence the slot.
 */
export interface CallerSlot {
  caller: CallerContext | undefined;
}

/**
 * Carries the caller slot through the async work of one request, so the singleton
 * `BitlyProxySession` acts for the right caller without request-scoped providers.
 */
export const callerContextStorage = new AsyncLocalStorage<CallerSlot>();

/** Runs `next` (the rest of the request) with an empty caller slot of its own. */
export function runInCallerSlot(next: () => void): void {
  callerContextStorage.run({ caller: undefined }, next);
}
