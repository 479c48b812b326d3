// The proxy's refusals against oauth2-proxy v7.15's own pages (test/fixtures/proxy-pages, see its README).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackendResponse, markSessionCookieClaim } from '../http/backend-response.js';
import { ProxySessionJar } from '../login/proxy-session.jar.js';
import { ProxyRefusals } from './proxy-refusals.js';

const PROXY = 'https://api.example.org';
const page = (file: string): Buffer => readFileSync(join(import.meta.dirname, '../../../test/fixtures/proxy-pages', file));
const HTML = { 'content-type': 'text/html; charset=utf-8' };
const answer = (status: number, headers: Record<string, string>, body: Buffer | string, path = '/api'): BackendResponse =>
  new BackendResponse(status, headers, Buffer.from(body), `${PROXY}${path}`);

/** An answer whose Set-Cookie deleted the proxy's session cookie, as `BackendHttpClient` marks it. */
const deleting = (response: BackendResponse): BackendResponse => {
  markSessionCookieClaim(response);
  return response;
};

/** A jar holding a live proxy session, and one whose session's cookie has expired (the call left in its last moments). */
function jars(start = `${PROXY}/oauth2/start`): { live: ProxySessionJar; ended: ProxySessionJar } {
  const live = new ProxySessionJar(new URL(start));
  live.store(['_oauth2_proxy=session; Path=/; Max-Age=3600; HttpOnly; Secure'], new URL('callback', start));
  return { live, ended: new ProxySessionJar(new URL(start)) };
}

