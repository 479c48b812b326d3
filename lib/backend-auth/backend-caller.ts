import type { BackendBody, BackendBodyCallOptions, BackendCallOptions } from './backend-call-options.interface.js';
import type { BackendResponse } from './http/backend-response.js';

/**
 * The calls of a backend session, all answered with a buffered `BackendResponse`
 * (non-2xx included). Rejects with a `BackendError` on login failure (401/429/502/504),
 * an unreachable backend (502) or a time-out (504).
 */
export abstract class BackendCaller {
  /**
   * The request id this caller's backend calls send as `X-Request-Id`: the current request's (the one its
   * answer carries) under `@UseBackendAuth()` or `@CallerSession()`; `undefined` where each call gets a
   * fresh one (`session.as()`, or the injected session outside such a route).
   */
  abstract get requestId(): string | undefined;

  abstract request(method: string, url: string | URL, options?: BackendBodyCallOptions): Promise<BackendResponse>;

  get(url: string | URL, options: BackendCallOptions = {}): Promise<BackendResponse> {
    return this.request('GET', url, options);
  }

  head(url: string | URL, options: BackendCallOptions = {}): Promise<BackendResponse> {
    return this.request('HEAD', url, options);
  }

  delete(url: string | URL, options: BackendBodyCallOptions = {}): Promise<BackendResponse> {
    return this.request('DELETE', url, options);
  }

  post(url: string | URL, body?: BackendBody, options: BackendCallOptions = {}): Promise<BackendResponse> {
    return this.request('POST', url, { ...options, body });
  }

  put(url: string | URL, body?: BackendBody, options: BackendCallOptions = {}): Promise<BackendResponse> {
    return this.request('PUT', url, { ...options, body });
  }

  patch(url: string | URL, body?: BackendBody, options: BackendCallOptions = {}): Promise<BackendResponse> {
    return this.request('PATCH', url, { ...options, body });
  }
}
