/** The cookies of one session as `BackendHttpClient` applies them at every hop. */
export interface HopCookieJar {
  /** The `Cookie` header for a request to `url`; '' when no cookie applies. */
  cookieHeader(url: URL): string;
  /** Stores the `Set-Cookie` headers of an answer from `url` (invalid ones are ignored). */
  store(setCookies: readonly string[], url: URL): void;
}
