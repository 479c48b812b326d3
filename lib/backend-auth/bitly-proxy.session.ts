import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APIKIT_RESOLVED_OPTIONS } from '../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../options/apikit-options.interface.js';
import { BACKEND_AUTH_STRATEGY } from './backend-auth.constants.js';
import type { BackendBodyCallOptions } from './backend-call-options.interface.js';
import { BackendCaller } from './backend-caller.js';
import { buildBackendRequest } from './backend-request.builder.js';
import { basicChallenge, parseBasicAuthorization, parseOneTimeCode } from './context/authorization-header.parser.js';
import { BackendCredentials } from './context/backend-credentials.js';
import { DEVICE_HEADER, parseDeviceToken } from './context/device-token.js';
import { CallerContext, callerContextStorage } from './context/caller-context.storage.js';
import type { ClientOrigin } from '../http-request/client-address.resolver.js';
import { resolveRequestId } from '../http-request/request-id.resolver.js';
import { ApiKitObservers, type BackendCallObservation } from '../observability/index.js';
import type { HttpHop } from './http/backend-http.client.js';
import type { BackendResponse } from './http/backend-response.js';
import { CallDeadline } from './http/call-deadline.js';
import type { BackendAuthStrategy } from './strategies/backend-auth-strategy.interface.js';

/** What a request carries of its caller's credentials: its `Authorization` headers, `X-GitHub-OTP` and `X-ApiKit-Device`. */
export interface InboundCredentials {
  readonly authorizations: readonly string[];
  readonly oneTimeCode: string | string[] | undefined;
  readonly device: string | string[] | undefined;
}

/**
 * The backend session of apikit (SQR-015's `BitlyOAuth2ProxySession`), a singleton.
 * Inside a request handled under `@UseBackendAuth()` it acts for that request's caller,
 * authenticated as `auth.type` says; `@CallerSession()` hands a route the same session bound to its
 * caller; elsewhere use `as({ username, password })`.
 *
 * ```ts
 * const res = await this.backend.get(`${BACKEND}/api`, { params: { metric, job } });
 * ```
 */
@Injectable()
export class BitlyProxySession extends BackendCaller {
  /** `WWW-Authenticate` of a 401, built (and checked as a header value) once, at boot. */
  private readonly challenge: string;
  /** Callers' usernames are GitHub's (`bitly-proxy`): one spelling per account, checked before anything is asked. */
  private readonly signsInToGitHub: boolean;
  /**
   * @internal Set at boot (when Nest builds `BackendAuthGuard`) when a route uses `@UseBackendAuth()`: the
   * request hooks then open a caller slot for each request. Otherwise they install nothing for it, and a
   * service without such routes pays nothing.
   */
  requestCallersUsed = false;

  constructor(
    @Inject(BACKEND_AUTH_STRATEGY) private readonly strategy: BackendAuthStrategy,
    @Inject(APIKIT_RESOLVED_OPTIONS) private readonly options: ResolvedApiKitOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly observers: ApiKitObservers,
  ) {
    super();
    this.challenge = basicChallenge(options.metadata.name);
    this.signsInToGitHub = options.auth.type === 'bitly-proxy';
  }

  get requestId(): string | undefined {
    return callerContextStorage.getStore()?.caller?.requestId;
  }

  /** Calls the backend as the caller of the current request (`@UseBackendAuth()`). */
  request(method: string, url: string | URL, options: BackendBodyCallOptions = {}): Promise<BackendResponse> {
    const caller = callerContextStorage.getStore()?.caller ?? { credentials: undefined, requestId: resolveRequestId(undefined) };
    return this.send(caller, method, url, options);
  }

