import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackendError } from '../../errors/backend-error.js';
import { isSecureTransport } from '../../http-request/loopback-host.js';
import { APIKIT_RESOLVED_OPTIONS } from '../../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../../options/apikit-options.interface.js';
import { BACKEND_AUTH_LOGGER_CONTEXT } from '../backend-auth.constants.js';
import type { BackendCredentials } from '../context/backend-credentials.js';
import { BackendHttpClient, type FollowOptions } from '../http/backend-http.client.js';
import type { BackendResponse } from '../http/backend-response.js';
import { CallDeadline } from '../http/call-deadline.js';
import { upstreamFailure } from '../http/upstream-failure.js';
import { findLoginForm, isOAuthAuthorizationPage } from './github-login-page.classifier.js';
import type { parseHtmlPage } from './html-form.parser.js';
import { loadLoginTools } from './login-tools.loader.js';
import type { ProxySessionJar } from './proxy-session.jar.js';

/** Fields the flow fills itself; a hidden input of the same name must not override them. */
const OWN_FIELDS = new Set(['login', 'password', 'commit']);

/** Where one login may go: the proxy (start, callback) and GitHub (login page, password form). */
interface LoginRoute {
  proxyOrigin: string;
  github: URL;
  requestId: string;
}

/**
 * The oauth2-proxy + GitHub password login (backend-auth.md): start at the proxy, fill
 * GitHub's login form, follow the redirects back to the proxy's callback. Succeeds only
 * when the proxy's session cookie is in the jar; every other outcome is a classified
 * `BackendError`. Logs the attempt and its outcome with the username, never the password.
 *
 * The password goes to `backend.githubUrl`'s origin and nowhere else: the login page and its
 * form must be there, over https (http only on loopback); redirects may only move between the
 * proxy and GitHub, never from https to http, and never carry the password to another origin.
 */
@Injectable()
export class BitlyProxyLoginFlow {
  private readonly logger = new Logger(BACKEND_AUTH_LOGGER_CONTEXT);

  constructor(
    private readonly http: BackendHttpClient,
    @Inject(APIKIT_RESOLVED_OPTIONS) private readonly options: ResolvedApiKitOptions,
  ) {}

  /** A fresh cookie jar holding the proxy session of `credentials` (and only the proxy's cookies). */
  async login(credentials: BackendCredentials, startUrl: URL, requestId: string): Promise<ProxySessionJar> {
    const who = `${JSON.stringify(credentials.username)} [request ${requestId}]`;
    this.logger.log(`Logging in to ${startUrl.origin} through GitHub as ${who}`);
    const deadline = new CallDeadline(this.options.backend.loginTimeoutMs, 'The GitHub login through the proxy');
    try {
      const jar = await this.submitGitHubPassword(credentials, startUrl, requestId, deadline);
      this.logger.log(`Login as ${who} succeeded`);
      return jar;
    } catch (error) {
      const outcome = error instanceof BackendError ? `${error.statusCode} ${error.content ?? error.reason}` : 'unexpected error';
      this.logger.warn(`Login as ${who} failed: ${outcome}`);
      throw error;
    } finally {
      deadline.dispose();
    }
  }

