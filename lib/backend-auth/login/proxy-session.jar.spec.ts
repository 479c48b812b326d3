import { jest } from '@jest/globals';
import { PreparedHop } from '../http/hop-target.js';
import { ProxySessionJar } from './proxy-session.jar.js';

const proxy = new URL('http://127.0.0.1:4180/oauth2/start');
const api = new URL('http://127.0.0.1:4180/api?metric=time');
const github = new URL('http://127.0.0.2:5000/session');
const callback = new URL('http://127.0.0.1:4180/oauth2/callback?code=c&state=s');
const T0 = Date.UTC(2026, 0, 1);

describe('ProxySessionJar', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  it('has a live session only once the proxy session cookie of the proxy host arrived', () => {
    const jar = new ProxySessionJar(proxy);
    expect(jar.hasLiveSession()).toBe(false);
    jar.store(['_oauth2_proxy=s1; Path=/; Max-Age=3600; HttpOnly'], github);
    expect(jar.hasLiveSession()).toBe(false);
    jar.store(['_oauth2_proxy_csrf=c; Path=/; Max-Age=900'], proxy);
    expect(jar.hasLiveSession()).toBe(false);
    // Where the proxy does not issue sessions (its start, a backend route ending in /callback), none is taken.
    jar.store(['_oauth2_proxy=s0; Path=/; Max-Age=3600; HttpOnly'], proxy);
    jar.store(['_oauth2_proxy=s0; Path=/; Max-Age=3600; HttpOnly'], new URL('http://127.0.0.1:4180/api/callback'));
    expect(jar.hasLiveSession()).toBe(false);
    jar.store(['_oauth2_proxy=s1; Path=/; Max-Age=3600; HttpOnly'], callback);
    expect(jar.hasLiveSession()).toBe(true);
  });

  it("recognises a split session cookie from the proxy's callback", () => {
    const jar = new ProxySessionJar(proxy);
    jar.store(['_oauth2_proxy_0=a; Path=/; Max-Age=60', '_oauth2_proxy_1=b; Path=/; Max-Age=60'], callback);
    expect(jar.hasLiveSession()).toBe(true);
    expect(jar.cookieHeader(api)).toBe('_oauth2_proxy_0=a; _oauth2_proxy_1=b');
  });

  it("takes session parts from the login's callback answer only: a backend's cannot overwrite or pad the session", () => {
    const jar = new ProxySessionJar(proxy);
    jar.store(['_oauth2_proxy_0=early; Path=/; Max-Age=60'], proxy);
    expect(jar.hasLiveSession()).toBe(false);
    jar.store(['_oauth2_proxy_0=a; Path=/; Max-Age=60', '_oauth2_proxy_1=b; Path=/; Max-Age=60'], callback);
    const parts = Array.from({ length: 40 }, (_, n) => `_oauth2_proxy_${n + 1}=${'p'.repeat(200)}; Path=/; Max-Age=86400`);
    jar.store(parts, api);
    jar.store(['_oauth2_proxy_0=x; Path=/; Max-Age=86400', '_oauth2_proxy_2=y; Path=/'], new URL('http://127.0.0.1:4180/api/callback'));
    expect(jar.cookieHeader(api)).toBe('_oauth2_proxy_0=a; _oauth2_proxy_1=b');
    jest.setSystemTime(T0 + 60_000);
    expect(jar.hasLiveSession()).toBe(false);
  });

  it('takes the parts contiguous from _0 only', () => {
    const gap = new ProxySessionJar(proxy);
    gap.store(['_oauth2_proxy_0=a; Path=/', '_oauth2_proxy_1=b; Path=/', '_oauth2_proxy_3=d; Path=/', '_oauth2_proxy_01=e; Path=/'], callback);
    expect(gap.cookieHeader(api)).toBe('_oauth2_proxy_0=a; _oauth2_proxy_1=b');
    const noFirst = new ProxySessionJar(proxy);
    noFirst.store(['_oauth2_proxy_1=b; Path=/', '_oauth2_proxy_2=c; Path=/', 'other=1; Path=/'], callback);
    expect([noFirst.hasLiveSession(), noFirst.cookieHeader(api)]).toEqual([false, 'other=1']);
  });

  it("reports an answer deleting the session or a part of it, and keeps the session: the answer may be the backend's", () => {
    const jar = new ProxySessionJar(proxy);
    expect(jar.store(['_oauth2_proxy_0=a; Path=/; Max-Age=60', '_oauth2_proxy_1=b; Path=/; Max-Age=60'], callback)).toBe(false);
    expect(jar.store(['_oauth2_proxy_0=; Path=/; Max-Age=0', '_oauth2_proxy_1=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], api)).toBe(true);
    expect(jar.store(['_oauth2_proxy_1=; Path=/; Max-Age=0'], api)).toBe(true);
    expect(jar.store(['other=; Path=/; Max-Age=0'], api)).toBe(false);
    expect([jar.hasLiveSession(), jar.cookieHeader(api)]).toEqual([true, '_oauth2_proxy_0=a; _oauth2_proxy_1=b']);
  });

  it("counts the session's parts toward the caps, dropping other cookies, never a part", () => {
    const jar = new ProxySessionJar(proxy, { maxPerSession: 4, maxHeaderBytes: 120 });
    jar.store([`_oauth2_proxy_0=${'a'.repeat(30)}; Path=/`, `_oauth2_proxy_1=${'b'.repeat(30)}; Path=/`], callback);
    for (let n = 1; n <= 6; n++) jar.store([`c${n}=${n}; Path=/`], api);
    expect(jar.cookieHeader(api)).toBe(`_oauth2_proxy_0=${'a'.repeat(30)}; _oauth2_proxy_1=${'b'.repeat(30)}; c5=5; c6=6`);
    jar.store([`big=${'x'.repeat(40)}; Path=/`], api);
    expect(jar.cookieHeader(api)).toBe(`_oauth2_proxy_0=${'a'.repeat(30)}; _oauth2_proxy_1=${'b'.repeat(30)}`);
    expect(jar.hasLiveSession()).toBe(true);
  });

  it('counts Max-Age from receipt: a session cookie used all the time still expires', () => {
    const jar = new ProxySessionJar(proxy);
    jar.store(['_oauth2_proxy=s1; Path=/; Max-Age=10'], callback);
    for (let second = 0; second < 9; second++) {
      jest.setSystemTime(T0 + second * 1000);
      expect(jar.hasLiveSession()).toBe(true);
      expect(jar.cookieHeader(api)).toBe('_oauth2_proxy=s1');
    }
    jest.setSystemTime(T0 + 10_000);
    expect(jar.hasLiveSession()).toBe(false);
    expect(jar.cookieHeader(api)).toBe('');
  });

  it('stops offering a session for calls in its last tenth, at most its last second: the proxy would see it ended', () => {
    const jar = new ProxySessionJar(proxy);
    jar.store(['_oauth2_proxy=s1; Path=/; Max-Age=3600'], callback);
    jest.setSystemTime(T0 + 3_598_999);
    expect([jar.hasLiveSession(), jar.hasUsableSession()]).toEqual([true, true]);
    jest.setSystemTime(T0 + 3_599_001);
    expect([jar.hasLiveSession(), jar.hasUsableSession()]).toEqual([true, false]);
    const short = new ProxySessionJar(proxy);
    short.store(['_oauth2_proxy=s2; Path=/; Max-Age=2'], callback);
    jest.setSystemTime(T0 + 3_599_001 + 1_799);
    expect(short.hasUsableSession()).toBe(true);
    jest.setSystemTime(T0 + 3_599_001 + 1_801);
    expect([short.hasLiveSession(), short.hasUsableSession()]).toEqual([true, false]);
  });

  it('honours Expires when there is no Max-Age, and session cookies without either live on', () => {
    const jar = new ProxySessionJar(proxy);
    jar.store([`_oauth2_proxy=s1; Path=/; Expires=${new Date(T0 + 5000).toUTCString()}`, 'theme=dark; Path=/'], callback);
    expect(jar.cookieHeader(api)).toBe('_oauth2_proxy=s1; theme=dark');
    jest.setSystemTime(T0 + 5000);
    expect(jar.hasLiveSession()).toBe(false);
    expect(jar.cookieHeader(api)).toBe('theme=dark');
  });

  it('answers a Set-Cookie at once: a changed value is sent, a cleared cookie is reported and the session kept', () => {
    const jar = new ProxySessionJar(proxy);
    jar.store(['_oauth2_proxy=s1; Path=/; Max-Age=3600', 'theme=light; Path=/'], callback);
    expect(jar.cookieHeader(api)).toBe('_oauth2_proxy=s1; theme=light');
    jest.setSystemTime(T0 + 1000);
    expect(jar.store(['theme=dark; Path=/'], api)).toBe(false);
    expect(jar.cookieHeader(api)).toBe('_oauth2_proxy=s1; theme=dark');
    expect(jar.store(['_oauth2_proxy=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0', 'theme=; Path=/; Max-Age=0'], api)).toBe(true);
    expect(jar.hasLiveSession()).toBe(true);
    expect(jar.cookieHeader(api)).toBe('_oauth2_proxy=s1');
  });

  it('applies the domain, path and secure rules per URL (Secure relaxed on loopback only)', () => {
    const site = (path: string, scheme = 'https') => new URL(`${scheme}://proxy.example.org${path}`);
    const jar = new ProxySessionJar(site('/oauth2/start'));
    jar.store(['scoped=1; Path=/api', 'secure=1; Path=/; Secure', 'foreign=1; Domain=example.com'], site('/api/x'));
    expect(jar.cookieHeader(site('/api/y'))).toBe('scoped=1; secure=1');
    expect(jar.cookieHeader(site('/other'))).toBe('secure=1');
    expect(jar.cookieHeader(site('/api/y', 'http'))).toBe('scoped=1');
    expect(jar.cookieHeader(new URL('https://example.com/'))).toBe('');
    const local = new ProxySessionJar(proxy);
    local.store(['local=1; Path=/; Secure'], new URL('http://127.0.0.1:4180/'));
    expect(local.cookieHeader(api)).toBe('local=1');
  });

  it("answers a prepared hop to an origin and path it was asked about from its cache, without parsing the hop's URL", () => {
    const jar = new ProxySessionJar(proxy);
    jar.store(['_oauth2_proxy=s1; Path=/; Max-Age=60', 'scoped=1; Path=/api'], callback);
    const prepared = (path: string, href: string) => new PreparedHop('GET', 'http://127.0.0.1:4180', path, href, {});
    // The first ask of a scope parses the URL; the href here cannot be parsed, so a hit proves none happened.
    expect(jar.cookieHeader(prepared('/api?metric=time&job=1', api.href))).toBe('scoped=1; _oauth2_proxy=s1');
    expect(jar.cookieHeader(prepared('/api?metric=other', 'unparsable'))).toBe('scoped=1; _oauth2_proxy=s1');
    expect(() => jar.cookieHeader(prepared('/other', 'unparsable'))).toThrow('Invalid URL'); // a scope not asked before is looked up by its URL
    jar.store(['scoped=2; Path=/api'], api); // a stored cookie empties the cache
    expect(jar.cookieHeader(prepared('/api', api.href))).toBe('scoped=2; _oauth2_proxy=s1');
  });

  it("keeps only the cookies the proxy's origin set: on one host, another port's would ride along", () => {
    const jar = new ProxySessionJar(proxy);
    jar.store(['user_session=gh; Path=/'], new URL('http://127.0.0.1:5000/session'));
    jar.store(['_oauth2_proxy=s1; Path=/; Max-Age=60'], callback);
    expect(jar.cookieHeader(api)).toBe('_oauth2_proxy=s1');
  });

  it('drops the oldest cookies past the count or header bound, never the proxy session', () => {
    const jar = new ProxySessionJar(proxy, { maxPerSession: 4, maxHeaderBytes: 180 });
    jar.store(['_oauth2_proxy=s1; Path=/; Max-Age=60'], callback);
    for (let n = 1; n <= 6; n++) jar.store([`c${n}=${n}; Path=/`], api);
    expect(jar.cookieHeader(api)).toBe('_oauth2_proxy=s1; c4=4; c5=5; c6=6');
    jar.store([`big=${'x'.repeat(150)}; Path=/`], api);
    expect(jar.cookieHeader(api)).toBe(`_oauth2_proxy=s1; c6=6; big=${'x'.repeat(150)}`);
    expect(jar.hasLiveSession()).toBe(true);
  });

  it('notes a Secure cookie the proxy sets over plain http to a host that is not loopback (no browser keeps it)', () => {
    const remote = new URL('http://proxy.example.org/oauth2/start');
    const jar = new ProxySessionJar(remote);
    jar.store(['_oauth2_proxy_csrf=n; Path=/; HttpOnly; Secure'], remote);
    expect([jar.droppedSecureCookies, jar.cookieHeader(remote)]).toEqual([true, '']);
    const local = new ProxySessionJar(proxy);
    local.store(['_oauth2_proxy_csrf=n; Path=/; HttpOnly; Secure'], proxy);
    expect([local.droppedSecureCookies, local.cookieHeader(proxy)]).toEqual([false, '_oauth2_proxy_csrf=n']);
  });

  it("recognises the session by the proxy's --cookie-name, split too", () => {
    const jar = new ProxySessionJar(proxy, undefined, 'lsst_auth');
    jar.store(['_oauth2_proxy=old; Path=/; Max-Age=60'], proxy);
    expect(jar.hasLiveSession()).toBe(false);
    jar.store(['lsst_auth_0=a; Path=/; Max-Age=60', 'lsst_auth_1=b; Path=/; Max-Age=60'], callback);
    expect(jar.hasLiveSession()).toBe(true);
  });

  // A backend's answer (the proxy passes its Set-Cookie on) that shortened the session made the pool log in again once it
  // ended, outside the re-login bounds; one that shadowed it (a narrower path, read first) made the proxy refuse it; one
  // that "renewed" it with another value (another caller's: a backend sees them all) served the caller as someone else,
  // at a backend route, and at <prefix>auth where a front routes that to the backend (review of 1cf4bf1).
  it("takes the session cookie from the login's callback only: no answer after it ends, shortens, shadows, renews or replaces it", () => {
    const site = (path: string) => new URL(`https://proxy.example.org${path}`);
    const jar = new ProxySessionJar(site('/oauth2/start'));
    jar.store(['_oauth2_proxy=s1; Path=/; Max-Age=3600; Secure'], site('/oauth2/callback'));
    const ignored = [
      '_oauth2_proxy=short; Path=/; Max-Age=1',
      `_oauth2_proxy=short; Path=/; Expires=${new Date(T0 + 60_000).toUTCString()}`,
      '_oauth2_proxy=shadow; Path=/api; Max-Age=86400',
      '_oauth2_proxy=shadow; Domain=proxy.example.org; Path=/; Max-Age=86400',
      '_oauth2_proxy=shadow; Domain=example.org; Path=/; Max-Age=86400',
      '_oauth2_proxy_0=part; Path=/; Max-Age=86400',
    ];
    for (const header of ignored) {
      for (const at of ['/api/x', '/oauth2/auth']) expect([header, at, jar.store([header], site(at))]).toEqual([header, at, true]);
    }
    // A renewal in every other respect, wherever it comes from: another caller's value, or ours for longer.
    jest.setSystemTime(T0 + 60_000);
    for (const value of ['someone-elses', 's1']) {
      for (const at of ['/api/x', '/oauth2/callback', '/oauth2/sign_in', '/oauth2/auth', '/oauth2/userinfo', '/oauth2/auth/x']) {
        expect([value, at, jar.store([`_oauth2_proxy=${value}; Path=/; Max-Age=86400; Secure`], site(at))]).toEqual([value, at, true]);
      }
    }
    expect([jar.cookieHeader(site('/api/x')), jar.sessionExpiry]).toEqual(['_oauth2_proxy=s1', T0 + 3_600_000]);
  });

  // Review of 1cf4bf1: cookies a backend scoped to <prefix>auth rode on the probe alone, up to cookies.maxHeaderBytes, and
  // a front refusing that one request (nginx: a Cookie line over 8 KiB, 400) read as the proxy's refusal: a re-login.
  it("gives the proxy's own endpoints the session's cookies alone, and takes nothing from their answers", () => {
    const site = (path: string) => new URL(`https://proxy.example.org${path}`);
    const jar = new ProxySessionJar(site('/oauth2/start'));
    jar.store(['_oauth2_proxy_0=a; Path=/; Max-Age=3600; Secure', '_oauth2_proxy_1=b; Path=/; Max-Age=3600; Secure'], site('/oauth2/callback'));
    jar.store(['p0=' + 'x'.repeat(3997) + '; Path=/oauth2/auth; Max-Age=86400; Secure', 'theirs=1; Path=/; Max-Age=86400; Secure'], site('/api/x'));
    expect(jar.cookieHeader(site('/oauth2/auth')).length).toBeGreaterThan(4000);
    const probe = jar.sessionOnly();
    expect(probe.cookieHeader(site('/oauth2/auth'))).toBe('_oauth2_proxy_0=a; _oauth2_proxy_1=b');
    expect(probe.store(['_oauth2_proxy_0=other; Path=/; Max-Age=86400; Secure', 'more=1; Path=/'], site('/oauth2/auth'))).toBe(false);
    expect(jar.cookieHeader(site('/api/x'))).toBe('_oauth2_proxy_0=a; _oauth2_proxy_1=b; theirs=1');
    jest.setSystemTime(T0 + 3_600_000);
    expect(probe.cookieHeader(site('/oauth2/auth'))).toBe('');
  });

  // The default cap was 8 KiB of cookies: a jar filled to it sent an 8,198-byte line with `Cookie: ` and CRLF, over
  // ingress-nginx's 8 KiB (a 400 on every call).
  it("keeps a full jar's Cookie line within ingress-nginx's 8 KiB by default, name and CRLF included", () => {
    const line = (cookies: string[]) => {
      const jar = new ProxySessionJar(proxy);
      jar.store(['_oauth2_proxy=s1; Path=/; Max-Age=3600'], callback);
      jar.store(cookies.map((value, i) => `c${i}=${value}; Path=/`), api);
      return Buffer.byteLength(`Cookie: ${jar.cookieHeader(api)}\r\n`);
    };
    expect(line(['v'.repeat(4082), 'v'.repeat(4082)])).toBeLessThanOrEqual(8 * 1024);
    // Right at the cap, nothing dropped: the line is 8,190 bytes.
    expect(line(['v'.repeat(4082), 'v'.repeat(4072)])).toBe(8 * 1024 - 2);
  });

  // Review of b794aa8: a jar shared by a replica with a higher cap (the old default) was taken as it came: an 8,200-byte line.
  it('brings a jar restored from a snapshot within the limits it is restored with', () => {
    const site = (path: string) => new URL(`https://proxy.example.org${path}`);
    const shared = new ProxySessionJar(site('/oauth2/start'), { maxPerSession: 32, maxHeaderBytes: 8192 });
    shared.store(['_oauth2_proxy=s1; Path=/; Max-Age=3600; Secure'], site('/oauth2/callback'));
    shared.store([`pad=${'x'.repeat(8192 - 18 - 'pad='.length - 2)}; Path=/; Secure`], site('/api/x'));
    const restored = ProxySessionJar.fromSnapshot(site('/oauth2/start'), { maxPerSession: 32, maxHeaderBytes: 8182 }, '_oauth2_proxy', shared.snapshot());
    expect([shared.cookieHeader(site('/api/x')).length, restored.cookieHeader(site('/api/x'))]).toEqual([8190, '_oauth2_proxy=s1']);
  });

  it("drops every cookie but the session's when asked (a 431), and says whether there was any", () => {
    const jar = new ProxySessionJar(proxy);
    jar.store(['_oauth2_proxy=s1; Path=/; Max-Age=3600'], callback);
    expect(jar.dropBackendCookies()).toBe(false);
    jar.store(['a=1; Path=/; Max-Age=60', 'b=2; Path=/api; Max-Age=60'], api);
    expect(jar.cookieHeader(api)).toBe('b=2; _oauth2_proxy=s1; a=1');
    expect(jar.dropBackendCookies()).toBe(true);
    expect([jar.cookieHeader(api), jar.hasLiveSession()]).toEqual(['_oauth2_proxy=s1', true]);
  });
});
