import 'reflect-metadata';
import { ApiKitOptionsError } from './apikit-options.error.js';
import type { ApiKitModuleOptions } from './apikit-options.interface.js';
import { resolveApiKitOptions } from './apikit-options.resolver.js';

// apikit's own option tests (tests/test_lsstflask*.py, tests/test_set_flask_metadata*.py), ported:
// TypeError and ValueError both become ApiKitOptionsError, whose problem names the field and the rule.

const BOB = { name: 'bob', version: '2.0', repository: 'http://example.repo', description: 'BobApp' };

function resolve(overrides: Record<string, unknown>) {
  return resolveApiKitOptions({ ...BOB, ...overrides });
}

function problemsOf(raw: unknown): readonly string[] {
  try {
    resolveApiKitOptions(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiKitOptionsError);
    return (error as ApiKitOptionsError).problems;
  }
  throw new Error('expected ApiKitOptionsError, the options were accepted');
}

describe('resolveApiKitOptions: accepted (test_lsstflask, test_set_flask_metadata)', () => {
  it('test_lsstflask: minimal invocation gives api_version "1.0" and auth type none', () => {
    const resolved = resolveApiKitOptions(BOB);
    expect(resolved.metadata).toEqual({ ...BOB, api_version: '1.0', auth: 'none' });
    expect(resolved.auth).toEqual({ type: 'none', data: {} });
    expect(resolved.routePrefixes).toEqual(['/']);
    expect(resolved.healthCheck).toBe(true);
    expect(resolved.accessLog).toBe(false);
  });

  it.each([[''], ['none'], [null], [undefined], [{ type: 'none' }], [{ type: 'none', data: {} }]])(
    'test_lsstflask / test_set_flask_metadata: auth %j means type none',
    (auth) => {
      expect(resolve({ auth }).metadata.auth).toBe('none');
    },
  );

  it('test_lsstflask / test_set_flask_metadata: set api_version "5"', () => {
    expect(resolve({ apiVersion: '5', auth: '' }).metadata.api_version).toBe('5');
  });

  it.each(['basic', 'bitly-proxy'] as const)('test_lsstflask: auth type %s with data {}', (type) => {
    const resolved = resolve({ auth: { type, data: {} } });
    expect(resolved.metadata.auth).toBe(type);
    expect(resolved.auth).toEqual({ type, data: {} });
  });

  it.each([
    ['', ['/']],
    ['/bob', ['/bob']],
    [[''], ['/']],
    [['/bob'], ['/bob']],
    [['', '/bob'], ['/', '/bob']],
  ])('test_lsstflask: route %j is accepted as prefixes %j', (route, prefixes) => {
    expect(resolve({ route }).routePrefixes).toEqual(prefixes);
  });

  it('accepts whitespace-only strings, as apikit did', () => {
    expect(resolve({ name: ' ', description: '\t' }).metadata.name).toBe(' ');
  });

  it('accepts an empty route array: no metadata route', () => {
    expect(resolve({ route: [] }).routePrefixes).toEqual([]);
  });

  it('keeps the credentials of auth.data for the backend session, out of the metadata', () => {
    const data = { username: 'bot', password: 'pw', endpoint: 'https://host/oauth2/start' };
    const resolved = resolve({ auth: { type: 'bitly-proxy', data } });
    expect(resolved.auth.data).toEqual(data);
    expect(JSON.stringify(resolved.metadata)).not.toContain('pw');
  });
});

