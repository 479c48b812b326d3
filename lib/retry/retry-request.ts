import { responseReason } from '../errors/raise-from-response.js';
import { raiseIse } from '../errors/raise-ise.js';
import { readResponseText } from '../errors/response-text.reader.js';
import { abortableDelay } from './abortable-delay.js';
import { basicCredentialsHeader } from '../http-request/basic-credentials.header.js';
import { appendQueryParams, type QueryValue } from '../http-request/query-params.appender.js';
import type { RetryMethod, RetryRequestOptions } from './retry-request.interface.js';

const METHODS: ReadonlySet<string> = new Set(['get', 'put', 'post']);
// setTimeout silently turns longer delays into 1 ms: refuse them up front.
const MAX_DELAY_MS = 2 ** 31 - 1;
const MAX_NETWORK_ERROR_CHARS = 1000;

type Attempt = { ok: true; response: Response } | { ok: false; status: number; reason: string; content: string };

/**
 * apikit's `retry_request`: sends the request up to `tries` times with linear backoff
 * (`initialIntervalMs * attempt` between attempts) until its status is below 400, and returns that Response.
 * Network errors are retried too. After the last failure it throws the `500 Internal Server Error`
 * BackendError whose content is apikit's text: `Failed to '<method>' <url> after <tries> attempts.  Last response was '<status> <reason>' [<text>]`.
 * Unlike apikit, POST is sent as POST (apikit sent PUT) and waits are timers, cancellable through `signal`.
 */
export async function retryRequest(
  method: RetryMethod | Lowercase<RetryMethod>,
  url: string,
  options: RetryRequestOptions = {},
): Promise<Response> {
  // apikit lowercased the method, and its exhaustion message shows it so.
  const verb = String(method).toLowerCase();
  if (!METHODS.has(verb)) raiseIse(`Bad method ${JSON.stringify(method)}: must be 'get', 'put', or 'post'`);
  const { tries = 10, initialIntervalMs = 5000, callback, signal } = options;
  checkSchedule(tries, initialIntervalMs);
  const target = requestUrl(verb, url, options.payload);
  const body = requestBody(verb, options.payload);
  const init: RequestInit = { method: verb.toUpperCase(), headers: requestHeaders(options, body !== undefined), body };

  for (let n = 1; ; n++) {
    const attempt = await attemptOnce(target, init, signal);
    if (attempt.ok) return attempt.response;
    const { status, reason, content } = attempt;
    if (n >= tries) {
      raiseIse(`Failed to '${verb}' ${url} after ${tries} attempts.  Last response was '${status} ${reason}' [${content.trim()}]`);
    }
    await callback?.({ n, remaining: tries - n, status, content });
    await abortableDelay(initialIntervalMs * n, signal);
  }
}

async function attemptOnce(target: URL, init: RequestInit, signal: AbortSignal | undefined): Promise<Attempt> {
  try {
    const response = await fetch(target, { ...init, signal });
    if (response.status < 400) return { ok: true, response };
    return { ok: false, status: response.status, reason: responseReason(response), content: await readResponseText(response) };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    return { ok: false, status: 0, reason: 'Network Error', content: describeNetworkError(error) };
  }
}

/**
 * fetch says only "fetch failed"; the useful part (e.g. `connect ECONNREFUSED ...`) is down its `cause` chain.
 * Duck-typed: errors from fetch may come from another realm. Messages and codes hold no header values.
 */
function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    const { message, code, cause } = e as { message?: unknown; code?: unknown; cause?: unknown };
    if (typeof message === 'string' && message !== '') parts.push(message);
    else if (typeof code === 'string') parts.push(code);
    e = cause;
  }
  const text = parts.length > 0 ? parts.join(': ') : String(error);
  return text.slice(0, MAX_NETWORK_ERROR_CHARS);
}

function checkSchedule(tries: number, initialIntervalMs: number): void {
  if (!Number.isInteger(tries) || tries < 1) {
    throw new RangeError(`retryRequest: 'tries' must be an integer >= 1, got ${String(tries)}`);
  }
  if (!Number.isFinite(initialIntervalMs) || initialIntervalMs < 0) {
    throw new RangeError(`retryRequest: 'initialIntervalMs' must be a finite number >= 0, got ${String(initialIntervalMs)}`);
  }
  if (initialIntervalMs * (tries - 1) > MAX_DELAY_MS) {
    throw new RangeError(`retryRequest: the longest wait (initialIntervalMs * (tries - 1)) must not exceed ${MAX_DELAY_MS} ms`);
  }
}

function requestUrl(verb: string, url: string, payload: unknown): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new TypeError(`retryRequest: 'url' must be an absolute URL, got ${JSON.stringify(url)}`);
  }
  if (target.username !== '' || target.password !== '') {
    // Not echoed: the URL itself holds the secret.
    throw new TypeError("retryRequest: 'url' must not carry credentials; pass them as 'auth'");
  }
  if (verb === 'get' && payload !== undefined && payload !== null) appendQuery(target, payload);
  return target;
}

function appendQuery(target: URL, payload: unknown): void {
  if (typeof payload !== 'object' || Array.isArray(payload)) {
    throw new TypeError("retryRequest: a GET 'payload' must be an object of query parameters");
  }
  appendQueryParams(target, payload as Record<string, QueryValue>);
}

function requestHeaders({ headers, auth }: RetryRequestOptions, hasBody: boolean): Headers {
  const result = new Headers(headers);
  if (hasBody && !result.has('content-type')) result.set('content-type', 'application/json');
  if (auth !== undefined) {
    const { username, password } = auth;
    if (typeof username !== 'string' || typeof password !== 'string' || username.includes(':')) {
      // RFC 7617: the user-id cannot hold a colon. The values are not echoed.
      throw new TypeError("retryRequest: 'auth' must be { username, password } strings, and the username must not contain ':'");
    }
    result.set('authorization', basicCredentialsHeader(username, password));
  }
  return result;
}

function requestBody(verb: string, payload: unknown): string | undefined {
  return verb === 'get' || payload === undefined ? undefined : JSON.stringify(payload);
}
