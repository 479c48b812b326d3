import { Injectable } from '@nestjs/common';
import { basicCredentialsHeader } from '../../http-request/basic-credentials.header.js';
import type { CallerContext } from '../context/caller-context.storage.js';
import { BackendHttpClient, HttpHop } from '../http/backend-http.client.js';
import type { BackendResponse } from '../http/backend-response.js';
import type { CallDeadline } from '../http/call-deadline.js';
import type { BackendAuthStrategy } from './backend-auth-strategy.interface.js';
import { requireCredentials } from './require-credentials.js';

/**
 * `auth.type: basic`: the caller's Basic credentials go to the backend as they came
 * (never to another origin a redirect points at). A backend 401 is handed to the caller code.
 */
@Injectable()
export class BasicAuthStrategy implements BackendAuthStrategy {
  readonly requiresCredentials = true;

  constructor(private readonly http: BackendHttpClient) {}

  assertConfigured(): void {}

  send(request: HttpHop, caller: CallerContext, deadline: CallDeadline): Promise<BackendResponse> {
    const { username, password } = requireCredentials(caller);
    const authorization = basicCredentialsHeader(username, password);
    return this.http.follow({ ...request, headers: { ...request.headers, authorization } }, { deadline });
  }
}
