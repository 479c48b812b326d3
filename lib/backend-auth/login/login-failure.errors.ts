import { Logger } from '@nestjs/common';
import { BackendError } from '../../errors/backend-error.js';
import { withLoginOutcome } from '../../observability/index.js';
import { logEvent } from '../../logging/index.js';
import { BACKEND_AUTH_LOGGER_CONTEXT } from '../backend-auth.constants.js';
import type { BackendResponse } from '../http/backend-response.js';
import { upstreamFailure } from '../http/upstream-failure.js';
import { type CodeKind, findLoginForm, type GitHubPage } from './github-login-page.classifier.js';
import type { HtmlPage } from './html-form.parser.js';
import type { ProxySessionJar } from './proxy-session.jar.js';

const logger = new Logger(BACKEND_AUTH_LOGGER_CONTEXT);

/** The header GitHub's own API used for one-time codes, kept for the same purpose: `required; app`. */
export const OTP_HEADER = 'X-GitHub-OTP';

/** GitHub did not accept the caller's code: counted against the username (not the password's identity). */
export class CodeRefusedError extends BackendError {
  constructor(code: CodeKind, content: string) {
    super('Unauthorized', 401, content, { [OTP_HEADER]: `required; ${code}` });
    withLoginOutcome(this, 'code_refused');
  }
}

/** GitHub asks for a code the caller has not sent yet: not a refusal, so no throttle counts it. */
export class CodeRequiredError extends BackendError {
  constructor(
    readonly code: CodeKind,
    content: string,
  ) {
    super('Unauthorized', 401, content, { [OTP_HEADER]: `required; ${code}` });
    withLoginOutcome(this, 'code_required');
  }
}

/** GitHub's lockout page: not the caller's failure; it holds that username's logins back for a while. */
export class GitHubLockoutError extends BackendError {
  constructor(seconds: number) {
    super(
      'Too Many Requests',
      429,
      `GitHub refuses sign-ins for now after several failed attempts from this account or this service's address; retry in ${seconds} s.`,
      { 'Retry-After': String(seconds) },
    );
    withLoginOutcome(this, 'locked_out');
  }
}

/**
 * Logins GitHub let past the password that the service still cannot complete: the proxy's callback failing after
 * GitHub authorised its OAuth app (a sign-in GitHub counts), GitHub's Authorize or re-authorise page, a second
 * factor without a code. Each is one of the account's sign-ins of the hour, though no throttle counts it: an
 * account of the caller's own ending there cannot loop logins, each a start of the service's budget.
 */
const AFTER_GITHUB_SIGN_IN = new WeakSet<object>();

/** Whether the login ended after GitHub let the user in (`AFTER_GITHUB_SIGN_IN`): the account's hourly bound counts it. */
export function endedAfterGitHubSignIn(error: unknown): boolean {
  return typeof error === 'object' && error !== null && AFTER_GITHUB_SIGN_IN.has(error);
}

export function afterGitHubSignIn(error: BackendError): BackendError {
  AFTER_GITHUB_SIGN_IN.add(error);
  return error;
}

const WHERE_CODES_COME_FROM: Record<CodeKind, string> = {
  app: 'the code of your authenticator app',
  sms: 'the code GitHub sent you by SMS',
  'device-verification': 'the device verification code GitHub emailed you',
};

