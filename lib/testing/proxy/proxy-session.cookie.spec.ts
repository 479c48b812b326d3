import { clearCookies, issueSessionCookie, readSessionCookie } from './proxy-session.cookie.js';

/** What a browser would send back for the given Set-Cookie headers. */
function sentBack(setCookies: string[]): Map<string, string> {
  return new Map(setCookies.map((header) => {
    const pair = header.split(';')[0];
    const eq = pair.indexOf('=');
    return [pair.slice(0, eq), pair.slice(eq + 1)] as [string, string];
  }));
}

describe('proxy session cookie', () => {
  const options = { lifetimeMs: 7_200_000, secure: true, split: false };

  it('issues one _oauth2_proxy cookie with the lifetime, HttpOnly and Secure', () => {
    const { value, setCookies } = issueSessionCookie(options);
    expect(setCookies).toHaveLength(1);
    expect(setCookies[0]).toMatch(new RegExp(`^_oauth2_proxy=${value}; Path=/; Expires=[^;]+ GMT; Max-Age=7200; HttpOnly; Secure$`));
    expect(readSessionCookie(sentBack(setCookies))).toEqual({ value, names: ['_oauth2_proxy'] });
  });

  it('splits a large session into parts under 4 KB that join back in order', () => {
    const { value, setCookies } = issueSessionCookie({ ...options, split: true });
    expect(setCookies.map((c) => c.split('=')[0])).toEqual(['_oauth2_proxy_0', '_oauth2_proxy_1']);
    for (const header of setCookies) expect(header.split(';')[0].length).toBeLessThan(4096);
    expect(value.length).toBeGreaterThan(4096);
    expect(readSessionCookie(sentBack(setCookies))).toEqual({ value, names: ['_oauth2_proxy_0', '_oauth2_proxy_1'] });
  });

  it('reads nothing without a session cookie, and a gap ends the parts', () => {
    expect(readSessionCookie(new Map([['other', 'x']]))).toEqual({ names: [] });
    expect(readSessionCookie(new Map([['_oauth2_proxy_1', 'b']]))).toEqual({ names: [] });
  });

  it('clears cookies with an expiry in the past', () => {
    expect(clearCookies(['_oauth2_proxy'], false)).toEqual([
      '_oauth2_proxy=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly',
    ]);
  });
});
