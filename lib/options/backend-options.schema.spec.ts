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
    expect(resolved.pool).toEqual({ ...DEFAULT_BACKEND_SESSION_OPTIONS.pool, idleTtlMs: 1000 });
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
      'backend.githubSessionUrl: expected a URL on the origin of githubUrl (https://github.com by default), got a string',
      'backend.pool.maxEntries: expected an integer from 1 to 9007199254740991, got a string',
      'backend.keepAlive: expected an object, got array',
    ]);
    expect(problems.join('\n')).not.toMatch(/\/session|1\.5|"10"/);
  });

  it('sends passwords to githubUrl only over https (http only to loopback), and posts the form on its origin', () => {
    expect(resolveBackend({ githubUrl: 'https://ghe.example.org', githubSessionUrl: 'https://ghe.example.org/session' })).toMatchObject({
      githubUrl: new URL('https://ghe.example.org'),
      githubSessionUrl: new URL('https://ghe.example.org/session'),
    });
    expect(resolveBackend({ githubUrl: 'http://127.0.0.1:4000' }).githubUrl.origin).toBe('http://127.0.0.1:4000');
    expect(resolveBackend(undefined).githubUrl.href).toBe('https://github.com/');
    const httpsOnly = 'expected an https URL without credentials (plain http only to a loopback host), got a string';
    expect(problemsOf({ githubUrl: 'http://ghe.example.org' })).toEqual([`backend.githubUrl: ${httpsOnly}`]);
    expect(problemsOf({ githubUrl: 'https://user:pw@ghe.example.org' })).toEqual([`backend.githubUrl: ${httpsOnly}`]);
    expect(problemsOf({ githubUrl: 'https://ghe.example.org', githubSessionUrl: 'https://evil.example.org/session' })).toEqual([
      'backend.githubSessionUrl: expected a URL on the origin of githubUrl (https://github.com by default), got a string',
    ]);
    expect(problemsOf({ githubSessionUrl: 'http://github.com/session' })).toHaveLength(1);
  });

  it('validates the login bounds: throttle, budget, re-login interval, cookie caps, session lifetime', () => {
    const resolved = resolveBackend({ usernameThrottle: { maxFailures: 0 }, loginBudget: { maxConcurrent: 2 }, cookies: { maxPerSession: 8 }, pool: { maxAgeMs: 60_000 } });
    expect(resolved.usernameThrottle).toEqual({ maxFailures: 0, windowMs: 15 * 60_000 });
    expect(resolved.loginBudget).toEqual({ maxConcurrent: 2, perMinute: 60, perHour: 1000, perIdentityPerHour: 8, perAddressConcurrent: 2 });
    expect(resolved.cookies).toEqual({ maxPerSession: 8, maxHeaderBytes: 8 * 1024 - 10 });
    expect(resolved.pool.maxAgeMs).toBe(60_000);
    expect(problemsOf({ loginBudget: { maxConcurrent: 0, perMinute: 1.5 }, reloginIntervalMs: -1, cookies: { maxHeaderBytes: 10 } })).toEqual([
      'backend.loginBudget.maxConcurrent: expected an integer from 1 to 9007199254740991, got number',
      'backend.loginBudget.perMinute: expected an integer from 1 to 9007199254740991, got number',
      'backend.reloginIntervalMs: expected an integer from 0 to 9007199254740991, got number',
      'backend.cookies.maxHeaderBytes: expected an integer from 256 to 9007199254740991, got number',
    ]);
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
      'backend.pool.max: unknown option (expected one of maxEntries, idleTtlMs, maxAgeMs)',
      expect.stringMatching(/^backend\.timeout: unknown option \(expected one of timeoutMs, loginTimeoutMs, .*, keepAlive\)$/),
    ]);
  });
});
