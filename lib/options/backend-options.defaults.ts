import { LIBRARY_USER_AGENT } from '../http-request/user-agent.js';
import type { BackendSessionOptions, ResolvedBackendSessionOptions } from './backend-options.interface.js';

const MINUTE = 60_000;

export const DEFAULT_BACKEND_SESSION_OPTIONS: ResolvedBackendSessionOptions = Object.freeze({
  timeoutMs: 10_000,
  loginTimeoutMs: 15_000,
  maxResponseBytes: 10 * 1024 * 1024,
  maxRedirects: 10,
  githubUrl: new URL('https://github.com'),
  githubSessionUrl: undefined,
  // An hour: a changed password stops opening the pooled session within it.
  pool: Object.freeze({ maxEntries: 1000, idleTtlMs: 30 * MINUTE, maxAgeMs: 60 * MINUTE }),
  failedLoginBackoffMs: 30_000,
  // GitHub locks an account after about 10 failed sign-ins: the service stops at half that.
  usernameThrottle: Object.freeze({ maxFailures: 5, windowMs: 15 * MINUTE }),
  // Two usernames' worth of the username throttle per address: a typo-prone person gets through, a guesser stops.
  addressThrottle: Object.freeze({ maxFailures: 10, windowMs: 15 * MINUTE }),
  // Where a cluster's ingress pods live; loopback is not trusted (a local client could spoof).
  trustedProxies: Object.freeze(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']),
  // Half GitHub's 2,000 new tokens an hour per OAuth app, and 8 of its 10 sign-ins per user and app an hour.
  loginBudget: Object.freeze({ maxConcurrent: 8, perMinute: 60, perHour: 1000, perIdentityPerHour: 8, perAddressConcurrent: 2 }),
  reloginIntervalMs: MINUTE,
  // ingress-nginx refuses a header line over 8 KiB (large_client_header_buffers 4 8k) with a 400: the whole line,
  // `Cookie: ` and its CRLF included, stays within it (8,182 bytes of cookies; 8 KiB of them made an 8,200-byte line).
  cookies: Object.freeze({ maxPerSession: 32, maxHeaderBytes: 8 * 1024 - 'Cookie: \r\n'.length }),
  proxyCookieName: '_oauth2_proxy',
  userAgent: LIBRARY_USER_AGENT,
  codeWaitMs: 10 * MINUTE,
  githubDeviceTtlMs: 30 * 24 * 60 * MINUTE,
  // GitHub's own `user_session` lifetime.
  githubSessionTtlMs: 14 * 24 * 60 * MINUTE,
  githubLockoutMs: 5 * MINUTE,
  store: Object.freeze({ type: 'memory' as const }),
  secret: undefined,
  keepAlive: Object.freeze({ timeoutMs: 4_000, connectionsPerOrigin: 64 }),
});

/** `options`, already validated, with every unset field given its default (URLs parsed). */
export function withBackendSessionDefaults(options: BackendSessionOptions | undefined | null): ResolvedBackendSessionOptions {
  const o = options ?? {};
  const d = DEFAULT_BACKEND_SESSION_OPTIONS;
  return {
    timeoutMs: o.timeoutMs ?? d.timeoutMs,
    loginTimeoutMs: o.loginTimeoutMs ?? d.loginTimeoutMs,
    maxResponseBytes: o.maxResponseBytes ?? d.maxResponseBytes,
    maxRedirects: o.maxRedirects ?? d.maxRedirects,
    githubUrl: o.githubUrl === undefined ? d.githubUrl : new URL(o.githubUrl),
    githubSessionUrl: o.githubSessionUrl === undefined ? undefined : new URL(o.githubSessionUrl),
    pool: { ...d.pool, ...defined(o.pool) },
    failedLoginBackoffMs: o.failedLoginBackoffMs ?? d.failedLoginBackoffMs,
    usernameThrottle: { ...d.usernameThrottle, ...defined(o.usernameThrottle) },
    addressThrottle: { ...d.addressThrottle, ...defined(o.addressThrottle) },
    trustedProxies: o.trustedProxies ?? d.trustedProxies,
    loginBudget: { ...d.loginBudget, ...defined(o.loginBudget) },
    reloginIntervalMs: o.reloginIntervalMs ?? d.reloginIntervalMs,
    cookies: { ...d.cookies, ...defined(o.cookies) },
    proxyCookieName: o.proxyCookieName ?? d.proxyCookieName,
    userAgent: o.userAgent ?? d.userAgent,
    codeWaitMs: o.codeWaitMs ?? d.codeWaitMs,
    githubDeviceTtlMs: o.githubDeviceTtlMs ?? d.githubDeviceTtlMs,
    githubSessionTtlMs: o.githubSessionTtlMs ?? d.githubSessionTtlMs,
    githubLockoutMs: o.githubLockoutMs ?? d.githubLockoutMs,
    store:
      o.store?.type === 'redis'
        ? {
            type: 'redis',
            url: o.store.url,
            client: o.store.client,
            keyPrefix: o.store.keyPrefix ?? 'apikit:',
            timeoutMs: o.store.timeoutMs ?? 250,
            localTtlMs: o.store.localTtlMs ?? 30_000,
          }
        : d.store,
    secret: o.secret === undefined ? undefined : Buffer.from(o.secret, 'utf8'),
    keepAlive: { ...d.keepAlive, ...defined(o.keepAlive) },
  };
}

/** The fields of a validated group that are set: an explicit `undefined` means the default too. */
function defined<T extends object>(group: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(group ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
}
