import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CookieJar } from 'tough-cookie';
import { BackendError } from '../../errors/backend-error.js';
import { isSecureTransport } from '../../http-request/loopback-host.js';
import { APIKIT_RESOLVED_OPTIONS } from '../../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../../options/apikit-options.interface.js';
import { BACKEND_AUTH_LOGGER_CONTEXT } from '../backend-auth.constants.js';
import type { BackendCredentials } from '../context/backend-credentials.js';
import { BackendHttpClient, type FollowOptions } from '../http/backend-http.client.js';
import type { BackendResponse } from '../http/backend-response.js';
import { CallDeadline } from '../http/call-deadline.js';
import { classifyGitHubPage, isIdentityProviderRedirect, type CodeKind, type SubmittableForm } from './github-login-page.classifier.js';
import { CAPTCHA_HOLD_MS, CaptchaRequiredError, githubPage } from './github-page.errors.js';
import { ApiKitObservers, loginOutcomeOf, type LoginStart } from '../../observability/index.js';
import { logEvent } from '../../logging/index.js';
import { afterGitHubSignIn, loginFailure } from './login-failure.errors.js';
import { loadLoginTools, type LoginTools } from './login-tools.loader.js';
import type { CodeChallenge, LoginOutcome } from './login-outcome.interface.js';
import type { LoginCookieJar } from './login-cookie.jar.js';

/** Fields the flow fills itself, whatever the form says. */
const OWN_FIELDS = new Set(['login', 'password', 'commit']);
/**
 * Pages one step of the login may walk: login, another method's page, the chooser, the code page, an interstitial,
 * and the way back through the proxy, with room to spare; a page loop ends here.
 */
const MAX_PAGES = 8;

/** One login's way: the proxy (start, callback) and GitHub (login page, password and code forms). */
interface LoginRoute {
  startUrl: URL;
  github: URL;
  requestId: string;
  jar: LoginCookieJar;
  follow: FollowOptions;
  /** The step's pages seen so far, for its observers. */
  facts: StepFacts;
}

interface StepFacts {
  pages: number;
}

/**
 * The oauth2-proxy + GitHub password login (backend-auth.md): start at the proxy, fill GitHub's
 * login form as a browser would (every successful control), then its two-factor or device code
 * form with the caller's code, and follow the redirects back to the proxy's callback. Ends logged
 * in (the proxy's session cookie in the jar), waiting for a code, or with a classified `BackendError`.
 * Logs the attempt and its outcome with the username, never the password or a code.
 *
 * The password and codes go to `backend.githubUrl`'s origin and nowhere else: the login page, its
 * forms and the links it follows must be there, over https (http only on loopback); redirects may only
 * move between the proxy and GitHub, never from https to http, and never carry a body to another origin.
 */
@Injectable()
export class BitlyProxyLoginFlow {
  private readonly logger = new Logger(BACKEND_AUTH_LOGGER_CONTEXT);
  /** Until when no password is posted: GitHub asked for a captcha (from this process's address). */
  private captchaUntil = 0;

  constructor(
    private readonly http: BackendHttpClient,
    @Inject(APIKIT_RESOLVED_OPTIONS) private readonly options: ResolvedApiKitOptions,
    private readonly observers: ApiKitObservers,
  ) {}

  /**
   * Logs `credentials` in from the proxy's start; `githubCookies` are the identity's GitHub cookies of an
   * earlier login (its verified device). A code the caller already sent is submitted if GitHub asks.
   */
  login(credentials: BackendCredentials, startUrl: URL, requestId: string, githubCookies?: CookieJar, githubSessionReused = false): Promise<LoginOutcome> {
    const start = { submittingCode: false, githubSessionReused };
    return this.attempt(credentials, requestId, start, async (tools, deadline, facts) => {
      const { ProxySessionJar, LoginCookieJar } = tools;
      const session = new ProxySessionJar(startUrl, this.options.backend.cookies, this.options.backend.proxyCookieName);
      const jar = new LoginCookieJar(session, this.options.backend.githubUrl.origin, githubCookies);
      const route = this.routeOf(startUrl, requestId, jar, deadline, facts);
      const page = await this.http.follow({ method: 'GET', url: startUrl, headers: htmlHeaders(requestId) }, route.follow);
      return this.continueFrom(page, credentials, route, tools);
    });
  }

  /**
   * @throws CaptchaRequiredError (503) while GitHub's recent captcha holds password posts: for a login that would
   * post one, asked before it takes a place in the login budget, which a held login must not spend.
   */
  assertPasswordNotHeld(): void {
    if (Date.now() < this.captchaUntil) throw githubPage.captchaHeld(this.captchaUntil - Date.now());
  }

