import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCookieHeader } from '../http/cookie.codec.js';
import { sendHtml, sendJson, sendRedirect, sendText } from '../http/http-response.writer.js';
import { readRequestBody } from '../http/request-body.reader.js';
import { acceptsJson } from '../http/request-url.parser.js';
import * as pages from './simulated-github.pages.js';
import type { SimulatedGithubDeps } from './simulated-github.server.js';

const TOKEN_BODY_LIMIT = 16 * 1024;

/** GitHub's OAuth web flow (authorize, access_token) and the two REST calls oauth2-proxy makes. */
export class SimulatedGithubOAuth {
  constructor(
    private readonly deps: SimulatedGithubDeps,
    private readonly browserSession: (req: IncomingMessage, res: ServerResponse) => string,
    /** The interstitial a signed-in session still owes (its path), which authorization waits for. */
    private readonly owedInterstitial: (userSession: string) => string | undefined,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, route: string): Promise<void> {
    if (route === 'GET /login/oauth/authorize') return this.authorize(req, res, url);
    if (route === 'POST /login/oauth/access_token') return this.accessToken(req, res);
    if (route === 'GET /api/v3/user') return this.apiUser(req, res, false);
    if (route === 'GET /api/v3/user/emails') return this.apiUser(req, res, true);
    sendHtml(res, 404, pages.notFoundPage());
  }

  private authorize(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const { oauthApp } = this.deps.state;
    const query = url.searchParams;
    if (query.get('client_id') !== oauthApp.clientId) return sendHtml(res, 404, pages.notFoundPage());
    const redirectUri = query.get('redirect_uri') ?? oauthApp.callbackUrl;
    const state = query.get('state') ?? '';
    if (!redirectUri.startsWith(oauthApp.callbackUrl)) {
      // GitHub sends the error to the app's registered callback, not to the offered one.
      return sendRedirect(res, withQuery(oauthApp.callbackUrl, {
        error: 'redirect_uri_mismatch',
        error_description: 'The redirect_uri MUST match the registered callback URL for this application.',
        state,
      }));
    }
    const session = parseCookieHeader(req).get('user_session');
    const login = session ? this.deps.state.userSessions.get(session) : undefined;
    if (!login) {
      const returnTo = `${url.pathname}${url.search}`;
      return sendRedirect(res, withQuery(`${this.deps.url}/login`, { client_id: oauthApp.clientId, return_to: returnTo }));
    }
    const owed = this.owedInterstitial(session!);
    if (owed !== undefined) return sendRedirect(res, `${this.deps.url}${owed}`);
    if (this.deps.faults.accountPicker) return sendHtml(res, 200, pages.selectAccountPage(login, this.browserSession(req, res)));
    if (this.deps.faults.oauthAppAuthorizationPage) {
      return sendHtml(res, 200, pages.authorizeApplicationPage(query, this.browserSession(req, res)));
    }
    if (this.deps.faults.consentRequired || !this.deps.state.mayOAuthSignIn(login, this.deps.oauthSignInsPerHour)) {
      return sendHtml(res, 200, pages.reauthorizePage(query, this.browserSession(req, res)));
    }
    // A web session that signed in before: this sign-in cost no password and no code.
    if (this.deps.state.authorizedSessions.get(session!) === true) this.deps.stats.recordAuthorizeOnlySignIn(login);
    else this.deps.state.authorizedSessions.set(session!, true);
    const code = this.deps.state.issueCode(login, oauthApp.clientId, redirectUri);
    sendRedirect(res, withQuery(redirectUri, { code, state }));
  }

  /** Answers like GitHub: status 200 even for errors, JSON or form encoding after `Accept`. */
  private async accessToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = parseTokenRequest(await readRequestBody(req, TOKEN_BODY_LIMIT), req.headers['content-type']);
    const [basicId, basicSecret] = basicCredentials(req.headers.authorization);
    const clientId = params.get('client_id') ?? basicId ?? '';
    const clientSecret = params.get('client_secret') ?? basicSecret ?? '';
    let answer: Record<string, string>;
    if (clientId !== this.deps.state.oauthApp.clientId || !this.deps.state.clientSecretMatches(clientSecret)) {
      answer = { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' };
    } else {
      const token = this.deps.state.redeemCode(params.get('code') ?? '', clientId, params.get('redirect_uri') ?? undefined);
      answer = token
        ? { access_token: token, token_type: 'bearer', scope: 'user:email' }
        : { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' };
    }
    if (acceptsJson(req)) return sendJson(res, 200, answer);
    sendText(res, 200, 'application/x-www-form-urlencoded; charset=utf-8', new URLSearchParams(answer).toString());
  }

  private apiUser(req: IncomingMessage, res: ServerResponse, emails: boolean): void {
    const match = /^(?:token|bearer) (\S+)$/i.exec(String(req.headers.authorization ?? ''));
    const login = match ? this.deps.state.loginForToken(match[1]) : undefined;
    if (!login) {
      const message = match ? 'Bad credentials' : 'Requires authentication';
      return sendJson(res, 401, { message, documentation_url: 'https://docs.github.com/rest', status: '401' });
    }
    const email = `${login.toLowerCase()}@users.noreply.github.com`;
    if (emails) return sendJson(res, 200, [{ email, primary: true, verified: true, visibility: 'private' }]);
    const id = createHash('sha256').update(login).digest().readUInt32BE(0);
    sendJson(res, 200, { login, id, type: 'User', site_admin: false, name: login, email: null });
  }
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

function parseTokenRequest(body: string, contentType: string | undefined): URLSearchParams {
  if (!String(contentType ?? '').toLowerCase().includes('json')) return new URLSearchParams(body);
  try {
    const json: unknown = JSON.parse(body);
    const params = new URLSearchParams();
    if (json && typeof json === 'object') {
      for (const [name, value] of Object.entries(json)) if (typeof value === 'string') params.set(name, value);
    }
    return params;
  } catch {
    return new URLSearchParams();
  }
}

function basicCredentials(header: string | undefined): [string?, string?] {
  const match = /^basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return [];
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? [] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}
