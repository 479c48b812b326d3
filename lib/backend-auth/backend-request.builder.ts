import { appendQueryParams } from '../http-request/query-params.appender.js';
import type { BackendBody, BackendBodyCallOptions } from './backend-call-options.interface.js';
import { REQUEST_ID_HEADER } from '../http-request/request-id.resolver.js';
import type { HttpHop } from './http/backend-http.client.js';

/** The first hop of a backend call: absolute URL + params, lower-cased headers, body buffered. */
export function buildBackendRequest(method: string, url: string | URL, options: BackendBodyCallOptions, requestId: string): HttpHop {
  const target = toAbsoluteUrl(url);
  if (options.params !== undefined) appendQueryParams(target, options.params);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  headers[REQUEST_ID_HEADER.toLowerCase()] = requestId;
  const hop: HttpHop = { method: method.toUpperCase(), url: target, headers };
  if (options.body === undefined) return hop;
  const [body, contentType] = encodeBody(options.body);
  headers['content-type'] ??= contentType;
  return { ...hop, body };
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