  /** Finishes a login waiting on GitHub's code page with the caller's `code`. */
  submitCode(challenge: CodeChallenge, credentials: BackendCredentials, code: string, requestId: string): Promise<LoginOutcome> {
    const start = { submittingCode: true, githubSessionReused: false };
    return this.attempt(credentials, requestId, start, async (tools, deadline, facts) => {
      const route = this.routeOf(challenge.startUrl, requestId, challenge.jar, deadline, facts);
      const page = await this.post(challenge.form, [[challenge.field, code]], route);
      return this.continueFrom(page, credentials, route, tools, { code, waitingFor: challenge.code });
    });
  }

  /** Runs one step of a login under the login time-out, logging its start and outcome (the username as a field, never a secret). */
  private async attempt(
    credentials: BackendCredentials,
    requestId: string,
    start: LoginStart,
    step: (tools: LoginTools, deadline: CallDeadline, facts: StepFacts) => Promise<LoginOutcome>,
  ): Promise<LoginOutcome> {
    const user = credentials.username;
    if (start.submittingCode) logEvent(this.logger, 'log', 'login.code_submitted', 'Submitting a code to a waiting GitHub login', { requestId, user });
    else logEvent(this.logger, 'log', 'login.started', 'Logging in through GitHub', { requestId, user, githubSessionReused: start.githubSessionReused });
    const startedAt = performance.now();
    const deadline = new CallDeadline(this.options.backend.loginTimeoutMs, 'The GitHub login through the proxy');
    const observation = this.observers.loginStarted(start);
    const facts: StepFacts = { pages: 0 };
    try {
      const outcome = await step(await loadLoginTools(), deadline, facts);
      // A challenge again after a submitted code: GitHub refused that code (the pool answers CodeRefusedError).
      const ended = 'session' in outcome ? 'success' : start.submittingCode ? 'code_refused' : 'code_required';
      observation.end({ outcome: ended, pages: facts.pages });
      const fields = { requestId, user, outcome: ended, durationMs: elapsedMs(startedAt), pages: facts.pages };
      if ('session' in outcome) logEvent(this.logger, 'log', 'login.succeeded', 'Logged in through GitHub', fields);
      else if (ended === 'code_refused') logEvent(this.logger, 'log', 'login.code_refused', 'GitHub refused the code and asks for another', { ...fields, code: outcome.challenge.code });
      else logEvent(this.logger, 'log', 'login.code_required', 'The login waits for a code from the caller', { ...fields, code: outcome.challenge.code });
      return outcome;
    } catch (error) {
      const outcome = loginOutcomeOf(error);
      observation.end({ outcome, pages: facts.pages });
      const fields = { requestId, user, outcome, durationMs: elapsedMs(startedAt), pages: facts.pages, ...failureFields(error) };
      // A captcha has its own warning, once a minute: each login meeting one is not the operator's news.
      logEvent(this.logger, error instanceof CaptchaRequiredError ? 'log' : 'warn', 'login.failed', 'The login through GitHub failed', fields);
      throw error;
    } finally {
      deadline.dispose();
    }
  }

  /** Where the login stands once `page` is reached: logged in, or the next form to fill. */
  private async continueFrom(
    page: BackendResponse,
    credentials: BackendCredentials,
    route: LoginRoute,
    tools: LoginTools,
    waiting?: { code: string; waitingFor: CodeKind },
  ): Promise<LoginOutcome> {
    const { session } = route.jar;
    let submittedCode = waiting?.code;
    let afterPassword = submittedCode !== undefined;
    let passwordPosted = false;
    for (let step = 0; step < MAX_PAGES; step++) {
      if (session.hasLiveSession()) return { session, jar: route.jar };
      route.facts.pages += 1;
      const pageUrl = new URL(page.url);
      const parsed = tools.parseHtmlPage(page.text());
      if (pageUrl.origin !== route.github.origin) throw loginFailure.notOnGitHub(page, parsed, route, session);
      // GitHub failing: whatever its error page (at the code form's URL, it looked like the method chooser) says nothing of the account.
      if (page.status >= 500) throw loginFailure.githubFailing(page, route.requestId);
      const github = classifyGitHubPage(parsed, pageUrl);
      this.observers.loginPageMet(github.kind, pageUrl.pathname, route.requestId);
      switch (github.kind) {
        case 'captcha':
          // On the login page too: each login meeting it would take a start of the budget that no throttle counts.
          this.captchaUntil = Date.now() + CAPTCHA_HOLD_MS;
          throw githubPage.captcha(pageUrl, route.requestId, afterPassword);
        case 'login':
          if (github.lockedOut) throw loginFailure.lockedOut(this.options.backend.githubLockoutMs);
          // A login form after the password was posted: refused (whether by the password or a code).
          if (passwordPosted) throw loginFailure.refused();
          // After a code alone, posted to the login that waited for it: GitHub no longer holds that login, no verdict on anything.
          if (waiting !== undefined) throw loginFailure.waitingLoginEnded(waiting.waitingFor);
          // GitHub asked for a captcha lately: a password posted now would meet it again, a guess GitHub sees.
          this.assertPasswordNotHeld();
          page = await this.post(github.form, [['login', credentials.username], ['password', credentials.password], ['commit', 'Sign in']], route);
          afterPassword = true;
          passwordPosted = true;
          break;
        case 'code': {
          const challenge: CodeChallenge = { code: github.code, form: github.form, field: github.field, jar: route.jar, startUrl: route.startUrl };
          const code = submittedCode ?? credentials.otp;
          // Asked again after a code was posted: that code was refused; the caller must send another.
          if (code === undefined || submittedCode !== undefined) return { challenge };
          page = await this.post(github.form, [[github.field, code]], route);
          submittedCode = code;
          break;
        }
        case 'other-method':
          if (github.alternative !== undefined) page = await this.followLink(github.alternative, route);
          else throw github.showing === 'security-key' ? loginFailure.securityKeyOnly() : afterGitHubSignIn(githubPage.noCodeMethod(github.showing));
          break;
        case 'interstitial':
          // "Remind me later": the code already posted is never posted again, and no new one is asked for.
          if (github.postpone === undefined) throw githubPage.unknownAfterPassword(pageUrl, page.status, route.requestId);
          page = await this.post(github.postpone, [], route);
          break;
        case 'consent':
          throw afterGitHubSignIn(githubPage.reauthorize());
        case 'unknown':
          if (afterPassword) throw githubPage.unknownAfterPassword(pageUrl, page.status, route.requestId);
          throw loginFailure.ofPage(github.kind, page, route.requestId);
        default:
          throw loginFailure.ofPage(github.kind, page, route.requestId);
      }
    }
    throw loginFailure.ofPage('unknown', page, route.requestId);
  }