/** The classified failures of a GitHub login through the proxy, with what the caller (or operator) can do. */
export const loginFailure = {
  refused: (): BackendError => withLoginOutcome(new BackendError('Unauthorized', 401, 'GitHub refused the username or password.'), 'wrong_password'),

  codeRequired: (code: CodeKind): CodeRequiredError =>
    new CodeRequiredError(code, `GitHub asks for ${WHERE_CODES_COME_FROM[code]}: send the same request again with the header ${OTP_HEADER}: <code>.`),

  /**
   * GitHub answered a code posted to a waiting login with its login page: that login ended there (it expired, or an
   * earlier post of a code completed it while its answer was lost). No verdict on the password or the code, so
   * nothing counts it; the caller starts again, and sends the code GitHub then asks for.
   */
  waitingLoginEnded: (code: CodeKind): CodeRequiredError =>
    new CodeRequiredError(code, `GitHub no longer holds the login that waited for the code: send the request again, then ${WHERE_CODES_COME_FROM[code]} it asks for with ${OTP_HEADER}.`),

  /** A wrong or expired code: the same answer, so the caller tries another; the throttle counts it. */
  codeRefused: (code: CodeKind): CodeRefusedError =>
    new CodeRefusedError(code, `GitHub did not accept the code; send ${WHERE_CODES_COME_FROM[code]} again with ${OTP_HEADER}.`),

  securityKeyOnly: (): BackendError =>
    new BackendError(
      'Unauthorized',
      401,
      'GitHub asks this account for a security key (WebAuthn), which cannot be used without a browser: add an authenticator app to the account to use this service.',
    ),

  lockedOut: (lockoutMs: number): GitHubLockoutError => new GitHubLockoutError(Math.ceil(lockoutMs / 1000)),

  detour: (publicText: string, target: URL, requestId: string): BackendError =>
    upstreamFailure(502, publicText, `Target: ${target.origin}${target.pathname}.`, requestId),

  formElsewhere: (target: URL, requestId: string): BackendError =>
    upstreamFailure(502, "GitHub's form posts outside backend.githubUrl; the password was not sent.", `Action: ${target.origin}${target.pathname}.`, requestId),

  /** The login left GitHub without the proxy's session: a refusal at its callback, a sign-in form, a cookie it could not keep, or something else. */
  notOnGitHub(page: BackendResponse, parsed: HtmlPage, route: { startUrl: URL; requestId: string }, session: ProxySessionJar): BackendError {
    const pageUrl = new URL(page.url);
    const detail = `Page: ${pageUrl.origin}${pageUrl.pathname} (status ${page.status}).`;
    if (session.droppedSecureCookies) {
      return upstreamFailure(
        502,
        'The proxy sets Secure cookies but is reached over plain http, so they cannot be kept and its callback fails: use https for auth.data.endpoint, or run oauth2-proxy with --cookie-secure=false.',
        detail,
        route.requestId,
      );
    }
    // The callback's own answer (no redirect is followed from a >= 400), which sets no cookie: `sawCallback` stays false.
    // GitHub authorised the app on the way here: a sign-in it counted, whichever failure this is (a user the proxy
    // refuses must not sign in again and again, each login uncounted, until the service's login budget is gone).
    if (pageUrl.origin === route.startUrl.origin && pageUrl.pathname.endsWith('/callback') && page.status >= 400) {
      return afterGitHubSignIn(page.status >= 500 ? loginFailure.callbackFailed(detail, route.requestId) : loginFailure.refusedAtCallback(detail, route.requestId));
    }
    if (pageUrl.origin === route.startUrl.origin && findLoginForm(parsed, pageUrl) === undefined && session.sawCallback) {
      return upstreamFailure(
        502,
        `The proxy's callback did not set its session cookie (${session.cookieName}): if oauth2-proxy runs with another --cookie-name, set backend.proxyCookieName.`,
        detail,
        route.requestId,
      );
    }
    if (findLoginForm(parsed, pageUrl) !== undefined) {
      const hint =
        pageUrl.origin === route.startUrl.origin
          ? "The proxy answered its own sign-in form: auth.data.endpoint must be the proxy's /oauth2/start, not its sign-in page."
          : 'The login reached a password form outside backend.githubUrl.';
      return upstreamFailure(502, `${hint} The password was not sent.`, detail, route.requestId);
    }
    return loginFailure.ofPage('unknown', page, route.requestId);
  },

  /**
   * The proxy's callback answered 4xx after GitHub let the user in: `Authorize` refused the session (oauthproxy.go
   * OAuthCallback: 403 "Invalid session: unauthorized", for `--email-domain`, allowed users or groups). Like
   * `upstreamFailure`: the page and status in the log only.
   */
  refusedAtCallback(detail: string, requestId: string): BackendError {
    const content = "The proxy refused the login after GitHub let the user in (its allowed users, e-mail domains or groups).";
    logEvent(logger, 'warn', 'login.proxy_refused', 'The proxy refused the login after GitHub let the user in', { requestId, outcome: 'proxy_refused', detail });
    return withLoginOutcome(new BackendError('Forbidden', 403, content), 'proxy_refused');
  },

  /**
   * The proxy's callback answered 5xx after GitHub let the user in. oauth2-proxy answers its one 500 error page (its
   * message shown only with --show-debug-on-error) to any failure of `redeemCodeAndEnrichSession`: GitHub's code
   * exchange or API failing (an outage, a dropped connection), and `--github-org`/`--github-team` refusing the user or
   * a SAML SSO org hiding itself from the token (providers/github.go EnrichSession -> checkRestrictions). Which one it
   * was cannot be told from the page: a 502, since a retry may pass, naming both.
   */
  callbackFailed(detail: string, requestId: string): BackendError {
    return upstreamFailure(
      502,
      "The proxy's callback failed after GitHub let the user in: it could not complete the login with GitHub (an outage: retry), or it refuses the user (organisation or team membership, or SAML SSO, which a login without a browser cannot satisfy).",
      detail,
      requestId,
    );
  },

  /** GitHub answered 5xx (an outage): a 502 the caller may retry, and nothing read into its error page. */
  githubFailing(page: BackendResponse, requestId: string): BackendError {
    const url = new URL(page.url);
    return upstreamFailure(502, `GitHub answered ${page.status} (an outage): retry later.`, `Page: ${url.origin}${url.pathname}.`, requestId);
  },

  /** The pages the flow cannot go past (the re-authorise page is `githubPage.reauthorize`'s). */
  ofPage(kind: GitHubPage['kind'], page: BackendResponse, requestId: string): BackendError {
    switch (kind) {
      case 'authorize':
        return afterGitHubSignIn(new BackendError('Bad Gateway', 502, "GitHub asks this user to authorize the proxy's OAuth app: authorize it once in a browser, then retry."));
      case 'account-picker':
        return new BackendError(
          'Bad Gateway',
          502,
          "GitHub shows an account picker, as it does to OAuth apps whose callback is not https: give the proxy's OAuth app an https callback URL.",
        );
      default: {
        const url = new URL(page.url);
        return upstreamFailure(502, `The login through the proxy ended on an unexpected page (status ${page.status}).`, `Page: ${url.origin}${url.pathname}.`, requestId);
      }
    }
  },
};