  /**
   * A session acting for explicit credentials, for work outside requests (scheduled jobs, scripts);
   * `otp` is a two-factor or device code, when GitHub asked for one (`X-GitHub-OTP: required; ...`);
   * `device`, the device token a login that needed a code gave (read it from the caller's `deviceToken`).
   */
  as(credentials: { username: string; password: string; otp?: string; device?: string }): BackendCaller & { readonly deviceToken: string | undefined } {
    const { username, password, otp, device } = credentials;
    const optionalText = (value: unknown): boolean => value === undefined || typeof value === 'string';
    if (typeof username !== 'string' || username === '' || typeof password !== 'string' || !optionalText(otp) || !optionalText(device)) {
      throw new TypeError('BitlyProxySession.as(): expected { username: non-empty string, password: string, otp?: string, device?: string }');
    }
    return new BoundBackendCaller(this, new BackendCredentials(username, password, otp, device), undefined);
  }

  /** @internal The session acting for one request's caller, as `@CallerSession()` hands it to the route. */
  actingFor(caller: CallerContext): BackendCaller {
    return new BoundBackendCaller(this, caller.credentials, caller.requestId, caller.client, caller.response);
  }

  /**
   * @internal The caller of an inbound request, from its `Authorization` headers when the strategy needs
   * credentials; a 401 `BackendError` (with the service's realm) when they are missing or malformed.
   */
  callerOf(inbound: InboundCredentials, requestId: string, client?: ClientOrigin, response?: object): CallerContext {
    if (!this.strategy.requiresCredentials) return { credentials: undefined, requestId };
    const credentials = parseBasicAuthorization(inbound.authorizations, this.challenge, parseOneTimeCode(inbound.oneTimeCode), this.signsInToGitHub);
    const device = this.signsInToGitHub ? parseDeviceToken(inbound.device) : undefined;
    return { credentials: device === undefined ? credentials : credentials.withDevice(device), requestId, client, response };
  }

  /** @internal Throws at boot when the options cannot serve backend calls (a route uses `@UseBackendAuth()` or `@CallerSession()`). */
  assertUsable(): void {
    this.strategy.assertConfigured();
  }

  /** @internal */
  async send(caller: CallerContext, method: string, url: string | URL, options: BackendBodyCallOptions): Promise<BackendResponse> {
    const request = buildBackendRequest(method, url, options, caller.requestId);
    const deadline = new CallDeadline(options.timeoutMs ?? this.options.backend.timeoutMs, 'The backend', options.signal);
    const observation = this.observers.any ? this.observeCall(request, caller.requestId) : undefined;
    try {
      const response = await this.strategy.send(request, caller, deadline);
      observation?.end(response.status);
      // A login that needed a code gave the caller a device token: it goes back with the caller's answer.
      const issued = caller.credentials?.issuedDevice;
      if (issued !== undefined && caller.response !== undefined) this.adapterHost.httpAdapter?.setHeader(caller.response, DEVICE_HEADER, issued);
      return response;
    } catch (error) {
      observation?.end(undefined, error);
      throw error;
    } finally {
      deadline.dispose();
    }
  }

  /** The call as its observers follow it; their headers (`traceparent`) go with it to the backend. */
  private observeCall(request: HttpHop, requestId: string): BackendCallObservation {
    const observation = this.observers.backendCallStarted(request.method, request.url, requestId);
    for (const [name, value] of observation.headers ?? []) request.headers[name] = value;
    return observation;
  }
}

/**
 * A session acting for given credentials: `session.as(credentials)` (each call with a fresh request id)
 * or a request's caller under `@CallerSession()` (every call with the request's id).
 */
class BoundBackendCaller extends BackendCaller {
  constructor(
    private readonly session: BitlyProxySession,
    private readonly credentials: BackendCredentials | undefined,
    readonly requestId: string | undefined,
    private readonly client?: ClientOrigin,
    private readonly response?: object,
  ) {
    super();
  }

  /** The device token a login through this caller gave (`X-ApiKit-Device`), for `as()` callers to keep. */
  get deviceToken(): string | undefined {
    return this.credentials?.issuedDevice ?? this.credentials?.device;
  }

  request(method: string, url: string | URL, options: BackendBodyCallOptions = {}): Promise<BackendResponse> {
    const caller = { credentials: this.credentials, requestId: this.requestId ?? resolveRequestId(undefined), client: this.client, response: this.response };
    return this.session.send(caller, method, url, options);
  }
}
