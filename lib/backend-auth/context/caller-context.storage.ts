import { AsyncLocalStorage } from 'node:async_hooks';
import type { BackendCredentials } from './backend-credentials.js';

/** Who the current request acts for; set by `BackendAuthInterceptor` or `BitlyProxySession.as()`. */
export interface CallerContext {
  /** Absent under `auth.type: none`, where no credentials are demanded. */
  readonly credentials: BackendCredentials | undefined;
  readonly requestId: string;
}

/**
 * Carries the caller through the async work of one request, so the singleton
 * `BitlyProxySession` acts for the right caller without request-scoped providers.
 */
export const callerContextStorage = new AsyncLocalStorage<CallerContext>();