  /** Start at the proxy, post the password to GitHub's form, follow the redirects back to the proxy's callback. */
  private async submitGitHubPassword(
    credentials: BackendCredentials,
    startUrl: URL,
    requestId: string,
    deadline: CallDeadline,
  ): Promise<ProxySessionJar> {
    const { ProxySessionJar, LoginCookieJar, parseHtmlPage } = await loadLoginTools();
    const { githubUrl, githubSessionUrl, cookies } = this.options.backend;
    const route: LoginRoute = { proxyOrigin: startUrl.origin, github: githubUrl, requestId };
    const session = new ProxySessionJar(startUrl, cookies);
    const jar = new LoginCookieJar(session, githubUrl.origin);
    const headers = { accept: 'text/html', 'x-request-id': requestId };
    // Once the proxy's cookie is set, its redirect to the original target (the backend) is not worth following.
    const loggedIn = (): boolean => session.hasLiveSession();
    const follow: FollowOptions = {
      deadline,
      jar,
      mayFollow: (target) => !loggedIn() && staysOnLoginRoute(target, route),
      onUnsafeRedirect: (why, target) => {
        throw loginDetour(`The login met ${why}; it was not followed.`, target, route);
      },
      peerName: (url) => (url.origin === githubUrl.origin ? 'GitHub' : 'the proxy'),
    };
    const loginPage = await this.http.follow({ method: 'GET', url: startUrl, headers }, follow);
    if (loggedIn()) return session;
    const pageUrl = new URL(loginPage.url);
    const page = parseHtmlPage(loginPage.text());
    const form = findLoginForm(page, pageUrl);
    if (form === undefined) {
      if (isOAuthAuthorizationPage(page, pageUrl)) throw authorizationPageError();
      throw unknownPageError(loginPage, 'without a GitHub login form', route);
    }
    if (pageUrl.origin !== githubUrl.origin) throw passwordFormElsewhereError(pageUrl, route);
    const sessionUrl = githubSessionUrl ?? form.action;
    if (sessionUrl.origin !== githubUrl.origin || !isSecureTransport(sessionUrl)) {
      throw loginDetour('GitHub\'s login form posts outside backend.githubUrl; the password was not sent.', sessionUrl, route);
    }
    const fields = form.hidden.filter(([name]) => !OWN_FIELDS.has(name));
    fields.push(['login', credentials.username], ['password', credentials.password], ['commit', 'Sign in']);
    const answer = await this.http.follow(
      {
        method: 'POST',
        url: sessionUrl,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: Buffer.from(new URLSearchParams(fields).toString()),
      },
      { ...follow, mayFollow: (target, hop) => !isTwoFactorChallenge(target) && follow.mayFollow!(target, hop) },
    );
    if (loggedIn()) return session;
    throw classifyFailedLogin(answer, parseHtmlPage, route);
  }
}

/** A redirect of the login may go to the proxy or to GitHub; anywhere else ends the login, unfollowed. */
function staysOnLoginRoute(target: URL, route: LoginRoute): boolean {
  if (target.origin === route.proxyOrigin || target.origin === route.github.origin) return true;
  throw loginDetour('The login was redirected outside the proxy and GitHub; it was not followed.', target, route);
}

function loginDetour(publicText: string, target: URL, route: LoginRoute): BackendError {
  return upstreamFailure(502, publicText, `Target: ${target.origin}${target.pathname}.`, route.requestId);
}

/** A password form that is not GitHub's: oauth2-proxy's own htpasswd sign-in, or a page somewhere else. */
function passwordFormElsewhereError(pageUrl: URL, route: LoginRoute): BackendError {
  const hint =
    pageUrl.origin === route.proxyOrigin
      ? "The proxy answered its own sign-in form: auth.data.endpoint must be the proxy's /oauth2/start, not its sign-in page."
      : 'The login reached a password form outside backend.githubUrl.';
  return upstreamFailure(502, `${hint} The password was not sent.`, `Page: ${pageUrl.origin}${pageUrl.pathname}.`, route.requestId);
}

function isTwoFactorChallenge(location: URL): boolean {
  return /\/(sessions?\/two-factor|login\/two-factor)/.test(location.pathname);
}

/** Why the POST of the login form did not end with the proxy's session cookie. */
function classifyFailedLogin(answer: BackendResponse, parse: typeof parseHtmlPage, route: LoginRoute): BackendError {
  const location = answer.header('location');
  if (location !== undefined && URL.canParse(location, answer.url) && isTwoFactorChallenge(new URL(location, answer.url))) {
    return new BackendError(
      'Unauthorized',
      401,
      'GitHub asks this account for a two-factor code: accounts with two-factor authentication cannot use password login.',
    );
  }
  const pageUrl = new URL(answer.url);
  const page = parse(answer.text());
  if (findLoginForm(page, pageUrl) !== undefined) {
    return new BackendError('Unauthorized', 401, 'GitHub refused the username or password.');
  }
  if (isOAuthAuthorizationPage(page, pageUrl)) return authorizationPageError();
  return unknownPageError(answer, "without the proxy's session cookie", route);
}

function authorizationPageError(): BackendError {
  return new BackendError(
    'Bad Gateway',
    502,
    "GitHub asks this user to authorize the proxy's OAuth app: authorize it once in a browser, then retry.",
  );
}

function unknownPageError(answer: BackendResponse, what: string, route: LoginRoute): BackendError {
  const url = new URL(answer.url);
  return upstreamFailure(
    502,
    `The login through the proxy ended on an unexpected page (status ${answer.status}) ${what}.`,
    `Page: ${url.origin}${url.pathname}.`,
    route.requestId,
  );
}
