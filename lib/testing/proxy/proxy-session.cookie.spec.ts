import { clearCookies, csrfCookieName, issueSessionCookie, readSessionCookie } from './proxy-session.cookie.js';

/** What a browser would send back for the given Set-Cookie headers. */
function sentBack(setCookies: string[]): Map<string, string> {
  return new Map(setCookies.map((header) => {
    const pair = header.split(';')[0];
    const eq = pair.indexOf('=');
    return [pair.slice(0, eq), pair.slice(eq + 1)] as [string, string];
  }));
}

describe('proxy session cookie', () => {
  const options = { name: '_oauth2_proxy', lifetimeMs: 7_200_000, secure: true, split: false };

  it('issues one _oauth2_proxy cookie with the lifetime, HttpOnly and Secure', () => {
    const { value, setCookies } = issueSessionCookie(options);
    expect(setCookies).toHaveLength(1);
    expect(setCookies[0]).toMatch(new RegExp(`^_oauth2_proxy=${value}; Path=/; Expires=[^;]+ GMT; Max-Age=7200; HttpOnly; Secure$`));
    expect(readSessionCookie(sentBack(setCookies), '_oauth2_proxy')).toEqual({ value, names: ['_oauth2_proxy'] });
  });

  it('splits a large session into parts under 4 KB that join back in order', () => {
    const { value, setCookies } = issueSessionCookie({ ...options, split: true });
    expect(setCookies.map((c) => c.split('=')[0])).toEqual(['_oauth2_proxy_0', '_oauth2_proxy_1']);
    for (const header of setCookies) expect(header.split(';')[0].length).toBeLessThan(4096);
    expect(value.length).toBeGreaterThan(4096);
    expect(readSessionCookie(sentBack(setCookies), '_oauth2_proxy')).toEqual({ value, names: ['_oauth2_proxy_0', '_oauth2_proxy_1'] });
  });

  it('reads nothing without a session cookie, and a gap ends the parts', () => {
    expect(readSessionCookie(new Map([['other', 'x']]), '_oauth2_proxy')).toEqual({ names: [] });
    expect(readSessionCookie(new Map([['_oauth2_proxy_1', 'b']]), '_oauth2_proxy')).toEqual({ names: [] });
  });

  it('clears cookies with an expiry in the past', () => {
    expect(clearCookies(['_oauth2_proxy'], false)).toEqual([
      '_oauth2_proxy=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly',
    ]);
  });

  it("names the session by --cookie-name, and the CSRF cookie <name>_csrf or, per request, <name>_<8 chars>_csrf", () => {
    const { setCookies } = issueSessionCookie({ ...options, name: '__Host-lsst', split: true });
    expect(setCookies[0]).toMatch(/^__Host-lsst_0=/);
    expect(csrfCookieName('_oauth2_proxy', false, 'nonce')).toBe('_oauth2_proxy_csrf');
    expect(csrfCookieName('_oauth2_proxy', true, 'nonce')).toMatch(/^_oauth2_proxy_[\w-]{8}_csrf$/);
    expect(csrfCookieName('_oauth2_proxy', true, 'other')).not.toBe(csrfCookieName('_oauth2_proxy', true, 'nonce'));
  });
});
