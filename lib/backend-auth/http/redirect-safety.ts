import { REQUEST_ID_HEADER } from '../../http-request/request-id.resolver.js';
import type { HttpHop } from './backend-http.client.js';

/** Headers the library itself sets, kept on a hop to another origin; every other one (the caller's) is dropped. */
const CROSS_ORIGIN_HEADERS = new Set(['accept', 'user-agent', REQUEST_ID_HEADER.toLowerCase()]);

/** Why following this redirect would be unsafe whatever the caller allows, or undefined. */
export function unsafeRedirect(hop: HttpHop, status: number, target: URL): string | undefined {
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return `a redirect to a ${target.protocol} URL`;
  if (hop.url.protocol === 'https:' && target.protocol === 'http:') return 'a redirect from https to plain http';
  if (target.origin !== hop.url.origin && keepsBody(hop, status) && hop.body !== undefined) {
    return 'a redirect that would send the request body to another origin';
  }
  return undefined;
}

/** Whether the next hop repeats the method and body: 307/308 always, 301/302 for all but POST; 303 never. */
function keepsBody(hop: HttpHop, status: number): boolean {
  return status === 307 || status === 308 || (status !== 303 && hop.method !== 'POST');
}

/** The next hop as browsers make it: 303 (and 301/302 after a POST) become a GET without body. */
export function nextHop(hop: HttpHop, status: number, url: URL): HttpHop {
  // Headers the caller's code set (credentials, proxy-authorization, anything) are for one origin only.
  const headers =
    url.origin === hop.url.origin
      ? { ...hop.headers }
      : Object.fromEntries(Object.entries(hop.headers).filter(([name]) => CROSS_ORIGIN_HEADERS.has(name)));
  // Built field by field: a spread of a PreparedHop would carry its first target's origin and path along.
  if (keepsBody(hop, status)) return { method: hop.method, url, headers, body: hop.body };
  delete headers['content-type'];
  delete headers['content-length'];
  return { method: hop.method === 'HEAD' ? 'HEAD' : 'GET', url, headers };
}
