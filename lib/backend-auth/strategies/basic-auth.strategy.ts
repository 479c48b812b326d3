import { Injectable, Logger } from '@nestjs/common';
import { isLoopbackUrl } from '../../http-request/loopback-host.js';
import { logEvent } from '../../logging/index.js';
import { BACKEND_AUTH_LOGGER_CONTEXT } from '../backend-auth.constants.js';
import type { CallerContext } from '../context/caller-context.storage.js';
import { BackendHttpClient, HttpHop } from '../http/backend-http.client.js';
import type { BackendResponse } from '../http/backend-response.js';
import { hopTarget } from '../http/hop-target.js';
import type { CallDeadline } from '../http/call-deadline.js';
import type { BackendAuthStrategy } from './backend-auth-strategy.interface.js';
import { requireCredentials } from './require-credentials.js';

/** Bound of the origins remembered: past it, no more warnings, rather than an ever-growing set. */
const MAX_CHECKED_ORIGINS = 256;

/**
 * `auth.type: basic`: the caller's Basic credentials go to the backend as they came
 * (never to another origin a redirect points at). A backend 401 is handed to the caller code.
 */
@Injectable()
export class BasicAuthStrategy implements BackendAuthStrategy {
  readonly requiresCredentials = true;
  private readonly logger = new Logger(BACKEND_AUTH_LOGGER_CONTEXT);
  /** Plain-http origins already looked at (the backend URL is known only at the first call, not at boot). */
  private readonly checkedClearTextOrigins = new Set<string>();

  constructor(private readonly http: BackendHttpClient) {}

  assertConfigured(): void {}

  send(request: HttpHop, caller: CallerContext, deadline: CallDeadline): Promise<BackendResponse> {
    const credentials = requireCredentials(caller);
    this.warnOnceIfClearText(request);
    request.headers.authorization = credentials.basicAuthorization; // the call's own hop: no copy
    return this.http.follow(request, { deadline });
  }

  /** Once per plain-http origin (loopback ones included, so the hot path is one set lookup); a service calls a few. */
  private warnOnceIfClearText(hop: HttpHop): void {
    const { origin } = hopTarget(hop);
    if (!origin.startsWith('http:')) return;
    if (this.checkedClearTextOrigins.has(origin) || this.checkedClearTextOrigins.size >= MAX_CHECKED_ORIGINS) return;
    this.checkedClearTextOrigins.add(origin);
    if (isLoopbackUrl(hop.url)) return;
    logEvent(this.logger, 'warn', 'auth.clear_text', 'auth.type "basic" sends callers\' credentials over plain http: they travel in clear; use https', { origin });
  }
}
