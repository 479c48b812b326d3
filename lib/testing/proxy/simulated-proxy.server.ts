import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { parseCookieHeader, serializeSetCookie } from '../http/cookie.codec.js';
import { constantTimeEqual } from '../http/constant-time.equal.js';
import { sendHtml, sendPlain, sendRedirect } from '../http/http-response.writer.js';
import { randomToken } from '../http/random-token.js';
import { acceptsJson, parseRequestUrl, safeLocalPath } from '../http/request-url.parser.js';
import { ExpiringStore } from '../http/expiring.store.js';
import { forwardToBackend, type BackendForwarderDeps, type ForwardedIdentity } from './backend.forwarder.js';
import { redeemGithubCode, type GithubEndpoints } from './github-code.redeemer.js';
import { clearCookies, csrfCookieName, issueSessionCookie, readSessionCookie } from './proxy-session.cookie.js';
import { errorPage, NO_CACHE_HEADERS, signInPage } from './simulated-proxy.pages.js';

const CSRF_LIFETIME_MS = 15 * 60 * 1000;

export interface SimulatedProxyDeps extends BackendForwarderDeps {
  github: GithubEndpoints;
  sessionLifetimeMs: number;
  cookieSecure: boolean;
  splitSessionCookie: boolean;
  /** `--cookie-name`. */
  cookieName: string;
  /** `--cookie-csrf-per-request`. */
  csrfPerRequest: boolean;
  /** `--skip-provider-button`: unauthenticated browsers go straight to GitHub. */
  skipProviderButton: boolean;
  /** `--api-route` prefixes: unauthenticated requests there get 401 whatever `Accept` says. */
  apiRoutes: string[];
  /** `--htpasswd-file`: the sign-in page has a password form of the proxy's own. */
  htpasswdForm: boolean;
  /** `--proxy-prefix`: `/oauth2` by default. */
  prefix: string;
  /** Behind nginx `auth_request` + `error_page 401 = <prefix>/sign_in`: no session gets the sign-in page with 200. */
  nginxAuthRequest: boolean;
}

/** The oauth2-proxy front: its `<prefix>/*` endpoints, session cookies, and the gate before the backend. */
export class SimulatedProxyFront {
  private readonly sessions: ExpiringStore<ForwardedIdentity>;

  constructor(private readonly deps: SimulatedProxyDeps) {
    this.sessions = new ExpiringStore(deps.sessionLifetimeMs, 100_000);
  }

  /** Forgets every session: cookies already handed out stop working. */
  expireSessions(): void {
    this.sessions.clear();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseRequestUrl(req);
    if (!url) return sendPlain(res, 400, 'Bad Request\n');
    switch (url.pathname) {
      case '/ping':
      case '/ready':
        return sendPlain(res, 200, 'OK');
      case `${this.deps.prefix}/start`:
        return this.start(res, url.searchParams);
      case `${this.deps.prefix}/callback`:
        return this.callback(req, res, url.searchParams);
      case `${this.deps.prefix}/sign_in`:
        // A POST is a password for the proxy's own htpasswd accounts (none here): counted, refused.
        if (req.method === 'POST') this.deps.stats.recordProxySignInPost();
        return this.signInPage(res, req.method === 'POST' ? 401 : 200, safeLocalPath(url.searchParams.get('rd')));
      case `${this.deps.prefix}/sign_out`:
        return this.signOut(req, res, url.searchParams);
      case `${this.deps.prefix}/auth`:
        if (this.deps.faults.proxyAuthUnrouted) return sendPlain(res, 404, 'Not Found\n');
        if (this.deps.faults.proxyAuthToBackend) break; // through the session gate to the backend, as any other path
        return this.authOnly(req, res);
    }
    const { identity, presented, value } = this.session(req);
    if (identity === undefined) return this.refuse(req, res, presented, url);
    if (!this.deps.faults.takeProxySessionRefusal()) return forwardToBackend(req, res, identity, this.deps);
    this.sessions.take(value!);
    this.refuse(req, res, presented, url);
  }

  private start(res: ServerResponse, query: URLSearchParams): void {
    if (this.deps.faults.startRedirect !== undefined) return sendRedirect(res, this.deps.faults.startRedirect);
    this.redirectToGithub(res, safeLocalPath(query.get('rd')));
  }

  /** The OAuth start: a CSRF cookie and a redirect to GitHub's authorize page, coming back to `rd`. */
  private redirectToGithub(res: ServerResponse, rd: string, extraCookies: string[] = []): void {
    const nonce = randomToken(32);
    const authorize = new URL(`${this.deps.github.githubUrl}/login/oauth/authorize`);
    authorize.searchParams.set('client_id', this.deps.github.clientId);
    authorize.searchParams.set('redirect_uri', this.deps.github.redirectUri);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('scope', 'user:email');
    authorize.searchParams.set('state', `${nonce}:${rd}`);
    const csrf = csrfCookieName(this.deps.cookieName, this.deps.csrfPerRequest, nonce);
    sendRedirect(res, authorize.toString(), [
      ...extraCookies,
      serializeSetCookie(csrf, nonce, { maxAgeMs: CSRF_LIFETIME_MS, httpOnly: true, secure: this.deps.cookieSecure }),
    ]);
  }

