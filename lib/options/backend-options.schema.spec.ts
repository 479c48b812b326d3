import { ApiKitOptionsError } from './apikit-options.error.js';
import { resolveApiKitOptions } from './apikit-options.resolver.js';
import { DEFAULT_BACKEND_SESSION_OPTIONS } from './backend-options.defaults.js';

const BOB = { name: 'bob', version: '2.0', repository: 'r', description: 'd' };
const resolveBackend = (backend: unknown) => resolveApiKitOptions({ ...BOB, backend }).backend;

function problemsOf(backend: unknown): readonly string[] {
  try {
    resolveBackend(backend);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiKitOptionsError);
    return (error as ApiKitOptionsError).problems;
  }
  throw new Error('expected ApiKitOptionsError, the options were accepted');
}

describe('backend session options', () => {
  it('fills every default when nothing is given', () => {
    expect(resolveBackend(undefined)).toEqual(DEFAULT_BACKEND_SESSION_OPTIONS);
    expect(resolveBackend(null)).toEqual(DEFAULT_BACKEND_SESSION_OPTIONS);
    expect(resolveBackend({ pool: { maxEntries: undefined } })).toEqual(DEFAULT_BACKEND_SESSION_OPTIONS);
  });

  it('keeps the given values and defaults the rest', () => {
    const resolved = resolveBackend({ timeoutMs: 500, pool: { idleTtlMs: 1000 }, maxRedirects: 0 });
    expect(resolved.timeoutMs).toBe(500);
    expect(resolved.maxRedirects).toBe(0);
    expect(resolved.pool).toEqual({ maxEntries: DEFAULT_BACKEND_SESSION_OPTIONS.pool.maxEntries, idleTtlMs: 1000 });
  });

  it('reports every problem at once, naming the field and the type, never the value', () => {
    const problems = problemsOf({
      timeoutMs: 0,
      maxResponseBytes: 1.5,
      pool: { maxEntries: '10' },
      keepAlive: [],
      githubSessionUrl: '/session',
    });
    expect(problems).toEqual([
      'backend.timeoutMs: expected an integer from 1 to 2147483647, got number',
      'backend.maxResponseBytes: expected an integer from 1 to 9007199254740991, got number',
      'backend.githubSessionUrl: expected an absolute http(s) URL, got a string',
      'backend.pool.maxEntries: expected an integer from 1 to 9007199254740991, got a string',
      'backend.keepAlive: expected an object, got array',
    ]);
    expect(problems.join('\n')).not.toMatch(/\/session|1\.5|"10"/);
  });

  it('refuses time-outs a Node timer cannot hold (setTimeout turns them into 1 ms)', () => {
    expect(problemsOf({ loginTimeoutMs: 2 ** 31, pool: { idleTtlMs: -1 } })).toEqual([
      'backend.loginTimeoutMs: expected an integer from 1 to 2147483647, got number',
      'backend.pool.idleTtlMs: expected an integer from 1 to 2147483647, got number',
    ]);
  });

  it('refuses a backend that is not an object, and unknown keys inside it', () => {
    expect(problemsOf(5)).toEqual(['backend: expected an object, got number']);
    expect(problemsOf({ timeout: 5, pool: { max: 1 } })).toEqual([
      'backend.pool.max: unknown option (expected one of maxEntries, idleTtlMs)',
      'backend.timeout: unknown option (expected one of timeoutMs, loginTimeoutMs, maxResponseBytes, maxRedirects, githubSessionUrl, pool, failedLoginBackoffMs, keepAlive)',
    ]);
  });
});
