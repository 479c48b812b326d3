// The login's ending on a proxy page, against oauth2-proxy v7.15's own pages (test/fixtures/proxy-pages).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackendResponse } from '../http/backend-response.js';
import { parseHtmlPage } from './html-form.parser.js';
import { loginFailure } from './login-failure.errors.js';
import { ProxySessionJar } from './proxy-session.jar.js';

const PROXY = 'https://api.example.org';
const route = { startUrl: new URL(`${PROXY}/oauth2/start`), requestId: 'req-1' };
const fixture = (file: string): string => readFileSync(join(import.meta.dirname, '../../../test/fixtures/proxy-pages', file), 'utf8');
const ending = (status: number, path: string, html: string, session = new ProxySessionJar(route.startUrl)) =>
  loginFailure.notOnGitHub(new BackendResponse(status, { 'content-type': 'text/html; charset=utf-8' }, Buffer.from(html), `${PROXY}${path}`), parseHtmlPage(html), route, session);

const REFUSED = 'The proxy refused the login after GitHub let the user in (its allowed users, e-mail domains or groups).';

describe('loginFailure.notOnGitHub', () => {
  it.each([403, 400])("reads the callback's own %i (its error page, no cookie set) as the proxy refusing the user: 403, no status shown", (status) => {
    const error = ending(status, '/oauth2/callback', fixture('error-500-callback.html'));
    expect(error.toDict()).toEqual({ reason: 'Forbidden', status_code: 403, error_content: REFUSED });
  });

  it.each([500, 502])("reads the callback's own %i as a failure that may be an outage or a refusal: 502 naming both, no status shown", (status) => {
    const error = ending(status, '/oauth2/callback', fixture('error-500-callback.html'));
    expect(error.toDict()).toEqual({
      reason: 'Bad Gateway',
      status_code: 502,
      error_content: expect.stringMatching(/^The proxy's callback failed after GitHub let the user in: .*\(an outage: retry\), or it refuses the user \(organisation or team membership, or SAML SSO.*\(request req-1\)$/),
    });
  });

  it('keeps the --cookie-name diagnosis for a callback that answered < 400 without the session cookie', () => {
    const session = new ProxySessionJar(route.startUrl);
    session.store(['_oauth2_proxy_csrf=; Path=/; Max-Age=0', 'lsst_auth=s; Path=/; Max-Age=60'], new URL(`${PROXY}/oauth2/callback?code=c&state=s`));
    const error = ending(403, '/api', fixture('sign-in.html'), session);
    expect([error.statusCode, error.content]).toEqual([502, expect.stringMatching(/did not set its session cookie \(_oauth2_proxy\): .* set backend\.proxyCookieName/)]);
  });

  it("tells a proxy sign-in page with a password form (--htpasswd-file) from a refusal: the endpoint is wrong, nothing was sent", () => {
    const error = ending(200, '/oauth2/sign_in', fixture('sign-in-auth-prefix-htpasswd.html').replaceAll('/auth/', '/oauth2/'));
    expect(error.content).toMatch(/^The proxy answered its own sign-in form: auth\.data\.endpoint must be the proxy's \/oauth2\/start/);
  });
});
