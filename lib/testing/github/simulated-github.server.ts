import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { interruptiblePause } from '../http/interruptible-pause.js';
import { parseCookieHeader, serializeSetCookie } from '../http/cookie.codec.js';
import { constantTimeEqual } from '../http/constant-time.equal.js';
import { sendHtml, sendPlain, sendRedirect } from '../http/http-response.writer.js';
import { randomToken } from '../http/random-token.js';
import { parseRequestUrl, safeLocalPath } from '../http/request-url.parser.js';
import type { SimulatedCode, SimulatedFaults } from '../simulated-stack.interface.js';
import type { SimulatedStatsRecorder } from '../simulated-stats.recorder.js';
import { readGithubForm } from './github-form.reader.js';
import { SimulatedGithubInterstitials } from './simulated-github-interstitial.routes.js';
import { SimulatedGithubOAuth } from './simulated-github-oauth.routes.js';
import { SimulatedGithubVerification } from './simulated-github-verification.routes.js';
import * as pages from './simulated-github.pages.js';
import type { Account, SimulatedGithubState } from './simulated-github.state.js';

const DAY = 24 * 60 * 60 * 1000;

export interface SimulatedGithubDeps {
  url: string;
  state: SimulatedGithubState;
  faults: SimulatedFaults;
  stats: SimulatedStatsRecorder;
  cookieSecure: boolean;
  /** Refused passwords of one account before the lockout message (0: never). */
  lockoutAfterFailures: number;
  /** Sign-ins of one user to the app an hour before the re-authorise page (0: never). */
  oauthSignInsPerHour: number;
  strictLoginForm: boolean;
  requireUserAgent: boolean;
  onCode?: (code: SimulatedCode) => void;
  /** Aborts when the stack stops, ending pending delays. */
  signal: AbortSignal;
}

/** GitHub's words when it stops taking passwords for an account or address. */
export const LOCKOUT_MESSAGE =
  'There have been several failed attempts to sign in from this account or IP address. Please wait a while and try again later.';

/** The browser-facing GitHub: login form, password session, two-factor page; OAuth routes delegated. */
export class SimulatedGithubSite {
  private readonly oauth: SimulatedGithubOAuth;
  private readonly verification: SimulatedGithubVerification;
  private readonly interstitials: SimulatedGithubInterstitials;
  private readonly timestampKey = randomToken();
  /** The login form's bot trap: a field name of its own, submitted empty by browsers. */
  private readonly honeypot = `required_field_${randomToken(2).replace(/[^a-z0-9]/gi, 'x').toLowerCase()}`;