  /** Posts `form` with `values` set over its own controls: only to GitHub's origin, over https (http on loopback). */
  private post(form: SubmittableForm, values: Array<[string, string]>, route: LoginRoute): Promise<BackendResponse> {
    const target = this.options.backend.githubSessionUrl !== undefined && values.some(([name]) => name === 'password')
      ? this.options.backend.githubSessionUrl
      : form.action;
    if (target.origin !== route.github.origin || !isSecureTransport(target)) throw loginFailure.formElsewhere(target, route.requestId);
    const own = new Set([...values.map(([name]) => name), ...OWN_FIELDS]);
    const fields = [...form.fields.filter(([name]) => !own.has(name)), ...values];
    const headers = { ...htmlHeaders(route.requestId), 'content-type': 'application/x-www-form-urlencoded' };
    return this.http.follow({ method: 'POST', url: target, headers, body: Buffer.from(new URLSearchParams(fields).toString()) }, route.follow);
  }

  /** Opens a link of GitHub's page: only on GitHub's origin, over https (http on loopback), like a form. */
  private followLink(link: URL, route: LoginRoute): Promise<BackendResponse> {
    if (link.origin !== route.github.origin || !isSecureTransport(link)) {
      throw loginFailure.detour("A link of GitHub's page leads outside backend.githubUrl; it was not followed.", link, route.requestId);
    }
    return this.http.follow({ method: 'GET', url: link, headers: htmlHeaders(route.requestId) }, route.follow);
  }

  private routeOf(startUrl: URL, requestId: string, jar: LoginCookieJar, deadline: CallDeadline, facts: StepFacts): LoginRoute {
    const github = this.options.backend.githubUrl;
    const follow: FollowOptions = {
      deadline,
      jar,
      // Once the proxy's cookie is set, its redirect to the original target (the backend) is not worth following.
      mayFollow: (target, hop) => !jar.session.hasLiveSession() && staysOnLoginRoute(target, hop.url, route),
      onUnsafeRedirect: (why, target) => {
        throw loginFailure.detour(`The login met ${why}; it was not followed.`, target, requestId);
      },
      peerName: (url) => (url.origin === github.origin ? 'GitHub' : 'the proxy'),
    };
    const route: LoginRoute = { startUrl, github, requestId, jar, follow, facts };
    return route;
  }
}

function elapsedMs(since: number): number {
  return Math.round(performance.now() - since);
}

/** What the caller was answered (the library's own text, never the caller's input), or the class of an unexpected error. */
function failureFields(error: unknown): { status: number; reason: string } | { errorType: string } {
  if (error instanceof BackendError) return { status: error.statusCode, reason: error.content ?? error.reason };
  return { errorType: error instanceof Error ? error.name : typeof error };
}

function htmlHeaders(requestId: string): Record<string, string> {
  return { accept: 'text/html', 'x-request-id': requestId };
}

/** A redirect of the login may go to the proxy or to GitHub; anywhere else (an identity provider, named) ends the login, unfollowed. */
function staysOnLoginRoute(target: URL, from: URL, route: LoginRoute): boolean {
  if (target.origin === route.startUrl.origin || target.origin === route.github.origin) return true;
  if (isIdentityProviderRedirect(from, target, route.github)) throw githubPage.identityProvider(target, route.requestId);
  throw loginFailure.detour('The login was redirected outside the proxy and GitHub; it was not followed.', target, route.requestId);
}

