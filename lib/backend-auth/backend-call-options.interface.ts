import type { QueryValue } from '../http-request/query-params.appender.js';

/** Options of one backend call (`session.get(url, options)`). */
export interface BackendCallOptions {
  /** Added to the URL's query string. */
  params?: Readonly<Record<string, QueryValue>>;
  headers?: Readonly<Record<string, string>>;
  /** Time-out of this call, login and one retry included, in ms (default: `backend.timeoutMs`, 10 000). */
  timeoutMs?: number;
  /** Aborts the call (rejecting with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * A request body, buffered so it can be replayed after a re-login: a string or bytes as
 * they are, `URLSearchParams` as a form, anything else as JSON.
 */
export type BackendBody = string | Uint8Array | URLSearchParams | object | number | boolean | null;

/** Options of a call with a body. */
export interface BackendBodyCallOptions extends BackendCallOptions {
  body?: BackendBody;
}
