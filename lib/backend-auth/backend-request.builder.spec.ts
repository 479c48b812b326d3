import { Client, type Dispatcher } from 'undici';
import { BackendError } from '../errors/backend-error.js';
import { appendQueryParams } from '../http-request/query-params.appender.js';
import type { BackendBody } from './backend-call-options.interface.js';
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

/** The 400 `buildBackendRequest` throws for a call, or undefined when it builds the hop. */
function refusal(method: string, headers: Record<string, unknown>, body?: BackendBody): BackendError | undefined {
  try {
    buildBackendRequest(method, 'http://127.0.0.1:9/api', { headers: headers as Record<string, string>, body }, 'r');
    return undefined;
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    return error;
  }
}

/** Whether undici refuses the request as it is while dispatching it (a `Client`, not a pool: nothing to wedge). */
function undiciRefuses(method: string, headers: Record<string, unknown>): boolean {
  const client = new Client('http://127.0.0.1:9');
  let refused = false;
  const handler: Dispatcher.DispatchHandler = { onRequestStart: () => undefined, onResponseError: () => void (refused = true) };
  client.dispatch({ origin: 'http://127.0.0.1:9', path: '/api', method: method as 'GET', headers: headers as Record<string, string> }, handler);
  const sync = refused;
  void client.destroy().catch(() => undefined);
  return sync;
}

describe('buildBackendRequest, method and headers', () => {
  it.each([
    ['a value with a character beyond Latin-1', 'GET', { 'X-Tag': 'snow\u2603man' }, "Header 'x-tag' of the backend request has a character HTTP does not allow"],
    ['a value with CR LF', 'GET', { 'x-tag': 'a\r\nset-cookie: stolen' }, "Header 'x-tag' of the backend request has a character HTTP does not allow"],
    ['a value with NUL', 'GET', { 'x-tag': 'a\0b' }, "Header 'x-tag' of the backend request has a character HTTP does not allow"],
    ['a value with DEL', 'GET', { 'x-tag': 'a\x7fb' }, "Header 'x-tag' of the backend request has a character HTTP does not allow"],
    ['a value that is not a string', 'GET', { 'x-page': 2 }, "Header 'x-page' of the backend request must have a string value."],
    ['transfer-encoding', 'POST', { 'Transfer-Encoding': 'chunked' }, "Header 'transfer-encoding' of the backend request is not allowed: the HTTP client frames the body itself."],
    ['keep-alive', 'GET', { 'keep-alive': 'timeout=5' }, "Header 'keep-alive' of the backend request is not allowed: the HTTP client manages its connections."],
    ['upgrade', 'GET', { upgrade: 'websocket' }, "Header 'upgrade' of the backend request is not allowed: a backend call does not switch protocols."],
    ['expect', 'POST', { expect: '100-continue' }, "Header 'expect' of the backend request is not supported by the HTTP client."],
    ['connection, not a list of tokens', 'GET', { connection: 'close,,x' }, "Header 'connection' of the backend request must be a comma-separated list of tokens."],
    ['connection, empty', 'GET', { connection: '' }, "Header 'connection' of the backend request must be a comma-separated list of tokens."],
    ['content-length, not digits', 'POST', { 'content-length': ' 3' }, "Header 'content-length' of the backend request must be the body's length in bytes."],
    ['content-length, not the body\'s', 'POST', { 'content-length': '4' }, "Header 'content-length' of the backend request must be the body's length in bytes."],
    ['a name with a space', 'GET', { 'x secret': 'v' }, 'A header name of the backend request is not an HTTP token.'],
    ['a name with a colon', 'GET', { 'x:secret': 'v' }, 'A header name of the backend request is not an HTTP token.'],
    ['a name with CR LF', 'GET', { 'x\r\nsecret': 'v' }, 'A header name of the backend request is not an HTTP token.'],
    ['an empty name', 'GET', { '': 'v' }, 'A header name of the backend request is not an HTTP token.'],
    ['a method with a space', 'GET /secret', {}, 'The method of the backend request is not an HTTP token.'],
    ['a method with CR LF', 'GET\r\nsecret', {}, 'The method of the backend request is not an HTTP token.'],
    ['an empty method', '', {}, 'The method of the backend request is not an HTTP token.'],
    ['CONNECT', 'connect', {}, 'The method of the backend request cannot be CONNECT: a backend call does not open tunnels.'],
    ['a method that upper-cases into a common one (poſt: POST)', 'po\u017ft', {}, 'The method of the backend request is not an HTTP token.'],
    ["a Host of its own (the session's cookies would follow it)", 'GET', { host: 'secret.internal' }, "Header 'host' of the backend request is set from the backend URL"],
  ])('refuses %s with a 400 that names it, never its value', (_what, method, headers, content) => {
    const error = refusal(method, headers, method === 'POST' ? 'abc' : undefined);
    expect(error?.statusCode).toBe(400);
    expect(error?.reason).toBe('Bad Request');
    expect(error?.content).toContain(content);
    expect(error?.content).not.toMatch(/secret|snow|stolen|chunked|websocket|timeout=|100-continue|close|abc/);
  });

  it.each([
    ['Latin-1 and tabs in a value', 'GET', { 'x-name': 'Zo\u00e9\tM\u00fcller' }],
    ['an empty value', 'GET', { 'x-empty': '' }],
    ['a list of connection options', 'GET', { connection: 'close' }],
    ["the body's own content-length", 'POST', { 'content-length': '3' }],
    ['an unusual token method', 'propfind', {}],
  ])('sends %s as it is', (_what, method, headers) => {
    expect(refusal(method, headers, method === 'POST' ? 'abc' : undefined)).toBeUndefined();
  });

  it('leaves out a header whose value is undefined, as undici does', () => {
    const hop = buildBackendRequest('GET', 'http://127.0.0.1:9/api', { headers: { 'x-gone': undefined as unknown as string } }, 'r');
    expect(hop.headers).toEqual({ 'x-request-id': 'r' });
  });

  it('refuses content-length without a body unless it is 0 (undici would send 0 anyway)', () => {
    expect(refusal('POST', { 'content-length': '0' })).toBeUndefined();
    expect(refusal('POST', { 'content-length': '5' })?.statusCode).toBe(400);
  });

  it.each([
    ['GET', { 'x-tag': 'fine' }],
    ['G T', {}],
    ['CUSTOM', { 'x-tag': 'snow\u2603' }],
    ['GET', { 'x-tag': 'a\nb' }],
    ['GET', { 'x-tag': 'a\x7f' }],
    ['GET', { 'x-tag': 'caf\u00e9\t' }],
    ['GET', { 'x-tag': {} }],
    ['GET', { 'bad name': 'v' }],
    ['GET', { '': 'v' }],
    ['GET', { 'Transfer-Encoding': 'chunked' }],
    ['GET', { 'keep-alive': '' }],
    ['GET', { upgrade: 'h2c' }],
    ['GET', { expect: '100-continue' }],
    ['GET', { connection: 'close, x-hop' }],
    ['GET', { connection: 'a,,b' }],
    ['GET', { connection: '' }],
    ['GET', { 'content-length': '0' }],
    ['GET', { 'content-length': '+1' }],
  ])('refuses %s %j exactly when undici refuses it', (method, headers) => {
    expect(refusal(method, headers) !== undefined).toBe(undiciRefuses(method, headers));
  });
});
