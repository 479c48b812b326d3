import { appendQueryParams } from '../http-request/query-params.appender.js';
import { buildBackendRequest } from './backend-request.builder.js';
import { cookieScopeOf, hopTarget, PreparedHop } from './http/hop-target.js';

/** What the builder made before it remembered checked URLs: parse, then append through the URL. */
function parsedThenAppended(url: string, params?: Parameters<typeof appendQueryParams>[1]): string {
  const target = new URL(url);
  if (params !== undefined) appendQueryParams(target, params);
  return target.href;
}

describe('buildBackendRequest', () => {
  it.each([
    ['http://127.0.0.1:9/api', { metric: 'time', job: 'a b' }],
    ['http://127.0.0.1:9/api', undefined],
    ['HTTPS://Example.TEST/a/../api?', { q: 'é' }],
    ['http://127.0.0.1:9/api?fixed=1', { n: [1, 2] }],
    ['http://127.0.0.1:9/api#part', { n: 1 }],
    ['http://user:secret@127.0.0.1:9/api', { n: 1 }],
    ['  http://127.0.0.1:9/trimmed  ', { n: null }],
  ])('makes the same URL as parsing and appending, first and again from memory: %s', (url, params) => {
    const expected = parsedThenAppended(url, params);
    for (let call = 0; call < 2; call++) {
      const hop = buildBackendRequest('get', url, params === undefined ? {} : { params }, 'rid-1');
      expect(hop.url.href).toBe(expected);
      expect(hop.method).toBe('GET');
      expect(hop.headers).toEqual({ 'x-request-id': 'rid-1' });
    }
  });

  it.each([
    'http://127.0.0.1:9/api',
    'http://[::1]:8080/v1/api',
    'http://localhost:80/default-port',
    'https://example.test:443/x',
    'HTTPS://Exämple.TEST/a/./b/../c',
    'http://127.0.0.1:9/with space/%7Ealready',
    'http://127.0.0.1:9/bare-question?',
    'http://127.0.0.1:9/with#fragment',
    'http://127.0.0.1:9',
  ])('sends a remembered URL where its parsed form would go, without parsing it: %s', (url) => {
    const paramSets = [undefined, { metric: 'time', job: 'a b' }, { q: 'é&=#?', n: [1, 2] }, { empty: null }];
    for (const params of paramSets) {
      const expected = new URL(parsedThenAppended(url, params));
      buildBackendRequest('GET', url, {}, 'r'); // remembered from here on
      const hop = buildBackendRequest('GET', url, params === undefined ? {} : { params }, 'r');
      expect(hop).toBeInstanceOf(PreparedHop);
      const { origin, path, href } = hopTarget(hop);
      expect({ origin, path, href }).toEqual({ origin: expected.origin, path: `${expected.pathname}${expected.search}`, href: expected.href });
      expect(cookieScopeOf(hop as PreparedHop)).toBe(cookieScopeOf(expected)); // a pooled session's Cookie header is cached under it
      expect(hop.url.href).toBe(expected.href); // parsed on demand, for a jar or a redirect
    }
  });

  it('gives every call a URL of its own', () => {
    const first = buildBackendRequest('GET', 'http://127.0.0.1:9/own', {}, 'r');
    first.url.searchParams.set('mutated', '1');
    expect(buildBackendRequest('GET', 'http://127.0.0.1:9/own', {}, 'r').url.href).toBe('http://127.0.0.1:9/own');
  });

  it('takes a URL object as it is', () => {
    const url = new URL('http://127.0.0.1:9/obj?x=1');
    expect(buildBackendRequest('GET', url, { params: { y: 2 } }, 'r').url.href).toBe('http://127.0.0.1:9/obj?x=1&y=2');
    expect(url.href).toBe('http://127.0.0.1:9/obj?x=1');
  });

  it.each(['/relative/api', 'ftp://127.0.0.1/api', 'not a url'])('refuses %s, every time', (url) => {
    for (let call = 0; call < 2; call++) {
      expect(() => buildBackendRequest('GET', url, { params: { a: 1 } }, 'r')).toThrow(/absolute http\(s\) URL/);
    }
  });

  it('lower-cases header names and encodes the body with its content type', () => {
    const hop = buildBackendRequest('post', 'http://127.0.0.1:9/jobs', { headers: { 'X-Custom': 'v' }, body: { n: 1 } }, 'r');
    expect(hop.headers).toEqual({ 'x-custom': 'v', 'x-request-id': 'r', 'content-type': 'application/json' });
    expect(hop.body?.toString()).toBe('{"n":1}');
  });
});
