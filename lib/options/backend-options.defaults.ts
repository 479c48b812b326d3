import type { BackendSessionOptions, ResolvedBackendSessionOptions } from './backend-options.interface.js';

export const DEFAULT_BACKEND_SESSION_OPTIONS: ResolvedBackendSessionOptions = Object.freeze({
  timeoutMs: 10_000,
  loginTimeoutMs: 15_000,
  maxResponseBytes: 10 * 1024 * 1024,
  maxRedirects: 10,
  githubSessionUrl: undefined,
  pool: Object.freeze({ maxEntries: 1000, idleTtlMs: 30 * 60_000 }),
  failedLoginBackoffMs: 30_000,
  keepAlive: Object.freeze({ timeoutMs: 4_000, connectionsPerOrigin: 64 }),
});

/** `options`, already validated, with every unset field given its default. */
export function withBackendSessionDefaults(options: BackendSessionOptions | undefined | null): ResolvedBackendSessionOptions {
  const o = options ?? {};
  const d = DEFAULT_BACKEND_SESSION_OPTIONS;
  return {
    timeoutMs: o.timeoutMs ?? d.timeoutMs,
    loginTimeoutMs: o.loginTimeoutMs ?? d.loginTimeoutMs,
    maxResponseBytes: o.maxResponseBytes ?? d.maxResponseBytes,
    maxRedirects: o.maxRedirects ?? d.maxRedirects,
    githubSessionUrl: o.githubSessionUrl,
    pool: {
      maxEntries: o.pool?.maxEntries ?? d.pool.maxEntries,
      idleTtlMs: o.pool?.idleTtlMs ?? d.pool.idleTtlMs,
    },
    failedLoginBackoffMs: o.failedLoginBackoffMs ?? d.failedLoginBackoffMs,
    keepAlive: {
      timeoutMs: o.keepAlive?.timeoutMs ?? d.keepAlive.timeoutMs,
      connectionsPerOrigin: o.keepAlive?.connectionsPerOrigin ?? d.keepAlive.connectionsPerOrigin,
    },
  };
}