describe('ProxyRefusals', () => {
  const refusals = new ProxyRefusals(new URL(`${PROXY}/oauth2/start`));
  const { live, ended } = jars();

  it.each([
    ['its sign-in page with 403 (SignInPage)', 403, 'sign-in.html'],
    ['its sign-in page with 200 (nginx error_page 401 = /oauth2/sign_in)', 200, 'sign-in.html'],
    ['its error page with 403 (ErrAccessDenied)', 403, 'error-403-access-denied.html'],
  ])('reads %s as a stale session', async (_what, status, file) => {
    expect(await refusals.isStaleSession(answer(status, HTML, page(file)), live)).toBe(true);
  });

  it("reads the proxy's 401 `{}` (errorJSON) as a stale session, the backend's own JSON 401 not", () => {
    expect(refusals.isStaleSession(answer(401, { 'content-type': 'application/json' }, '{}'), live)).toBe(true);
    expect(refusals.isStaleSession(answer(401, { 'content-type': 'application/json' }, '{"detail":"Not authenticated"}'), live)).toBe(false);
    expect(refusals.isStaleSession(answer(401, { 'content-type': 'text/plain' }, '{}'), live)).toBe(false);
    expect(refusals.isStaleSession(answer(401, { 'content-type': 'application/json-patch+json' }, '{}'), live)).toBe(false);
  });

  it("passes the backend's own 403 on: JSON, text, or an HTML page that is not the proxy's", async () => {
    expect(refusals.isStaleSession(answer(403, { 'content-type': 'application/json' }, '{"detail":"Forbidden"}'), live)).toBe(false);
    expect(refusals.isStaleSession(answer(403, { 'content-type': 'text/plain' }, 'Forbidden\n'), live)).toBe(false);
    expect(await refusals.isStaleSession(answer(403, HTML, '<h1>Forbidden</h1><a href="/oauth2/sign_out">Sign out</a>'), live)).toBe(false);
    // A POST form to the start path, or one without `rd`, is no sign-in page of the proxy.
    expect(await refusals.isStaleSession(answer(403, HTML, '<form method="post" action="/oauth2/start"><input name="rd"></form>'), live)).toBe(false);
    expect(await refusals.isStaleSession(answer(403, HTML, '<form action="/oauth2/start"><input name="q"></form>'), live)).toBe(false);
  });

  it("reads 403 `{}` (errorJSON after a failed authorization, --force-json-errors) as a stale session", () => {
    expect(refusals.isStaleSession(answer(403, { 'content-type': 'application/json' }, '{}'), live)).toBe(true);
  });

  it("reads any 401 or 403 that deletes the proxy's cookie as a stale session (a claim, weighed by the re-login allowance), no other status", () => {
    expect(refusals.isStaleSession(deleting(answer(403, { 'content-type': 'application/json' }, '{"error":"not yours"}')), live)).toBe(true);
    expect(refusals.isStaleSession(deleting(answer(401, { 'content-type': 'text/plain' }, 'Unauthorized')), live)).toBe(true);
    expect(refusals.isStaleSession(deleting(answer(200, { 'content-type': 'application/json' }, '{"ok":true}')), live)).toBe(false);
    expect(refusals.isStaleSession(deleting(answer(404, { 'content-type': 'application/json' }, '{}')), live)).toBe(false);
  });

  it('reads any 401, 403 or HTML 200 once the session has expired as a stale session: the call left in its last moments', () => {
    expect(refusals.isStaleSession(answer(403, { 'content-type': 'application/json' }, '{"detail":"Forbidden"}'), ended)).toBe(true);
    expect(refusals.isStaleSession(answer(401, { 'content-type': 'text/plain' }, 'Unauthorized'), ended)).toBe(true);
    expect(refusals.isStaleSession(answer(200, HTML, '<p>Signed out</p>'), ended)).toBe(true);
    expect(refusals.isStaleSession(answer(200, { 'content-type': 'application/json' }, '{"ok":true}'), ended)).toBe(false);
  });

  it('never inspects a 200 that is not HTML, nor an HTML 200 without the start path', () => {
    // Plain booleans: neither parsed nor searched beyond the header.
    expect(refusals.isStaleSession(answer(200, { 'content-type': 'application/json' }, page('sign-in.html')), live)).toBe(false);
    expect(refusals.isStaleSession(answer(200, { 'content-type': 'text/plain' }, page('sign-in.html')), live)).toBe(false);
    expect(refusals.isStaleSession(answer(200, HTML, '<html><body>/oauth2/ docs</body></html>'), live)).toBe(false);
  });

  it('finds the pages under a custom --proxy-prefix from auth.data.endpoint, and only there', async () => {
    const custom = new ProxyRefusals(new URL(`${PROXY}/auth/start`));
    expect(await custom.isStaleSession(answer(200, HTML, page('sign-in-auth-prefix-htpasswd.html')), jars(`${PROXY}/auth/start`).live)).toBe(true);
    expect(await custom.isStaleSession(answer(200, HTML, page('sign-in.html')), jars(`${PROXY}/auth/start`).live)).toBe(false);
    expect(await refusals.isStaleSession(answer(200, HTML, page('sign-in-auth-prefix-htpasswd.html')), live)).toBe(false);
  });

  it('reads a redirect to the sign-in (start or sign_in under the prefix) or to GitHub as stale, and follows none', () => {
    const custom = new ProxyRefusals(new URL(`${PROXY}/auth/start`));
    const redirect = (location: string) => answer(302, { location }, '');
    for (const location of ['/auth/start?rd=%2Fapi', `${PROXY}/auth/sign_in`, 'https://github.com/login/oauth/authorize?client_id=x']) {
      expect(custom.isStaleSession(redirect(location), live)).toBe(true);
      expect(custom.followWithinBackend(new URL(location, PROXY), { method: 'GET', url: new URL(`${PROXY}/api`), headers: {} })).toBe(false);
    }
    // The backend's own /oauth2/ path under another prefix is the backend's.
    expect(custom.isStaleSession(redirect('/oauth2/start'), live)).toBe(false);
    expect(custom.followWithinBackend(new URL('/oauth2/start', PROXY), { method: 'GET', url: new URL(`${PROXY}/api`), headers: {} })).toBe(true);
  });

  // A backend's redirect to <prefix>sign_out, followed, ended the caller's session at the proxy (its session store).
  it("follows a backend's redirect to none of the proxy's own endpoints, and passes it on as the backend's", () => {
    const hop = { method: 'GET', url: new URL(`${PROXY}/api`), headers: {} };
    for (const endpoint of ['sign_out?rd=%2F', 'callback?code=c&state=s', 'auth', 'userinfo']) {
      const target = new URL(`/oauth2/${endpoint}`, PROXY);
      expect([endpoint, refusals.followWithinBackend(target, hop)]).toEqual([endpoint, false]);
      expect(refusals.isStaleSession(answer(302, { location: target.href }, ''), live)).toBe(false);
    }
    // As a front in the way (nginx) would route them: decoded, slashes merged, dot segments resolved; or not decodable.
    for (const path of ['/oauth2/%73ign_out', '/oauth2//sign_out', '/oauth2/sign%5Fout', '/%6Fauth2/sign_out', '/x/%2e%2e/oauth2/sign_out', '/oauth2/%ZZ', '/oauth2/anything']) {
      expect([path, refusals.followWithinBackend(new URL(path, PROXY), hop)]).toEqual([path, false]);
    }
    expect(refusals.followWithinBackend(new URL('/oauth2-docs/sign_out', PROXY), hop)).toBe(true);
    expect(refusals.followWithinBackend(new URL('/api/%73ign_out', PROXY), hop)).toBe(true);
    // Under a start URL at the root, only the endpoints themselves are the proxy's.
    const root = new ProxyRefusals(new URL(`${PROXY}/start`));
    expect([root.followWithinBackend(new URL('/%73ign_out', PROXY), hop), root.followWithinBackend(new URL('/api/x', PROXY), hop)]).toEqual([false, true]);
  });

  // Review of 1cf4bf1: the decoded path was parsed as a URL again, where a decoded `?` or `#` ends the path, so
  // `/%3F%2F..%2Foauth2/sign_out` read as `/` and was followed; nginx keeps them as path characters and routes it to
  // the proxy's sign-out.
  it("does not follow a redirect whose decoded path hides the proxy's prefix behind a decoded '?' or '#'", () => {
    const hop = { method: 'GET', url: new URL(`${PROXY}/api`), headers: {} };
    for (const path of ['/%3F%2F..%2Foauth2/sign_out', '/%23%2F..%2Foauth2/sign_out', '/x%3F/..%2Foauth2/sign_out', '/a%3Fb%2F..%2Foauth2/callback?code=c&state=s', '/x%5C..%5Coauth2%5Csign_out', '/%2e%2e/oauth2/sign_out']) {
      expect([path, refusals.followWithinBackend(new URL(path, PROXY), hop)]).toEqual([path, false]);
    }
    const root = new ProxyRefusals(new URL(`${PROXY}/start`));
    for (const path of ['/%3F%2F..%2Fsign_out', '/%23%2F..%2Fsign_out']) {
      expect([path, root.followWithinBackend(new URL(path, PROXY), hop)]).toEqual([path, false]);
    }
    // Still the backend's: a decoded `?` that hides nothing of the prefix, a dot segment that stays under the backend.
    for (const path of ['/api/%3Fx', '/api/x/../y', '/api/oauth2/sign_out']) expect([path, refusals.followWithinBackend(new URL(path, PROXY), hop)]).toEqual([path, true]);
  });

  // Attacker's review of 8ec9645: the whole page was parsed (~190 ms per MiB, up to maxResponseBytes), where only the
  // first 32 KiB were searched; a form a megabyte in decided.
  it('looks for the proxy form in the first 32 KiB of a page only, however long the page', async () => {
    const filler = '<p>row</p>'.repeat(100_000);
    const deep = `<a href="/oauth2/start">Sign in again</a>${filler}<form method="get" action="/oauth2/start"><input name="rd" value="/"></form>`;
    const early = `<form method="get" action="/oauth2/start"><input name="rd" value="/"></form>${filler}`;
    expect([await refusals.isStaleSession(answer(200, HTML, deep), live), await refusals.isStaleSession(answer(200, HTML, early), live)]).toEqual([false, true]);
  });

  // Attacker's review of 3bdaf06: the proxy's pages repeat the caller's URL in `rd` after the action (the error page
  // once more before it); cut at 32 KiB, a long URL's form lost its `rd` and the proxy's refusal went unrecognised.
  // URLs of 24 KiB and 14 KiB: the first page holds one copy, the second two.
  it.each([
    [200, 'sign-in.html', 3_000],
    [403, 'sign-in.html', 3_000],
    [403, 'error-403-access-denied.html', 1_800],
  ])("reads the proxy's %i %s as a refusal for a call with a long URL", async (status, file, parameters) => {
    const uri = `/api?${Array.from({ length: parameters }, (_, i) => `k=${String(i).padStart(4, '0')}`).join('&')}`;
    const body = page(file).toString('utf8').replaceAll('/api?metric=a&amp;job=b', uri.replaceAll('&', '&amp;'));
    expect(body.length).toBeGreaterThan(32 * 1024);
    expect(await refusals.isStaleSession(answer(status, HTML, body), live)).toBe(true);
  });

  it("leaves the proxy's 500 error page (its callback's) and other statuses to the caller", () => {
    expect(refusals.isStaleSession(answer(500, HTML, page('error-500-callback.html')), live)).toBe(false);
    // A 431 refuses our headers, not the session: the strategy drops the backend's cookies, no login (review of 1cf4bf1).
    expect(refusals.isStaleSession(answer(431, {}, ''), live)).toBe(false);
  });
});