describe('resolveApiKitOptions: type errors (test_lsstflask_type_errors, test_set_flask_metadata_type_errors)', () => {
  it.each([
    ['no arguments at all', undefined, 'options: expected an object, got undefined'],
    ['name is not a string', { ...BOB, name: ['Beer', 'me'] }, 'name: expected a non-empty string, got array'],
    ['version is not a string', { ...BOB, version: 2.0 }, 'version: expected a non-empty string, got number'],
    ['api_version is not a string', { ...BOB, apiVersion: 5, auth: '' }, 'apiVersion: expected a non-empty string, got number'],
    ['auth is 5', { ...BOB, auth: 5 }, 'auth: expected undefined, null, "", "none" or an object { type, data }, got number'],
    ['auth is "bob"', { ...BOB, auth: 'bob' }, 'auth: expected undefined, null, "", "none" or an object { type, data }, got a string'],
    ['route is 2', { ...BOB, route: 2 }, 'route: expected a string or an array of strings, got number'],
    ['route is [2]', { ...BOB, route: [2] }, 'route: expected an array of strings, got an array whose [0] is number'],
  ])('test_lsstflask_type_errors: %s', (_, raw, problem) => {
    expect(problemsOf(raw)).toEqual([problem]);
  });

  it('test_lsstflask_type_errors: repository not a string (and version 2.0) reports both', () => {
    expect(problemsOf({ ...BOB, version: 2.0, repository: ['repo', 'man'] })).toEqual([
      'version: expected a non-empty string, got number',
      'repository: expected a non-empty string, got array',
    ]);
  });

  it('test_lsstflask_type_errors: description not a string (arguments shifted) reports every field', () => {
    const raw = { name: 'bob', version: 2.0, repository: '', description: 'http://example.repo', apiVersion: { totally: 'bogus' } };
    expect(problemsOf(raw)).toEqual([
      'version: expected a non-empty string, got number',
      'repository: expected a non-empty string, got an empty string',
      'apiVersion: expected a non-empty string, got object',
    ]);
  });

  it('refuses apiVersion null (apikit refused None) and auth as an array', () => {
    expect(problemsOf({ ...BOB, apiVersion: null, auth: [] })).toEqual([
      'apiVersion: expected a non-empty string, got null',
      'auth: expected undefined, null, "", "none" or an object { type, data }, got array',
    ]);
  });

  it('takes accessLog true or false, and refuses anything else without echoing it', () => {
    expect(resolve({ accessLog: true }).accessLog).toBe(true);
    expect(problemsOf({ ...BOB, accessLog: 'yes-secret' })).toEqual(['accessLog: expected a boolean, got a string']);
  });

  it('refuses non-boolean healthCheck, unknown options and a non-object backend', () => {
    expect(problemsOf({ ...BOB, healthCheck: 1, routes: ['/typo'], backend: 'fast' })).toEqual([
      'healthCheck: expected a boolean, got number',
      'backend: expected an object, got a string',
      'routes: unknown option (expected one of name, version, repository, description, apiVersion, auth, route, healthCheck, backend, errorBody, metrics, tracing, readiness, shutdownDelayMs, accessLog, openapi)',
    ]);
  });
});

