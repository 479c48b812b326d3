import type { CookieTarget } from './hop-target.js';

/** The cookies of one session as `BackendHttpClient` applies them at every hop. */
export interface HopCookieJar {
  /** The `Cookie` header for a request to `target`; '' when no cookie applies. */
  cookieHeader(target: CookieTarget): string;
  /**
   * Stores the `Set-Cookie` headers of an answer from `url` (invalid ones are ignored). True when the answer set the
   * proxy's session cookie in a way the jar ignored: deleted, shortened or shadowed it (see `ProxySessionJar.store`).
   */
  store(setCookies: readonly string[], url: URL): boolean;
}