  constructor(private readonly deps: SimulatedGithubDeps) {
    const browserSession = (req: IncomingMessage, res: ServerResponse) => this.browserSession(req, res);
    this.interstitials = new SimulatedGithubInterstitials(deps, browserSession);
    this.oauth = new SimulatedGithubOAuth(deps, browserSession, (session) => this.interstitials.owedBy(session));
    this.verification = new SimulatedGithubVerification(deps, browserSession, (req, res, user, returnTo, cookies) =>
      this.completeSignIn(req, res, user, returnTo, cookies),
    );
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const finished = this.deps.stats.recordGithubRequest();
    res.once('close', finished);
    if (req.headers.traceparent !== undefined) this.deps.stats.recordTracedGithubRequest();
    await interruptiblePause(this.deps.faults.githubDelayMs, this.deps.signal);
    if (this.deps.faults.githubDown || this.deps.signal.aborted) {
      req.socket.destroy();
      return;
    }
    const outage = this.deps.faults.githubStatus;
    if (outage !== undefined) return sendHtml(res, outage, pages.outagePage(outage));
    if (this.deps.requireUserAgent && !req.headers['user-agent']) {
      return sendPlain(res, 403, 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header.\n');
    }
    const url = parseRequestUrl(req);
    if (!url) return sendHtml(res, 400, pages.notFoundPage());
    const route = `${req.method} ${url.pathname}`;
    const idp = this.deps.faults.identityProviderLogin;
    if (route === 'GET /login' && idp !== undefined) return sendRedirect(res, identityProviderUrl(idp, this.deps.url));
    if (route === 'GET /login') return this.showLogin(req, res, url.searchParams);
    if (route === 'POST /session') return this.createSession(req, res);
    if (url.pathname.startsWith('/sessions/')) return this.verification.handle(req, res, route);
    if (url.pathname.startsWith('/settings/')) return this.interstitials.handle(req, res, route);
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

  private showLogin(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, flash?: string, captcha = this.deps.faults.loginCaptcha === 'login-page'): void {
    const authenticityToken = this.browserSession(req, res);
    if (this.deps.faults.loginPageWithoutForm) return sendHtml(res, 200, pages.loginPageWithoutForm());
    const timestamp = String(Date.now());
    const timestampSecret = createHmac('sha256', this.timestampKey).update(timestamp).digest('hex');
    const returnTo = safeLocalPath(query.get('return_to'));
    const clientId = query.get('client_id') ?? undefined;
    const action = this.deps.faults.loginFormAction;
    const honeypot = this.honeypot;
    if (captcha) this.deps.stats.recordCaptchaAnswer(this.deps.state.canonicalLogin(query.get('login') ?? ''));
    sendHtml(res, 200, pages.loginPage({ action, authenticityToken, returnTo, clientId, timestamp, timestampSecret, honeypot, flash, captcha }));
  }

  private async createSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const detour = this.deps.faults.passwordPostRedirect;
    if (detour !== undefined) {
      // 307: a client that follows it posts the same body (the password) to the new place.
      res.writeHead(307, { location: detour, 'content-length': 0 }).end();
      return;
    }
    const form = await readGithubForm(req, res);
    if (!form) return;
    const sessionId = parseCookieHeader(req).get('_gh_sess');
    const expected = sessionId ? this.deps.state.browserSessions.get(sessionId) : undefined;
    if (!expected || !constantTimeEqual(form.get('authenticity_token') ?? '', expected) || !this.looksLikeItsOwnForm(form)) {
      return sendHtml(res, 422, pages.unprocessablePage());
    }
    const attempted = form.get('login') ?? '';
    this.deps.stats.recordPasswordPost(this.deps.state.canonicalLogin(attempted));
    // A captcha GitHub wants is answered before the password is looked at: neither accepted nor a failure.
    if (this.deps.faults.loginCaptcha !== undefined && !form.get('octocaptcha-token')) {
      return this.showLogin(req, res, form, 'Please complete the captcha to sign in.', true);
    }
    const account = this.deps.state.account(attempted);
    const { lockoutAfterFailures } = this.deps;
    if (account && lockoutAfterFailures > 0 && account.failures >= lockoutAfterFailures) {
      return this.showLogin(req, res, form, LOCKOUT_MESSAGE);
    }
    const user = this.deps.state.authenticate(attempted, form.get('password') ?? '');
    if (!user) {
      if (account) account.failures += 1;
      this.deps.stats.recordFailedLogin(this.deps.state.canonicalLogin(attempted));
      return this.showLogin(req, res, form, 'Incorrect username or password.');
    }
    user.failures = 0;
    const returnTo = safeLocalPath(form.get('return_to'));
    if (this.verification.needsSecondStep(req, res, user, returnTo)) return;
    this.completeSignIn(req, res, user, returnTo);
  }

  /**
   * A strict GitHub checks what its own form carries: the timestamp it signed, and the bot trap
   * present and empty. A client posting only the hidden inputs (or filling every text field) fails.
   */
  private looksLikeItsOwnForm(form: URLSearchParams): boolean {
    if (!this.deps.strictLoginForm) return true;
    const timestamp = form.get('timestamp') ?? '';
    const signed = createHmac('sha256', this.timestampKey).update(timestamp).digest('hex');
    return timestamp !== '' && constantTimeEqual(form.get('timestamp_secret') ?? '', signed) && form.get(this.honeypot) === '';
  }

  /** Signs the browser in (`user_session`) and sends it on to `returnTo`. */
  private completeSignIn(_req: IncomingMessage, res: ServerResponse, user: Account, returnTo: string, cookies: string[] = []): void {
    this.deps.stats.recordLogin(user.login);
    const userSession = randomToken(36);
    this.deps.state.userSessions.set(userSession, user.login);
    const secure = this.deps.cookieSecure;
    sendRedirect(res, `${this.deps.url}${this.interstitials.nextStop(userSession, returnTo)}`, [
      ...cookies,
      serializeSetCookie('user_session', userSession, { maxAgeMs: 14 * DAY, httpOnly: true, secure, sameSite: 'Lax' }),
      serializeSetCookie('logged_in', 'yes', { maxAgeMs: 365 * DAY, httpOnly: true, secure, sameSite: 'Lax' }),
      serializeSetCookie('dotcom_user', encodeURIComponent(user.login), { maxAgeMs: 365 * DAY, httpOnly: true, secure, sameSite: 'Lax' }),
    ]);
  }

  private showHome(req: IncomingMessage, res: ServerResponse): void {
    const session = parseCookieHeader(req).get('user_session');
    const login = session ? this.deps.state.userSessions.get(session) : undefined;
    if (!login) return sendRedirect(res, `${this.deps.url}/login`);
    sendHtml(res, 200, pages.dashboardPage(login));
  }

  private appendCookie(res: ServerResponse, cookie: string): void {
    const existing = res.getHeader('set-cookie');
    const list = Array.isArray(existing) ? existing : existing === undefined ? [] : [String(existing)];
    res.setHeader('set-cookie', [...list, cookie]);
  }
}

/** Where `/login` sends the browser when GitHub signs in through an identity provider (an origin of its own). */
function identityProviderUrl(kind: 'saml' | 'cas', githubUrl: string): string {
  if (kind === 'cas') return `https://sso.example.test/cas/login?service=${encodeURIComponent(`${githubUrl}/sessions/cas`)}`;
  const request = Buffer.from('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>').toString('base64');
  return `https://sso.example.test/saml2/idp/SSOService?SAMLRequest=${encodeURIComponent(request)}&RelayState=${randomToken(8)}`;
}
