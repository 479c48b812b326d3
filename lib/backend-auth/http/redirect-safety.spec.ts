import type { HttpHop } from './backend-http.client.js';
import { hopTarget, PreparedHop } from './hop-target.js';
import { nextHop, unsafeRedirect } from './redirect-safety.js';

const post: HttpHop = {
  method: 'POST',
  url: new URL('https://github.example.org/session'),
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'r1', accept: 'text/html' },
  body: Buffer.from('login=alice&password=secret'),
};
const get = (url: string, headers: Record<string, string> = {}): HttpHop => ({ method: 'GET', url: new URL(url), headers });

describe('unsafeRedirect', () => {
  it('refuses https to plain http, whatever the method or origin', () => {
    expect(unsafeRedirect(get('https://proxy.example.org/oauth2/start'), 302, new URL('http://proxy.example.org/login'))).toBe(
      'a redirect from https to plain http',
    );
  });

  it.each([307, 308])('refuses a %i that would replay the body (the password) to another origin', (status) => {
    expect(unsafeRedirect(post, status, new URL('https://thief.example.net/steal'))).toBe('a redirect that would send the request body to another origin');
    expect(unsafeRedirect(post, status, new URL('https://github.example.org/session/again'))).toBeUndefined();
  });

  it('lets a POST answered 302/303 go on to another origin, as a GET without the body', () => {
    for (const status of [302, 303]) {
      expect(unsafeRedirect(post, status, new URL('https://proxy.example.org/oauth2/callback'))).toBeUndefined();
      const hop = nextHop(post, status, new URL('https://proxy.example.org/oauth2/callback'));
      expect([hop.method, hop.body, hop.headers['content-type']]).toEqual(['GET', undefined, undefined]);
    }
  });

  it('refuses a scheme other than http(s)', () => {
    expect(unsafeRedirect(get('http://proxy.example.org/'), 302, new URL('file:///etc/passwd'))).toBe('a redirect to a file: URL');
  });
});

describe('nextHop', () => {
  it("keeps only the library's own headers on a hop to another origin", () => {
    const hop = get('https://backend.example.org/api', {
      accept: 'text/html',
      'x-request-id': 'r1',
      authorization: 'Basic c2VjcmV0',
      'proxy-authorization': 'Basic c2VjcmV0',
      'x-api-key': 'secret',
      cookie: 'a=b',
    });
    expect(nextHop(hop, 302, new URL('https://elsewhere.example.org/')).headers).toEqual({ accept: 'text/html', 'x-request-id': 'r1' });
    expect(nextHop(hop, 302, new URL('https://backend.example.org/other')).headers).toEqual(hop.headers);
  });
});

describe('nextHop from a prepared first hop', () => {
  it.each([301, 302, 303, 307, 308])('sends the %i hop where the redirect points, not where the first hop went', (status) => {
    const first = new PreparedHop('GET', 'http://127.0.0.1:9', '/api?q=1', 'http://127.0.0.1:9/api?q=1', { accept: 'text/plain' }, Buffer.from('b'));
    const next = nextHop(first, status, new URL('http://127.0.0.1:10/moved?x=2'));
    expect(next).not.toBeInstanceOf(PreparedHop);
    const { origin, path, href } = hopTarget(next);
    expect({ origin, path, href }).toEqual({ origin: 'http://127.0.0.1:10', path: '/moved?x=2', href: 'http://127.0.0.1:10/moved?x=2' });
  });
});
