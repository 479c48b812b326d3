import type { CookieJar } from 'tough-cookie';

/** oauth2-proxy's session cookie, `_oauth2_proxy`, or its parts `_oauth2_proxy_0`, `_oauth2_proxy_1`... when split. */
const PROXY_SESSION_COOKIE = /^_oauth2_proxy(?:_\d+)?$/;

/**
 * Whether the jar holds a live (unexpired) proxy session cookie for the proxy's origin:
 * the proof that a login worked, and that a pooled session is still worth using.
 */
export function hasProxySessionCookie(jar: CookieJar, proxyUrl: URL): boolean {
  return jar.getCookiesSync(proxyUrl.href).some((cookie) => PROXY_SESSION_COOKIE.test(cookie.key));
}
