import { ApiKitOptionsError } from '../options/apikit-options.error.js';
import type { BackendSessionOptions } from './backend-session-options.interface.js';

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

type Rule = readonly [path: string, value: unknown, min: number];

/**
 * Every problem of `backend` options, each naming the field (`backend.pool.maxEntries`):
 * the options validator reports them together with its own.
 */
export function validateBackendSessionOptions(options: unknown): string[] {
  if (options === undefined || options === null) return [];
  if (typeof options !== 'object' || Array.isArray(options)) {
    return [`backend: must be an object, got ${describe(options)}`];
  }
  const o = options as BackendSessionOptions;
  const problems: string[] = [];
  for (const name of ['pool', 'keepAlive'] as const) {
    const value: unknown = o[name];
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      problems.push(`backend.${name}: must be an object, got ${describe(value)}`);
    }
  }
  const rules: Rule[] = [
    ['timeoutMs', o.timeoutMs, 1],
    ['loginTimeoutMs', o.loginTimeoutMs, 1],
    ['maxResponseBytes', o.maxResponseBytes, 1],
    ['maxRedirects', o.maxRedirects, 0],
    ['failedLoginBackoffMs', o.failedLoginBackoffMs, 0],
    ['pool.maxEntries', objectField(o.pool, 'maxEntries'), 1],
    ['pool.idleTtlMs', objectField(o.pool, 'idleTtlMs'), 1],
    ['keepAlive.timeoutMs', objectField(o.keepAlive, 'timeoutMs'), 1],
    ['keepAlive.connectionsPerOrigin', objectField(o.keepAlive, 'connectionsPerOrigin'), 1],
  ];
  for (const [path, value, min] of rules) {
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= min)) {
      problems.push(`backend.${path}: must be an integer >= ${min}, got ${describe(value)}`);
    }
  }
  if (o.githubSessionUrl !== undefined && !isHttpUrl(o.githubSessionUrl)) {
    problems.push(`backend.githubSessionUrl: must be an absolute http(s) URL, got ${describe(o.githubSessionUrl)}`);
  }
  return problems;
}

/**
 * Validated options with defaults, for use outside `ApiKitModule` (whose options resolver
 * validates `backend` with the rest and calls `withBackendSessionDefaults` itself).
 * @throws ApiKitOptionsError listing every problem.
 */
export function resolveBackendSessionOptions(options: BackendSessionOptions | undefined): ResolvedBackendSessionOptions {
  const problems = validateBackendSessionOptions(options);
  if (problems.length > 0) throw new ApiKitOptionsError(problems);
  return withBackendSessionDefaults(options);
}

/** `options`, already validated, with every unset field given its default. */
export function withBackendSessionDefaults(options: BackendSessionOptions | undefined): ResolvedBackendSessionOptions {
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

export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function objectField(parent: unknown, name: string): unknown {
  return typeof parent === 'object' && parent !== null ? (parent as Record<string, unknown>)[name] : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return `number ${value}`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.slice(0, 80))}`;
  return typeof value;
}
