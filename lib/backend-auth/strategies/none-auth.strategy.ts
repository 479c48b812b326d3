import { Injectable } from '@nestjs/common';
import { BackendHttpClient, HttpHop } from '../http/backend-http.client.js';
import type { BackendResponse } from '../http/backend-response.js';
import type { CallDeadline } from '../http/call-deadline.js';
import type { BackendAuthStrategy } from './backend-auth-strategy.interface.js';

/** `auth.type: none`: the backend needs no credentials, and callers need not send any. */
@Injectable()
export class NoneAuthStrategy implements BackendAuthStrategy {
  readonly requiresCredentials = false;

  constructor(private readonly http: BackendHttpClient) {}

  assertConfigured(): void {}

  send(request: HttpHop, _caller: unknown, deadline: CallDeadline): Promise<BackendResponse> {
    return this.http.follow(request, { deadline });
  }
}