  private async callback(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const error = query.get('error');
    if (error) return this.errorPage(req, res, 403, `Login Failed: The upstream identity provider returned an error: ${error}`);
    const state = query.get('state') ?? '';
    const colon = state.indexOf(':');
    const nonce = colon < 0 ? state : state.slice(0, colon);
    const csrfName = csrfCookieName(this.deps.cookieName, this.deps.csrfPerRequest, nonce);
    const csrf = parseCookieHeader(req).get(csrfName);
    if (!csrf || !nonce || !constantTimeEqual(nonce, csrf)) {
      return this.errorPage(req, res, 403, 'Login Failed: Unable to find a valid CSRF token. Please try again.');
    }
    let identity: ForwardedIdentity;
    try {
      identity = await redeemGithubCode(query.get('code') ?? '', this.deps.github, this.deps.signal);
    } catch {
      return this.errorPage(req, res, 500);
    }
    // EnrichSession -> checkRestrictions failed ("user is missing required organization"): ErrorPage(500, err.Error()),
    // the default 500 message; the CSRF cookie stays, as it is cleared only after enrichSessionState. The e-mail
    // domain is checked after it, by OAuthCallback's `Validator`: ErrorPage(403, "Invalid session: unauthorized").
    const restriction = this.deps.faults.proxyRefusesAtCallback;
    if (restriction === 'email-domain') return this.errorPage(req, res, 403, 'Invalid session: unauthorized');
    if (restriction !== undefined) return this.errorPage(req, res, 500);
    const cookie = issueSessionCookie({
      name: this.deps.cookieName,
      lifetimeMs: this.deps.sessionLifetimeMs,
      secure: this.deps.cookieSecure,
      split: this.deps.splitSessionCookie,
    });
    this.sessions.set(cookie.value, identity);
    this.deps.stats.recordProxySession(identity.login);
    sendRedirect(res, safeLocalPath(colon < 0 ? '/' : state.slice(colon + 1)), [
      ...cookie.setCookies,
      ...clearCookies([csrfName], this.deps.cookieSecure),
    ]);
  }

  private signOut(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const { value, names } = readSessionCookie(parseCookieHeader(req), this.deps.cookieName);
    if (value !== undefined) this.sessions.take(value);
    sendRedirect(res, safeLocalPath(query.get('rd')), clearCookies(names, this.deps.cookieSecure));
  }

  /** nginx auth_request endpoint: 202 with a valid session, else 401, no body. */
  private authOnly(req: IncomingMessage, res: ServerResponse): void {
    const { identity } = this.session(req);
    if (!identity) return sendPlain(res, 401, '');
    sendPlain(res, 202, '', { 'x-auth-request-user': identity.login, 'x-auth-request-email': identity.email });
  }

  private session(req: IncomingMessage): { identity?: ForwardedIdentity; presented: string[]; value?: string } {
    const { value, names } = readSessionCookie(parseCookieHeader(req), this.deps.cookieName);
    return { identity: value === undefined ? undefined : this.sessions.get(value), presented: names, value };
  }

  /**
   * No usable session, as oauth2-proxy's `Proxy()` answers it: 401 `{}` for API callers (`Accept:
   * application/json` exactly, or an `--api-route`), else a redirect to GitHub (`--skip-provider-button`)
   * or the 403 sign-in page; the session loader has cleared a dead cookie first. Behind nginx
   * `auth_request`, `<prefix>/auth`'s 401 becomes the sign-in page with 200 (`SignIn()`), no cookie cleared.
   */
  private refuse(req: IncomingMessage, res: ServerResponse, presented: string[], url: URL): void {
    const rd = safeLocalPath(`${url.pathname}${url.search}`);
    if (this.deps.nginxAuthRequest) return this.deps.skipProviderButton ? this.redirectToGithub(res, rd) : this.signInPage(res, 200, rd);
    const cleared = presented.length > 0 ? clearCookies(presented, this.deps.cookieSecure) : [];
    const headers = cleared.length > 0 ? { 'set-cookie': cleared } : {};
    if (acceptsJson(req) || this.deps.apiRoutes.some((prefix) => url.pathname.startsWith(prefix))) {
      // errorJSON: exactly `application/json`, exactly `{}`.
      res.writeHead(401, { 'content-type': 'application/json', ...headers }).end('{}');
      return;
    }
    if (this.deps.skipProviderButton) return this.redirectToGithub(res, rd, cleared);
    this.signInPage(res, 403, rd, headers);
  }

  /** SignInPage: no-cache headers, then the page (its own cookie clearing comes after WriteHeader, so Go never sends it). */
  private signInPage(res: ServerResponse, status: number, rd: string, headers: OutgoingHttpHeaders = {}): void {
    sendHtml(res, status, signInPage(this.deps.prefix, rd, this.deps.htpasswdForm), { ...NO_CACHE_HEADERS, ...headers });
  }

  /** ErrorPage: under the prefix, so with no-cache headers; "Go back" to `/` (the callback's own URI is the proxy's). */
  private errorPage(req: IncomingMessage, res: ServerResponse, status: number, message?: string): void {
    const requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : randomUUID();
    sendHtml(res, status, errorPage(this.deps.prefix, status, '/', requestId, message), NO_CACHE_HEADERS);
  }
}