describe('resolveApiKitOptions: value errors (test_lsstflask_value_errors, test_set_flask_metadata_value_errors)', () => {
  it.each([
    ['empty name', { ...BOB, name: '' }, 'name: expected a non-empty string, got an empty string'],
    ['empty version', { ...BOB, version: '' }, 'version: expected a non-empty string, got an empty string'],
    ['empty repo', { ...BOB, repository: '' }, 'repository: expected a non-empty string, got an empty string'],
    ['empty description', { ...BOB, description: '' }, 'description: expected a non-empty string, got an empty string'],
    ['empty api_version', { ...BOB, apiVersion: '' }, 'apiVersion: expected a non-empty string, got an empty string'],
    [
      "field 'auth' has 'type' missing",
      { ...BOB, auth: { data: {} } },
      'auth.type: expected "none", "basic" or "bitly-proxy" (case-sensitive), got undefined',
    ],
    [
      "field 'auth' has 'type' with bad value",
      { ...BOB, auth: { type: 'frank', data: {} } },
      'auth.type: expected "none", "basic" or "bitly-proxy" (case-sensitive), got a string',
    ],
    [
      'auth type is case-sensitive',
      { ...BOB, auth: { type: 'Basic', data: {} } },
      'auth.type: expected "none", "basic" or "bitly-proxy" (case-sensitive), got a string',
    ],
    ["field 'auth' has correct 'type' but no 'data'", { ...BOB, auth: { type: 'basic' } }, 'auth.data: required for auth type "basic", got undefined'],
    ['bitly-proxy without data', { ...BOB, auth: { type: 'bitly-proxy' } }, 'auth.data: required for auth type "bitly-proxy", got undefined'],
  ])('test_lsstflask_value_errors: %s', (_, raw, problem) => {
    expect(problemsOf(raw)).toEqual([problem]);
  });

  // Found by the options property (test/properties): with `data: null` the message named any type, a pasted secret
  // included, and a type without a string form (an object of no prototype) threw a TypeError instead of the options error.
  it('never names an unknown auth type, whatever data is, and refuses one without a string form', () => {
    const notNamed = ['auth.type: expected "none", "basic" or "bitly-proxy" (case-sensitive), got a string', 'auth.data: required unless the type is "none", got null'];
    expect(problemsOf({ ...BOB, auth: { type: 'ghp_pasted-secret', data: null } })).toEqual(notNamed);
    expect(problemsOf({ ...BOB, auth: { type: Object.create(null) as object, data: null } })).toEqual([
      'auth.type: expected "none", "basic" or "bitly-proxy" (case-sensitive), got object',
      'auth.data: required unless the type is "none", got null',
    ]);
  });

  it("test_lsstflask_value_errors: no field 'type' in 'auth' (and its unknown key named)", () => {
    expect(problemsOf({ ...BOB, auth: { notype: 'notbob' } })).toEqual([
      'auth.type: expected "none", "basic" or "bitly-proxy" (case-sensitive), got undefined',
      'auth.notype: unknown option (expected one of type, data)',
    ]);
  });

  it('checks bitly-proxy auth.data at boot: endpoint an absolute http(s) URL, credentials strings, no other key', () => {
    expect(problemsOf({ ...BOB, auth: { type: 'bitly-proxy', data: { endpoint: '/oauth2/start', password: 5, token: 'x' } } })).toEqual([
      'auth.data.password: expected a string, got number',
      'auth.data.endpoint: expected an absolute http(s) URL, got a string',
      'auth.data.token: unknown option (expected one of username, password, endpoint)',
    ]);
    expect(problemsOf({ ...BOB, auth: { type: 'bitly-proxy', data: { endpoint: 'ftp://host/oauth2/start' } } })).toEqual([
      'auth.data.endpoint: expected an absolute http(s) URL, got a string',
    ]);
  });

  it('parses the bitly-proxy endpoint once, and leaves it out of a metadata-only service', () => {
    const endpoint = 'https://proxy.example.org/oauth2/start';
    expect(resolve({ auth: { type: 'bitly-proxy', data: { endpoint } } }).auth.proxyStartUrl?.href).toBe(endpoint);
    expect(resolve({ auth: { type: 'bitly-proxy', data: {} } }).auth.proxyStartUrl).toBeUndefined();
  });

  it('reports every problem of one options object at once, in one message', () => {
    const raw = { name: '', version: 1, repository: 'r', description: '', auth: 'bob', route: [1, 'a', null] };
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(5);
    const message = new ApiKitOptionsError(problems).message;
    expect(message.split('\n')).toEqual(['ApiKitModule options are invalid:', ...problems.map((p) => ` - ${p}`)]);
    expect(message).toContain('route: expected an array of strings, got an array whose [0] is number, [2] is null');
  });

  it('never echoes a credential value, even when auth.data is malformed or auth itself is a secret string', () => {
    const secret = 'hunter2-canary';
    const messages = [
      problemsOf({ ...BOB, auth: secret }),
      problemsOf({ ...BOB, auth: { type: 'basic', data: secret } }),
      problemsOf({ ...BOB, auth: { type: secret, data: { password: secret } } }),
      problemsOf({ ...BOB, name: '', auth: { type: 'basic', data: { password: secret } } }),
    ].flat();
    expect(messages.join('\n')).not.toContain(secret);
  });

  it('ignores a __proto__ key instead of re-parenting the schema', () => {
    const raw = JSON.parse('{"name":"bob","version":"2.0","repository":"r","description":"d","__proto__":{"name":5}}') as ApiKitModuleOptions;
    expect(problemsOf(raw)).toEqual([expect.stringMatching(/^__proto__: unknown option/)]);
  });

  it('names keys that class-validator would take for declared ones (Object.prototype names), at any depth', () => {
    const raw = JSON.parse('{"name":"bob","version":"2.0","repository":"r","description":"d","constructor":1,"backend":{"__proto__":{}}}');
    expect(problemsOf(raw)).toEqual([
      expect.stringMatching(/^constructor: unknown option \(expected one of name, /),
      expect.stringMatching(/^backend\.__proto__: unknown option \(expected one of timeoutMs, /),
    ]);
  });
});

describe('resolveApiKitOptions: readiness and shutdownDelayMs', () => {
  it('leaves both off by default: no readiness route, no delay', () => {
    expect(resolve({})).toMatchObject({ readiness: undefined, shutdownDelayMs: 0 });
    expect(resolve({ readiness: false, shutdownDelayMs: 0 })).toMatchObject({ readiness: undefined, shutdownDelayMs: 0 });
  });

  it('takes a readiness path and a delay in whole milliseconds up to two minutes', () => {
    expect(resolve({ readiness: '/ready', shutdownDelayMs: 5000 })).toMatchObject({ readiness: '/ready', shutdownDelayMs: 5000 });
    expect(resolve({ readiness: '/api/v1/ready', shutdownDelayMs: 120_000 })).toMatchObject({ readiness: '/api/v1/ready', shutdownDelayMs: 120_000 });
  });

  it.each([
    [true, 'readiness: expected a string, got boolean'],
    [42, 'readiness: expected a string, got number'],
    [null, 'readiness: expected a string, got null'],
    ['ready', 'readiness: expected an absolute path such as "/ready", without query or fragment, got a string'],
    ['/ready?deep=1', 'readiness: expected an absolute path such as "/ready", without query or fragment, got a string'],
    ['/re ady', 'readiness: expected an absolute path such as "/ready", without query or fragment, got a string'],
    ['', 'readiness: expected an absolute path such as "/ready", without query or fragment, got an empty string'],
  ])('refuses readiness %j, naming the rule', (readiness, problem) => {
    expect(problemsOf({ ...BOB, readiness })).toEqual([problem]);
  });

  it.each([[-1], [1.5], [120_001], ['5000'], [null], [Number.NaN]])('refuses shutdownDelayMs %j', (shutdownDelayMs) => {
    expect(problemsOf({ ...BOB, shutdownDelayMs })).toEqual([expect.stringMatching(/^shutdownDelayMs: expected an integer from 0 to 120000, got /)]);
  });

  it('refuses a readiness path the liveness answer or the metrics route already has', () => {
    expect(problemsOf({ ...BOB, readiness: '/' })).toEqual(['readiness: expected a path other than "/", the liveness answer the ingress probes']);
    const taken = ["readiness: expected a path other than the metrics or OpenAPI routes'"];
    expect(problemsOf({ ...BOB, readiness: '/metrics', metrics: true })).toEqual(taken);
    expect(problemsOf({ ...BOB, readiness: '/m', metrics: { path: '/m' } })).toEqual(taken);
    expect(problemsOf({ ...BOB, readiness: '/openapi.json', openapi: true })).toEqual(taken);
    expect(problemsOf({ ...BOB, readiness: '/docs', openapi: { ui: '/docs' } })).toEqual(taken);
    expect(resolve({ readiness: '/metrics' }).readiness).toBe('/metrics'); // metrics off: the path is free
  });

  it('never echoes a bad readiness value', () => {
    const secret = '/hunter2-canary?token=x';
    expect(problemsOf({ ...BOB, readiness: secret }).join('\n')).not.toContain('hunter2');
  });
});
