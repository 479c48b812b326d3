import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCookieHeader, serializeSetCookie } from '../http/cookie.codec.js';
import { constantTimeEqual } from '../http/constant-time.equal.js';
import { sendHtml, sendJson, sendPlain, sendRedirect } from '../http/http-response.writer.js';
import { randomToken } from '../http/random-token.js';
import { acceptsJson, parseRequestUrl, safeLocalPath } from '../http/request-url.parser.js';
import { ExpiringStore } from '../http/expiring.store.js';
import { forwardToBackend, type BackendForwarderDeps, type ForwardedIdentity } from './backend.forwarder.js';
import { redeemGithubCode, type GithubEndpoints } from './github-code.redeemer.js';
import { clearCookies, csrfCookieName, issueSessionCookie, readSessionCookie } from './proxy-session.cookie.js';
import { errorPage, signInPage } from './simulated-proxy.pages.js';

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
}

/** The oauth2-proxy front: its /oauth2/* endpoints, session cookies, and the gate before the backend. */
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
      case '/oauth2/start':
        return this.start(res, url.searchParams);
      case '/oauth2/callback':
        return this.callback(req, res, url.searchParams);
      case '/oauth2/sign_in':
        // A POST is a password for the proxy's own htpasswd accounts (none here): counted, refused.
        if (req.method === 'POST') this.deps.stats.recordProxySignInPost();
        return sendHtml(res, req.method === 'POST' ? 401 : 200, signInPage(safeLocalPath(url.searchParams.get('rd')), this.deps.htpasswdForm));
      case '/oauth2/sign_out':
        return this.signOut(req, res, url.searchParams);
      case '/oauth2/auth':
        return this.authOnly(req, res);
    }
    const { identity, presented } = this.session(req);
    if (identity) return forwardToBackend(req, res, identity, this.deps);
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
    if (error) return sendHtml(res, 403, errorPage(403, 'Permission Denied', `Login Failed: The upstream identity provider returned an error: ${error}`));
    const state = query.get('state') ?? '';
    const colon = state.indexOf(':');
    const nonce = colon < 0 ? state : state.slice(0, colon);
    const csrfName = csrfCookieName(this.deps.cookieName, this.deps.csrfPerRequest, nonce);
    const csrf = parseCookieHeader(req).get(csrfName);
    if (!csrf || !nonce || !constantTimeEqual(nonce, csrf)) {
      return sendHtml(res, 403, errorPage(403, 'Forbidden', 'Login Failed: Unable to find a valid CSRF token. Please try again.'));
    }
    let identity: ForwardedIdentity;
    try {
      identity = await redeemGithubCode(query.get('code') ?? '', this.deps.github, this.deps.signal);
    } catch {
      return sendHtml(res, 500, errorPage(500, 'Internal Server Error', 'Oops! Something went wrong. For more information contact your server administrator.'));
    }
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

  private session(req: IncomingMessage): { identity?: ForwardedIdentity; presented: string[] } {
    const { value, names } = readSessionCookie(parseCookieHeader(req), this.deps.cookieName);
    return { identity: value === undefined ? undefined : this.sessions.get(value), presented: names };
  }

  /**
   * No usable session, as oauth2-proxy answers it: 401 `{}` for API callers (`Accept: application/json`
   * exactly, or an `--api-route`), else a redirect to GitHub (`--skip-provider-button`) or the 403 sign-in
   * page; a dead cookie is cleared.
   */
  private refuse(req: IncomingMessage, res: ServerResponse, presented: string[], url: URL): void {
    const cleared = presented.length > 0 ? clearCookies(presented, this.deps.cookieSecure) : [];
    const headers = cleared.length > 0 ? { 'set-cookie': cleared } : {};
    const rd = safeLocalPath(`${url.pathname}${url.search}`);
    if (acceptsJson(req) || this.deps.apiRoutes.some((prefix) => url.pathname.startsWith(prefix))) return sendJson(res, 401, {}, headers);
    if (this.deps.skipProviderButton) return this.redirectToGithub(res, rd, cleared);
    sendHtml(res, 403, signInPage(rd, this.deps.htpasswdForm), headers);
  }
}
