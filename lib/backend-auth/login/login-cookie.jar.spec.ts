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

  it("keeps GitHub's device cookie for the next login, not its web session", () => {
    const first = new LoginCookieJar(new ProxySessionJar(proxy), github.origin);
    first.store(['user_session=u; Path=/; Max-Age=1209600', '_device_id=d; Path=/; Max-Age=31536000; Secure; HttpOnly', 'logged_in=yes; Path=/'], github);
    const next = new LoginCookieJar(new ProxySessionJar(proxy), github.origin, first.deviceCookies());
    expect(next.cookieHeader(github)).toBe('_device_id=d');
  });
});
