/** A Redis client the application already has (node-redis v4 to v6): the store uses its `sendCommand`. */
export interface RedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
}

/** Where the login state lives: this process (the default), or Redis, shared by every replica. */
export type BackendStoreOptions =
  | { type: 'memory' }
  | {
      type: 'redis';
      /** `redis://host:6379/0` (or `rediss://`); or give `client`. */
      url?: string;
      /** An existing node-redis client, e.g. from `forRootAsync`; the library does not close it. */
      client?: RedisClientLike;
      /** Prefix of every key (default `apikit:`), to share one Redis between services. */
      keyPrefix?: string;
      /** Time-out of one Redis command, in ms (default 250): slower, and local state answers. */
      timeoutMs?: number;
      /** A session read from Redis is used locally this long before Redis is asked again, in ms (default 30 000). */
      localTtlMs?: number;
    };

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
   * The GitHub the proxy logs in with (default `https://github.com`; a GitHub Enterprise URL
   * otherwise): callers' usernames and passwords are sent to this origin and nowhere else, over
   * https only (plain http only when its host is loopback: tests, demos).
   */
  githubUrl?: string;
  /**
   * Where GitHub's password form posts, overriding the form's own `action`; it must lie on
   * `githubUrl`'s origin. Set it for a GitHub Enterprise with an unusual login page.
   */
  githubSessionUrl?: string;
  /** Backend sessions kept per caller identity. */
  pool?: {
    /** Identities kept at most, least recently used evicted first (default 1000). */
    maxEntries?: number;
    /** An identity unused this long is dropped, in ms (default 30 min). */
    idleTtlMs?: number;
    /** A session is dropped this long after its login, however busy, in ms (default 1 h): an old password stops working within it. */
    maxAgeMs?: number;
  };
  /**
   * After a login refused for wrong credentials or two-factor, further logins of the same
   * identity fail fast with 429 (without asking GitHub) for this long, in ms (default 30 000).
   * 0 disables the throttle.
   */
  failedLoginBackoffMs?: number;
  /** Refused logins per username (whatever the password): past `maxFailures` in `windowMs`, 429 without asking GitHub. */
  usernameThrottle?: {
    /** Default 5; 0 disables the throttle. */
    maxFailures?: number;
    /** Default 15 min. */
    windowMs?: number;
  };
  /**
   * Failed credential checks per client address, whatever answered them (GitHub, the pool, a throttle): past
   * `maxFailures` in `windowMs` (logins in flight counted), every request of that address carrying credentials
   * answers 429 until the window ends, a pooled right password included.
   */
  addressThrottle?: {
    /** Default 10; 0 disables the throttle. */
    maxFailures?: number;
    /** Default 15 min. */
    windowMs?: number;
  };
  /**
   * Peers whose `X-Forwarded-For` is believed (CIDR list): the client address is the right-most entry that is
   * not one of them. Default: the private ranges a cluster's ingress lives in (`10.0.0.0/8`, `172.16.0.0/12`,
   * `192.168.0.0/16`, `fc00::/7`), not loopback; `[]` trusts none (the socket's peer is the client).
   */
  trustedProxies?: string[];
  /** GitHub logins of the whole service, whoever asks; a login over budget waits within its deadline, then 503. */
  loginBudget?: {
    /** Logins in flight at once (default 8). */
    maxConcurrent?: number;
    /** Logins started per minute (default 60). */
    perMinute?: number;
    /**
     * Logins started per hour (default 1000). GitHub blocks an OAuth app past 2,000 new tokens an hour, for
     * every user of that oauth2-proxy: this budget is shared with the proxy's OAuth app and its browser users.
     */
    perHour?: number;
    /**
     * Sign-ins of one account per hour (default 8; past it 429 with `Retry-After`): GitHub wants the user to
     * authorise the OAuth app again after 10 in an hour, and keeps 10 tokens per user and app.
     */
    perIdentityPerHour?: number;
    /**
     * Logins in flight per client address while others wait (default 2); waiting addresses are served in turn.
     * An address alone may still use the whole budget.
     */
    perAddressConcurrent?: number;
  };
  /** A backend refusing a fresh session again (401/403) gets no new login within this interval, in ms (default 60 000). */
  reloginIntervalMs?: number;
  /** Cookies the backend may leave in a session: past either bound the oldest go (the proxy's own stay). */
  cookies?: {
    /** Default 32. */
    maxPerSession?: number;
    /** Bytes of the `Cookie` header's value at most (default 8,182: with `Cookie: ` and CRLF, ingress-nginx's longest header line, 8 KiB). */
    maxHeaderBytes?: number;
  };
  /** oauth2-proxy's `--cookie-name` (default `_oauth2_proxy`); split sessions are `<name>_0`, `<name>_1`... */
  proxyCookieName?: string;
  /** `User-Agent` of every request to the proxy, GitHub and the backend (default `nestjs-apikit/<version>`). */
  userAgent?: string;
  /** How long a login waiting for the caller's two-factor or device code (`X-GitHub-OTP`) is kept, in ms (default 10 min). */
  codeWaitMs?: number;
  /** How long GitHub's own cookies of an identity (its verified device) are kept between its logins, in ms (default 30 days). */
  githubDeviceTtlMs?: number;
  /**
   * How long GitHub's web session of an identity is kept between its logins, in ms (default 14 days, GitHub's
   * own): a re-login then goes through GitHub's authorize page with no password and no code. Bound to the
   * caller's password and, for a login that needed a code, its device token. 0 keeps none (each login shows
   * GitHub the password).
   */
  githubSessionTtlMs?: number;
  /** After GitHub's lockout page ("several failed attempts"), logins of that username wait this long, in ms (default 5 min). */
  githubLockoutMs?: number;
  /** Where sessions, device cookies, half-done logins, throttles and login budgets live (default `{ type: 'memory' }`). */
  store?: BackendStoreOptions;
  /**
   * The secret the replicas share (at least 32 bytes, the same on every replica; from the environment,
   * never from code): it keys and encrypts the Redis store. Required with `store.type: 'redis'`.
   */
  secret?: string;
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
  githubUrl: URL;
  githubSessionUrl: URL | undefined;
  pool: { maxEntries: number; idleTtlMs: number; maxAgeMs: number };
  failedLoginBackoffMs: number;
  usernameThrottle: { maxFailures: number; windowMs: number };
  addressThrottle: { maxFailures: number; windowMs: number };
  trustedProxies: readonly string[];
  loginBudget: { maxConcurrent: number; perMinute: number; perHour: number; perIdentityPerHour: number; perAddressConcurrent: number };
  reloginIntervalMs: number;
  cookies: { maxPerSession: number; maxHeaderBytes: number };
  proxyCookieName: string;
  userAgent: string;
  codeWaitMs: number;
  githubDeviceTtlMs: number;
  githubSessionTtlMs: number;
  githubLockoutMs: number;
  store:
    | { type: 'memory' }
    | { type: 'redis'; url: string | undefined; client: RedisClientLike | undefined; keyPrefix: string; timeoutMs: number; localTtlMs: number };
  secret: Buffer | undefined;
  keepAlive: { timeoutMs: number; connectionsPerOrigin: number };
}
