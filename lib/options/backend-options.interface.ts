/**
 * Tuning of the backend session (`BitlyProxySession`), `ApiKitModule.forRoot({ backend })`.
 * Everything is optional; the defaults below are what an unset field means. Validated at boot.
 */
export interface BackendSessionOptions {
  /** Time-out of one backend call, login included, in ms (default 10 000). Overridable per call. */
  timeoutMs?: number;
  /** Time-out of the whole GitHub login flow through the proxy, in ms (default 15 000). */
  loginTimeoutMs?: number;
  /** Largest backend response body buffered, in bytes (default 10 MiB); larger answers are a 502. */
  maxResponseBytes?: number;
  /** Redirect hops followed by one request or the login flow (default 10). */
  maxRedirects?: number;
  /**
   * Where GitHub's password form posts, overriding the form's own `action` (default: the
   * action of the login page's form, resolved against the page URL; `https://github.com/session`
   * when the form gives none). Set it for a GitHub Enterprise with an unusual login page.
   */
  githubSessionUrl?: string;
  /** Backend sessions kept per caller identity. */
  pool?: {
    /** Identities kept at most, least recently used evicted first (default 1000). */
    maxEntries?: number;
    /** An identity unused this long is dropped, in ms (default 30 min). */
    idleTtlMs?: number;
  };
  /**
   * After a login refused for wrong credentials or two-factor, further logins of the same
   * identity fail fast with 429 (without asking GitHub) for this long, in ms (default 30 000).
   * 0 disables the throttle.
   */
  failedLoginBackoffMs?: number;
  /** Keep-alive of the connections to the proxy and GitHub. */
  keepAlive?: {
    /** Idle time before a kept-alive socket is closed, in ms (default 4 000). */
    timeoutMs?: number;
    /** Sockets per origin at most (default 64). */
    connectionsPerOrigin?: number;
  };
}

/** `BackendSessionOptions` with every default filled in. */
export interface ResolvedBackendSessionOptions {
  timeoutMs: number;
  loginTimeoutMs: number;
  maxResponseBytes: number;
  maxRedirects: number;
  githubSessionUrl: string | undefined;
  pool: { maxEntries: number; idleTtlMs: number };
  failedLoginBackoffMs: number;
  keepAlive: { timeoutMs: number; connectionsPerOrigin: number };
}
