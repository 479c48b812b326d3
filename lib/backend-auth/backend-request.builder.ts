import { formEncodedQuery, hrefWithQuery } from '../http-request/query-params.appender.js';
import type { BackendBody, BackendBodyCallOptions } from './backend-call-options.interface.js';
import { REQUEST_ID_HEADER } from '../http-request/request-id.resolver.js';
import type { HttpHop } from './http/backend-http.client.js';
import { PreparedHop } from './http/hop-target.js';

const REQUEST_ID = REQUEST_ID_HEADER.toLowerCase();

/** A backend URL checked once: its normalised href and the parts a call's target is made of. */
interface CheckedBase {
  href: string;
  origin: string;
  pathname: string;
}

/**
 * Backend URLs as given (a service calls a handful, from constants) -> checked and normalised:
 * a call then makes its target from strings, its query encoded by the library, and parses a URL
 * only when something needs one (see `PreparedHop`). Only URLs without a query or user info, so that
 * no token or password a URL may carry outlives its call. Bounded: past it, cleared.
 */
const checkedBases = new Map<string, CheckedBase>();
const MAX_CHECKED_BASES = 256;

/** The first hop of a backend call: absolute URL + params, lower-cased headers, body buffered. */
export function buildBackendRequest(method: string, url: string | URL, options: BackendBodyCallOptions, requestId: string): HttpHop {
  const query = options.params === undefined ? '' : formEncodedQuery(options.params);
  const base = typeof url === 'string' ? checkedBases.get(url) : undefined;
  if (base === undefined) {
    const target = targetUrl(url, query); // a bad URL fails before the body is encoded
    const [headers, body] = headersAndBody(options, requestId);
    return { method: method.toUpperCase(), url: target, headers, body };
  }
  const [headers, body] = headersAndBody(options, requestId);
  const path = query === '' ? base.pathname : `${base.pathname}?${query}`;
  return new PreparedHop(method.toUpperCase(), base.origin, path, hrefWithQuery(base.href, query), headers, body);
}

/** The call's headers (names lower-cased, its request id, the body's content type unless set) and its encoded body. */
function headersAndBody(options: BackendBodyCallOptions, requestId: string): [Record<string, string>, Buffer | undefined] {
  const headers: Record<string, string> = {};
  if (options.headers !== undefined) for (const [name, value] of Object.entries(options.headers)) headers[name.toLowerCase()] = value;
  headers[REQUEST_ID] = requestId;
  if (options.body === undefined) return [headers, undefined];
  const [body, contentType] = encodeBody(options.body);
  headers['content-type'] ??= contentType;
  return [headers, body];
}

/** Parses and checks a URL not remembered yet (remembering it when it may be), with `query` added. */
function targetUrl(url: string | URL, query: string): URL {
  const parsed = toAbsoluteUrl(url);
  if (typeof url === 'string' && parsed.search === '' && parsed.username === '' && parsed.password === '') {
    if (checkedBases.size >= MAX_CHECKED_BASES) checkedBases.clear();
    checkedBases.set(url, { href: parsed.href, origin: parsed.origin, pathname: parsed.pathname });
  }
  return query === '' ? parsed : new URL(hrefWithQuery(parsed.href, query));
}

function toAbsoluteUrl(url: string | URL): URL {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed;
  } catch {
    // reported below
  }
  throw new TypeError(`BitlyProxySession: the backend URL must be an absolute http(s) URL, got ${JSON.stringify(String(url))}`);
}

function encodeBody(body: BackendBody): [Buffer, string] {
  if (typeof body === 'string') return [Buffer.from(body, 'utf8'), 'text/plain; charset=utf-8'];
  if (body instanceof Uint8Array) return [Buffer.from(body), 'application/octet-stream'];
  if (body instanceof URLSearchParams) return [Buffer.from(body.toString()), 'application/x-www-form-urlencoded'];
  return [Buffer.from(JSON.stringify(body), 'utf8'), 'application/json'];
}
