// The cookie jars over generated Set-Cookie sequences (issue 26). After a login, whatever the backend
// behind the proxy sets (any names, values, attributes, sizes, deleting the session with any status), the
// session jar holds its bounds and the proxy's session; GitHub's cookies and the proxy's never cross,
// even on one host (cookies do not scope by port).
import fc from 'fast-check';
import { LoginCookieJar } from '../../lib/backend-auth/login/login-cookie.jar.js';
import { ProxySessionJar } from '../../lib/backend-auth/login/proxy-session.jar.js';
import { anyText, PROPERTY_RUNS } from './property-runs.js';

const PROXY = new URL('http://127.0.0.1:4180/oauth2/start');
const CALLBACK = new URL('http://127.0.0.1:4180/oauth2/callback?code=c&state=s');
const GITHUB = new URL('http://127.0.0.1:5000/session');
const LIMITS = { maxPerSession: 8, maxHeaderBytes: 1024 };
const SESSION = '_oauth2_proxy=the-session; Path=/; Max-Age=3600; HttpOnly';

const cookieName = fc.oneof(
  fc.constantFrom('_oauth2_proxy', '_oauth2_proxy_0', '_oauth2_proxy_1', '_oauth2_proxy_csrf', 'user_session', '_gh_sess', '_device_id', 'a', 'A', ''),
  fc.stringMatching(/^[A-Za-z0-9_!#$%&'*+.^`|~-]{1,12}$/),
);
const attribute = fc.oneof(
  fc.constantFrom('Path=/', 'Path=/api', 'Path=/oauth2', 'Max-Age=0', 'Max-Age=-1', 'Max-Age=60', 'Max-Age=99999999999', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    'Expires=Fri, 31 Dec 9999 23:59:59 GMT', 'Domain=127.0.0.1', 'Domain=example.org', 'Domain=.0.0.1', 'Secure', 'HttpOnly', 'SameSite=None', 'Partitioned'),
  anyText(20),
);
const setCookie = fc
  .tuple(cookieName, fc.oneof(fc.string({ maxLength: 40 }), fc.string({ minLength: 300, maxLength: 600 }), anyText(20)), fc.array(attribute, { maxLength: 4 }))
  .map(([name, value, attributes]) => [`${name}=${value}`, ...attributes].join('; '));
/** One answer from the proxy's origin (the proxy, or the backend behind it): its path and cookies. */
const answer = fc.record({
  path: fc.constantFrom('/api', '/api/x', '/oauth2/callback', '/', '/other'),
  cookies: fc.array(setCookie, { maxLength: 6 }),
});

describe('cookie jars, over generated Set-Cookie sequences', () => {
  it("keeps its bounds and the proxy's session through anything an answer from behind the proxy sets, deletions of the session included", () => {
    fc.assert(
      fc.property(fc.array(answer, { maxLength: 12 }), (answers) => {
        const jar = new ProxySessionJar(PROXY, LIMITS);
        jar.store([SESSION], CALLBACK);
        // A deletion is reported, not applied: whether the answer was the proxy's refusal is the strategy's to weigh.
        for (const { path, cookies } of answers) jar.store(cookies, new URL(path, PROXY));
        expect(jar.hasLiveSession()).toBe(true);
        const stored = jar.snapshot().cookies;
        expect(stored.length <= LIMITS.maxPerSession || stored.every(({ cookie }) => /^_oauth2_proxy(?:_\d+)?$/.test((cookie as { key: string }).key))).toBe(true);
        for (const path of ['/api', '/api/x', '/']) {
          const header = jar.cookieHeader(new URL(path, PROXY));
          expect(header).toMatch(/(?:^|; )_oauth2_proxy=/);
          expect(header.length).toBeLessThanOrEqual(LIMITS.maxHeaderBytes + SESSION.length);
        }
      }),
      PROPERTY_RUNS,
    );
  });

  it("never sends GitHub's cookies to the proxy nor the proxy's to GitHub, on one host", () => {
    const marked = (origin: 'gh' | 'px') => setCookie.map((header) => header.replace(/^([^=]*)=/, `$1=${origin}mark`));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), marked('gh'), marked('px')), { maxLength: 12 }), (steps) => {
        const session = new ProxySessionJar(PROXY, LIMITS);
        const jar = new LoginCookieJar(session, GITHUB.origin);
        for (const [fromGitHub, github, proxy] of steps) {
          if (fromGitHub) jar.store([github], GITHUB);
          else jar.store([proxy], CALLBACK);
        }
        for (const path of ['/', '/session', '/api', '/oauth2/callback']) {
          expect(jar.cookieHeader(new URL(path, GITHUB))).not.toContain('pxmark');
          expect(jar.cookieHeader(new URL(path, PROXY))).not.toContain('ghmark');
        }
      }),
      PROPERTY_RUNS,
    );
  });
});
