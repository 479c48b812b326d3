import type { CallerContext } from '../context/caller-context.storage.js';
import type { HttpHop } from '../http/backend-http.client.js';
import type { BackendResponse } from '../http/backend-response.js';
import type { CallDeadline } from '../http/call-deadline.js';

/**
 * How backend requests are authenticated, one implementation per `auth.type`
 * (`backend-auth-strategy.registry.ts`). A new type (e.g. `bearer`) is one class here.
 */
export interface BackendAuthStrategy {
  /** Whether `@UseBackendAuth()` and `@CallerSession()` demand the caller's Basic credentials. */
  readonly requiresCredentials: boolean;
  /** Throws a clear error when the module's `auth.data` cannot serve this strategy (checked at boot). */
  assertConfigured(): void;
  /** Sends `request` (body buffered, `X-Request-Id` set; this call's own, to add headers to) on behalf of `caller`. */
  send(request: HttpHop, caller: CallerContext, deadline: CallDeadline): Promise<BackendResponse>;
}
