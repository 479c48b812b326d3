import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { interruptiblePause } from '../http/interruptible-pause.js';
import { parseCookieHeader, serializeSetCookie } from '../http/cookie.codec.js';
import { constantTimeEqual } from '../http/constant-time.equal.js';
import { sendHtml, sendRedirect } from '../http/http-response.writer.js';
import { randomToken } from '../http/random-token.js';
import { readRequestBody, RequestBodyTooLargeError } from '../http/request-body.reader.js';
import { parseRequestUrl, safeLocalPath } from '../http/request-url.parser.js';
import type { SimulatedFaults } from '../simulated-stack.interface.js';
import type { SimulatedStatsRecorder } from '../simulated-stats.recorder.js';
import { SimulatedGithubOAuth } from './simulated-github-oauth.routes.js';
import * as pages from './simulated-github.pages.js';
import type { SimulatedGithubState } from './simulated-github.state.js';

const FORM_BODY_LIMIT = 16 * 1024;
const DAY = 24 * 60 * 60 * 1000;

export interface SimulatedGithubDeps {
  url: string;
  state: SimulatedGithubState;
  faults: SimulatedFaults;
  stats: SimulatedStatsRecorder;
  cookieSecure: boolean;
  /** Aborts when the stack stops, ending pending delays. */
  signal: AbortSignal;
}

/** The browser-facing GitHub: login form, password session, two-factor page; OAuth routes delegated. */
export class SimulatedGithubSite {
  private readonly oauth: SimulatedGithubOAuth;
  private readonly timestampKey = randomToken();

  constructor(private readonly deps: SimulatedGithubDeps) {
    this.oauth = new SimulatedGithubOAuth(deps, (req, res) => this.browserSession(req, res));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const finished = this.deps.stats.recordGithubRequest();
    res.once('close', finished);
    await interruptiblePause(this.deps.faults.githubDelayMs, this.deps.signal);
    if (this.deps.faults.githubDown || this.deps.signal.aborted) {
      req.socket.destroy();
      return;
    }
    const url = parseRequestUrl(req);
    if (!url) return sendHtml(res, 400, pages.notFoundPage());
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /login') return this.showLogin(req, res, url.searchParams);
    if (route === 'POST /session') return this.createSession(req, res);
    if (req.method === 'GET' && url.pathname.startsWith('/sessions/two-factor')) return this.showTwoFactor(req, res);
    if (route === 'GET /') return this.showHome(req, res);
    return this.oauth.handle(req, res, url, route);
  }

  /** The `_gh_sess` browser session and its authenticity token, created (cookie set on `res`) when missing. */
  private browserSession(req: IncomingMessage, res: ServerResponse): string {
    const id = parseCookieHeader(req).get('_gh_sess');
    const known = id ? this.deps.state.browserSessions.get(id) : undefined;
    if (known) return known;
    const newId = randomToken();
    const token = randomToken(32);
    this.deps.state.browserSessions.set(newId, token);
    this.appendCookie(res, serializeSetCookie('_gh_sess', newId, { httpOnly: true, secure: this.deps.cookieSecure, sameSite: 'Lax' }));
    return token;
  }

  private showLogin(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, flash?: string): void {
    const authenticityToken = this.browserSession(req, res);
    if (this.deps.faults.loginPageWithoutForm) return sendHtml(res, 200, pages.loginPageWithoutForm());
    const timestamp = String(Date.now());
    const timestampSecret = createHmac('sha256', this.timestampKey).update(timestamp).digest('hex');
    const returnTo = safeLocalPath(query.get('return_to'));
    const clientId = query.get('client_id') ?? undefined;
    const action = this.deps.faults.loginFormAction;
    sendHtml(res, 200, pages.loginPage({ action, authenticityToken, returnTo, clientId, timestamp, timestampSecret, flash }));
  }

  private async createSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const detour = this.deps.faults.passwordPostRedirect;
    if (detour !== undefined) {
      // 307: a client that follows it posts the same body (the password) to the new place.
      res.writeHead(307, { location: detour, 'content-length': 0 }).end();
      return;
    }
    const form = await this.readForm(req, res);
    if (!form) return;
    const sessionId = parseCookieHeader(req).get('_gh_sess');
    const expected = sessionId ? this.deps.state.browserSessions.get(sessionId) : undefined;
    if (!expected || !constantTimeEqual(form.get('authenticity_token') ?? '', expected)) {
      return sendHtml(res, 422, pages.unprocessablePage());
    }
    const attempted = form.get('login') ?? '';
    const user = this.deps.state.authenticate(attempted, form.get('password') ?? '');
    if (!user) {
      this.deps.stats.recordFailedLogin(this.deps.state.canonicalLogin(attempted));
      return this.showLogin(req, res, form, 'Incorrect username or password.');
    }
    if (user.twoFactor) {
      this.deps.stats.recordTwoFactorChallenge(user.login);
      return sendRedirect(res, `${this.deps.url}/sessions/two-factor/app`);
    }
    this.deps.stats.recordLogin(user.login);
    const userSession = randomToken(36);
    this.deps.state.userSessions.set(userSession, user.login);
    const secure = this.deps.cookieSecure;
    sendRedirect(res, `${this.deps.url}${safeLocalPath(form.get('return_to'))}`, [
      serializeSetCookie('user_session', userSession, { maxAgeMs: 14 * DAY, httpOnly: true, secure, sameSite: 'Lax' }),
      serializeSetCookie('logged_in', 'yes', { maxAgeMs: 365 * DAY, httpOnly: true, secure, sameSite: 'Lax' }),
      serializeSetCookie('dotcom_user', encodeURIComponent(user.login), { maxAgeMs: 365 * DAY, httpOnly: true, secure, sameSite: 'Lax' }),
    ]);
  }

  private showTwoFactor(req: IncomingMessage, res: ServerResponse): void {
    sendHtml(res, 200, pages.twoFactorPage(this.browserSession(req, res)));
  }

  private showHome(req: IncomingMessage, res: ServerResponse): void {
    const session = parseCookieHeader(req).get('user_session');
    const login = session ? this.deps.state.userSessions.get(session) : undefined;
    if (!login) return sendRedirect(res, `${this.deps.url}/login`);
    sendHtml(res, 200, pages.dashboardPage(login));
  }

  /** The URL-encoded form of a POST, or undefined after answering 413/422 for anything else. */
  private async readForm(req: IncomingMessage, res: ServerResponse): Promise<URLSearchParams | undefined> {
    if (!String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      sendHtml(res, 422, pages.unprocessablePage());
      return undefined;
    }
    try {
      return new URLSearchParams(await readRequestBody(req, FORM_BODY_LIMIT));
    } catch (error) {
      if (!(error instanceof RequestBodyTooLargeError)) throw error;
      sendHtml(res, 413, pages.unprocessablePage(), { connection: 'close' });
      return undefined;
    }
  }

  private appendCookie(res: ServerResponse, cookie: string): void {
    const existing = res.getHeader('set-cookie');
    const list = Array.isArray(existing) ? existing : existing === undefined ? [] : [String(existing)];
    res.setHeader('set-cookie', [...list, cookie]);
  }
}
