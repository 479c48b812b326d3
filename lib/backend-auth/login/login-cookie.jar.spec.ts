import { CookieJar } from 'tough-cookie';
import { LoginCookieJar } from './login-cookie.jar.js';
import { ProxySessionJar } from './proxy-session.jar.js';

const proxy = new URL('http://127.0.0.1:4180/oauth2/start');
const github = new URL('http://127.0.0.1:5000/session');

describe('LoginCookieJar', () => {
  it("sends GitHub's cookies to GitHub only and the proxy's to the proxy only, on one host", () => {
    const jar = new LoginCookieJar(new ProxySessionJar(proxy), github.origin);
    jar.store(['user_session=u; Path=/', '_device_id=d; Path=/'], github);
    jar.store(['_oauth2_proxy_csrf=c; Path=/'], proxy);
    expect(jar.cookieHeader(github)).toBe('user_session=u; _device_id=d');
    expect(jar.cookieHeader(proxy)).toBe('_oauth2_proxy_csrf=c');
  });

  it("keeps for the next login GitHub's device cookie alone, or with its web session when sessions are kept", () => {
    const first = new LoginCookieJar(new ProxySessionJar(proxy), github.origin);
    first.store(['user_session=u; Path=/; Max-Age=1209600', '_device_id=d; Path=/; Max-Age=31536000; Secure; HttpOnly', 'logged_in=yes; Path=/', 'tz=UTC; Path=/'], github);
    expect(new LoginCookieJar(new ProxySessionJar(proxy), github.origin, first.keptCookies(false)).cookieHeader(github)).toBe('_device_id=d');
    expect(new LoginCookieJar(new ProxySessionJar(proxy), github.origin, first.keptCookies(true)).cookieHeader(github)).toBe('user_session=u; _device_id=d; logged_in=yes');
  });

  it('works on a copy of the kept jar: a login writes nothing into it', () => {
    const kept = new CookieJar(undefined, { allowSecureOnLocal: true });
    for (const cookie of ['_device_id=d; Path=/; Max-Age=31536000', 'user_session=kept; Path=/; Max-Age=1209600', 'tz=UTC; Path=/']) kept.setCookieSync(cookie, github);
    const login = new LoginCookieJar(new ProxySessionJar(proxy), github.origin, kept);
    expect(login.cookieHeader(github)).toBe('_device_id=d; user_session=kept');
    login.store(['user_session=u; Path=/; Max-Age=1209600', '_device_id=renewed; Path=/; Max-Age=31536000'], github);
    expect(kept.getCookieStringSync(github.href)).toBe('_device_id=d; user_session=kept; tz=UTC');
  });

  it('restores a half-done login from its snapshot with all its GitHub cookies (the sign-in its code page waits on)', () => {
    const waiting = new LoginCookieJar(new ProxySessionJar(proxy), github.origin);
    waiting.store(['_gh_sess=s; Path=/', '_device_id=d; Path=/'], github);
    waiting.store(['_oauth2_proxy_csrf=c; Path=/'], proxy);
    const options = { cookies: { maxPerSession: 32, maxHeaderBytes: 8192 }, proxyCookieName: '_oauth2_proxy', githubUrl: new URL(github.origin) };
    const restored = LoginCookieJar.fromSnapshot(proxy, options, JSON.parse(JSON.stringify(waiting.snapshot())));
    expect([restored.cookieHeader(github), restored.cookieHeader(proxy)]).toEqual(['_gh_sess=s; _device_id=d', '_oauth2_proxy_csrf=c']);
  });
});
