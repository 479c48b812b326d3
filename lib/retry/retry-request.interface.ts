/** The methods `retryRequest` knows, as apikit's `retry_request` did (case-insensitive). */
export type RetryMethod = 'GET' | 'PUT' | 'POST';

/** What `retryRequest` tells its callback before each wait. */
export interface RetryAttempt {
  /** The attempt that just failed, from 1. */
  n: number;
  /** How many attempts are left. */
  remaining: number;
  /** The failed attempt's HTTP status, or 0 when no response came (network error). */
  status: number;
  /** The failed attempt's body (bounded), or a description of the network error. */
  content: string;
}

export interface RetryRequestOptions {
  headers?: Record<string, string>;
  /** GET: query parameters. PUT/POST: the JSON body. */
  payload?: unknown;
  /** Sent as an `Authorization: Basic` header; never appears in errors, callbacks or URLs. */
  auth?: { username: string; password: string };
  /** Attempts to make in all (default 10). */
  tries?: number;
  /** Wait before attempt k+1 is `initialIntervalMs * k` (default 5000, apikit's 5 seconds). */
  initialIntervalMs?: number;
  /** Called before each wait; an exception (or rejection) from it stops the retries. */
  callback?: (attempt: RetryAttempt) => void | Promise<void>;
  /** Aborting rejects promptly with the signal's reason, during a wait or an in-flight request. */
  signal?: AbortSignal;
}
