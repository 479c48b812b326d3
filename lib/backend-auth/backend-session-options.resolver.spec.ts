import { DEFAULT_BACKEND_SESSION_OPTIONS, resolveBackendSessionOptions, validateBackendSessionOptions } from './backend-session-options.resolver.js';

describe('backend session options', () => {
  it('fills every default when nothing is given', () => {
    expect(resolveBackendSessionOptions(undefined)).toEqual(DEFAULT_BACKEND_SESSION_OPTIONS);
    expect(resolveBackendSessionOptions({ pool: { maxEntries: undefined } })).toEqual(DEFAULT_BACKEND_SESSION_OPTIONS);
  });

  it('keeps the given values and defaults the rest', () => {
    const resolved = resolveBackendSessionOptions({ timeoutMs: 500, pool: { idleTtlMs: 1000 }, maxRedirects: 0 });
    expect(resolved.timeoutMs).toBe(500);
    expect(resolved.maxRedirects).toBe(0);
    expect(resolved.pool).toEqual({ maxEntries: DEFAULT_BACKEND_SESSION_OPTIONS.pool.maxEntries, idleTtlMs: 1000 });
  });

  it('reports every problem at once, naming the field', () => {
    const problems = validateBackendSessionOptions({
      timeoutMs: 0,
      maxResponseBytes: 1.5,
      pool: { maxEntries: '10' },
      keepAlive: [],
      githubSessionUrl: '/session',
    });
    expect(problems).toEqual([
      'backend.keepAlive: must be an object, got array',
      'backend.timeoutMs: must be an integer >= 1, got number 0',
      'backend.maxResponseBytes: must be an integer >= 1, got number 1.5',
      'backend.pool.maxEntries: must be an integer >= 1, got string "10"',
      'backend.githubSessionUrl: must be an absolute http(s) URL, got string "/session"',
    ]);
    expect(() => resolveBackendSessionOptions({ timeoutMs: -1 })).toThrow(/backend\.timeoutMs/);
  });

  it('refuses a backend that is not an object', () => {
    expect(validateBackendSessionOptions(5)).toEqual(['backend: must be an object, got number 5']);
  });
});