/**
 * The throttle's answers, whether this process or the replicas' shared store holds the login back:
 * 429 + Retry-After rather than 401, so the caller learns it is throttled (and when to retry)
 * instead of another credential verdict. `remainingMs`: how long the hold lasts.
 */
export const throttled = {
  lockedOut: (remainingMs: number): BackendError =>
    withLoginOutcome(
      tooManyRequests(remainingMs, (s) => `GitHub refuses sign-ins of this account for now after several failed attempts; retry in ${s} s.`),
      'locked_out',
    ),
  /** The message is the library's own, whatever a shared store holds: nothing stored reaches the caller. */
  identityRefused: (remainingMs: number): BackendError =>
    tooManyRequests(remainingMs, (s) => `The last login of this user failed (GitHub refused the username or password); not retrying for ${s} s.`),
  usernameRefused: (remainingMs: number): BackendError =>
    tooManyRequests(remainingMs, (s) => `Too many refused logins for this username; retry in ${s} s.`),
  addressRefused: (remainingMs: number): BackendError =>
    tooManyRequests(remainingMs, (s) => `Too many failed logins from your address; retry in ${s} s.`),
  /** `loginBudget.perIdentityPerHour`: GitHub asks the user to authorise the OAuth app again past 10 sign-ins an hour. */
  signInsPerHour: (signIns: number, remainingMs: number): BackendError =>
    tooManyRequests(
      remainingMs,
      (s) =>
        `This account signed in ${signIns} times through the proxy in the last hour, as many as GitHub allows before it asks to authorise the proxy's OAuth app again; retry in ${s} s.`,
    ),
};

function tooManyRequests(remainingMs: number, content: (seconds: number) => string): BackendError {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
  return withLoginOutcome(new BackendError('Too Many Requests', 429, content(seconds), { 'Retry-After': String(seconds) }), 'throttled');
}
