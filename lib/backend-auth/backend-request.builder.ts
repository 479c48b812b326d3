import { formEncodedQuery, hrefWithQuery } from '../http-request/query-params.appender.js';
import type { BackendBody, BackendBodyCallOptions } from './backend-call-options.interface.js';
import { REQUEST_ID_HEADER } from '../http-request/request-id.resolver.js';
import type { HttpHop } from './http/backend-http.client.js';

const REQUEST_ID = REQUEST_ID_HEADER.toLowerCase();

/**
 * Backend URLs as given (a service calls a handful, from constants) -> their checked, normalised
 * `href`: a call then parses its URL once, with its query already in (bench/profile.js: parsing,
 * then setting `search`, which parses again, cost ~2.5 µs per call). Only URLs without a query or
 * user info, so that no token or password a URL may carry outlives its call. Bounded: past it, cleared.
 */
const checkedHrefs = new Map<string, string>();
const MAX_CHECKED_HREFS = 256;

/** The first hop of a backend call: absolute URL + params, lower-cased headers, body buffered. */
export function buildBackendRequest(method: string, url: string | URL, options: BackendBodyCallOptions, requestId: string): HttpHop {
  const target = targetUrl(url, options.params);
  const headers: Record<string, string> = {};
  if (options.headers !== undefined) for (const [name, value] of Object.entries(options.headers)) headers[name.toLowerCase()] = value;
  headers[REQUEST_ID] = requestId;
  const hop: HttpHop = { method: method.toUpperCase(), url: target, headers };
  if (options.body === undefined) return hop;
  const [body, contentType] = encodeBody(options.body);
  headers['content-type'] ??= contentType;
  return { ...hop, body };
}

function targetUrl(url: string | URL, params: BackendBodyCallOptions['params']): URL {
  const checked = typeof url === 'string' ? checkedHrefs.get(url) : undefined;
  if (checked !== undefined) return new URL(params === undefined ? checked : hrefWithQuery(checked, formEncodedQuery(params)));
  const parsed = toAbsoluteUrl(url);
  if (typeof url === 'string' && parsed.search === '' && parsed.username === '' && parsed.password === '') {
    if (checkedHrefs.size >= MAX_CHECKED_HREFS) checkedHrefs.clear();
    checkedHrefs.set(url, parsed.href);
  }
  const query = params === undefined ? '' : formEncodedQuery(params);
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
