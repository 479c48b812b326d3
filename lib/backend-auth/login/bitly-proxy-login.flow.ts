import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackendError } from '../../errors/backend-error.js';
import { APIKIT_RESOLVED_OPTIONS } from '../../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../../options/apikit-options.interface.js';
import { BACKEND_AUTH_LOGGER_CONTEXT } from '../backend-auth.constants.js';
import type { BackendCredentials } from '../context/backend-credentials.js';
import { BackendHttpClient } from '../http/backend-http.client.js';
import type { BackendResponse } from '../http/backend-response.js';
import { CallDeadline } from '../http/call-deadline.js';
import { findLoginForm, isOAuthAuthorizationPage } from './github-login-page.classifier.js';
import type { parseHtmlPage } from './html-form.parser.js';
import { loadLoginTools } from './login-tools.loader.js';
import type { ProxySessionJar } from './proxy-session.jar.js';

/** Fields the flow fills itself; a hidden input of the same name must not override them. */
const OWN_FIELDS = new Set(['login', 'password', 'commit']);

/**
 * The oauth2-proxy + GitHub password login (backend-auth.md): start at the proxy, fill
 * GitHub's login form, follow the redirects back to the proxy's callback. Succeeds only
 * when the proxy's session cookie is in the jar; every other outcome is a classified
 * `BackendError`. Logs the attempt and its outcome with the username, never the password.
 */
@Injectable()
export class BitlyProxyLoginFlow {
  private readonly logger = new Logger(BACKEND_AUTH_LOGGER_CONTEXT);

  constructor(
    private readonly http: BackendHttpClient,
    @Inject(APIKIT_RESOLVED_OPTIONS) private readonly options: ResolvedApiKitOptions,
  ) {}

  /** A fresh cookie jar holding the proxy session of `credentials`. */
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
    const { ProxySessionJar, parseHtmlPage } = await loadLoginTools();
    const jar = new ProxySessionJar(startUrl);
    const headers = { accept: 'text/html', 'x-request-id': requestId };
    // Once the proxy's cookie is set, its redirect to the original target (the backend) is not worth following.
    const loggedIn = (): boolean => jar.hasLiveSession();
    const loginPage = await this.http.follow({ method: 'GET', url: startUrl, headers }, { deadline, jar, stopAt: loggedIn });
    if (loggedIn()) return jar;
    const pageUrl = new URL(loginPage.url);
    const page = parseHtmlPage(loginPage.text());
    const form = findLoginForm(page, pageUrl);
    if (form === undefined) {
      if (isOAuthAuthorizationPage(page, pageUrl)) throw authorizationPageError();
      throw unknownPageError(loginPage, 'without a GitHub login form');
    }
    const fields = form.hidden.filter(([name]) => !OWN_FIELDS.has(name));
    fields.push(['login', credentials.username], ['password', credentials.password], ['commit', 'Sign in']);
    const { githubSessionUrl } = this.options.backend;
    const sessionUrl = githubSessionUrl ? new URL(githubSessionUrl) : form.action;
    const answer = await this.http.follow(
      {
        method: 'POST',
        url: sessionUrl,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: Buffer.from(new URLSearchParams(fields).toString()),
      },
      { deadline, jar, stopAt: (location) => loggedIn() || isTwoFactorChallenge(location) },
    );
    if (loggedIn()) return jar;
    throw classifyFailedLogin(answer, parseHtmlPage);
  }
}

function isTwoFactorChallenge(location: URL): boolean {
  return /\/(sessions?\/two-factor|login\/two-factor)/.test(location.pathname);
}

/** Why the POST of the login form did not end with the proxy's session cookie. */
function classifyFailedLogin(answer: BackendResponse, parse: typeof parseHtmlPage): BackendError {
  const location = answer.header('location');
  if (location !== undefined && isTwoFactorChallenge(new URL(location, answer.url))) {
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
  return unknownPageError(answer, "without the proxy's session cookie");
}

function authorizationPageError(): BackendError {
  return new BackendError(
    'Bad Gateway',
    502,
    "GitHub asks this user to authorize the proxy's OAuth app: authorize it once in a browser, then retry.",
  );
}

function unknownPageError(answer: BackendResponse, what: string): BackendError {
  const url = new URL(answer.url);
  return new BackendError(
    'Bad Gateway',
    502,
    `The login flow ended at ${url.origin}${url.pathname} (status ${answer.status}) ${what}: unexpected page shape.`,
  );
}
