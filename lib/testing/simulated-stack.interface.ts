import type { IncomingMessage, ServerResponse } from 'node:http';

/** A second factor GitHub asks for after the password: an authenticator app, SMS (or both), or a security key (alone, or with an app). */
export type SimulatedTwoFactor = 'app' | 'sms' | 'app+sms' | 'webauthn' | 'webauthn+app';

/** A GitHub account of the simulated site. */
export interface SimulatedUser {
  login: string;
  password: string;
  /** After the password GitHub asks for this second factor (`true` means `'app'`); codes: `stack.twoFactorCode(login)`. */
  twoFactor?: boolean | SimulatedTwoFactor;
  /**
   * Without two-factor: from a device it does not recognise (no `_device_id` cookie of this user), GitHub
   * emails a code to verify it first (`stack.emailedCode(login)`), then sets the cookie.
   */
  deviceVerification?: boolean;
  /**
   * The user's preferred 2FA method, which decides GitHub's first page after the password (with links to the
   * others): `'mobile'` a GitHub Mobile push approval (`/sessions/two-factor/mobile`, no code field), `'sms'` the
   * "Send SMS" page (`/sessions/two-factor/sms/confirm`) whose button a captcha guards, `'webauthn'` a passkey or
   * security-key page linking only to the method chooser (`/sessions/two-factor`). `'mobile'` and `'webauthn'` need an
   * app or SMS in `twoFactor`. Unset: `twoFactor`'s code page at once, an SMS sent without a captcha (the lenient shape).
   */
  preferred2fa?: 'app' | 'sms' | 'mobile' | 'webauthn';
}

/**
 * Why oauth2-proxy's `--github-org` / `--github-team` refuses a user at its callback (providers/github.go
 * `checkRestrictions`): not a member of the org, not in the team, or an org enforcing SAML SSO, whose
 * resources (`/user/orgs` included) a token not authorised through a SAML session does not see.
 */
/**
 * Why the proxy's callback refuses a user GitHub let in: `--github-org`, `--github-team` or an org's SAML SSO (its 500
 * error page), or `--email-domain` (its `Authorize`: 403 "Invalid session: unauthorized").
 */
export type SimulatedProxyRestriction = 'org' | 'team' | 'saml' | 'email-domain';

/** A code the simulated GitHub "sent" or expects: what a real user would read on a phone or in a mailbox. */
export interface SimulatedCode {
  login: string;
  kind: 'app' | 'sms' | 'device-verification';
  code: string;
}

/** What the simulated proxy tells the backend about the request it forwards. */
export interface SimulatedBackendContext {
  /** The GitHub login the proxy session belongs to. */
  user: string;
  /** The inbound `X-Request-Id`, when the caller sent one. */
  requestId?: string;
}

/**
 * The upstream behind the simulated oauth2-proxy. It receives only authenticated requests,
 * with `X-Forwarded-User` / `X-Forwarded-Email` set as the real proxy does.
 */
export type SimulatedBackendHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: SimulatedBackendContext,
) => void | Promise<void>;

export interface SimulatedStackOptions {
  /** GitHub accounts; default `[{ login: 'demo', password: 'demo' }]`. */
  users?: SimulatedUser[];
  /** Loopback address both servers listen on; default `'127.0.0.1'`. */
  host?: string;
  /** Lifetime of the `_oauth2_proxy` session (cookie and server side); default 168 h like oauth2-proxy. */
  proxySessionLifetimeMs?: number;
  /** `Secure` flag on the proxy's and GitHub's cookies (both set it in production); default true. */
  cookieSecure?: boolean;
  /**
   * Serve the proxy and GitHub over https with this certificate (PEM), as they run in production;
   * clients must trust it (e.g. `NODE_EXTRA_CA_CERTS`). Default: plain http.
   */
  tls?: { key: string; cert: string };
  /** Issue the session as `_oauth2_proxy_0`, `_oauth2_proxy_1` like oauth2-proxy does for large sessions; default false. */
  splitSessionCookie?: boolean;
  /** The backend behind the proxy; default the technote's `GET /api?metric=..&job=..` (see `simulatedBackendHandler`). */
  backendHandler?: SimulatedBackendHandler;
  /** oauth2-proxy's `--cookie-name`; default `_oauth2_proxy`. */
  proxyCookieName?: string;
  /** oauth2-proxy's `--cookie-csrf-per-request`: CSRF cookies named `<name>_<8 chars>_csrf`; default false (`<name>_csrf`). */
  csrfPerRequest?: boolean;
  /** oauth2-proxy's `--skip-provider-button`: unauthenticated requests are redirected to GitHub, not shown the sign-in page. */
  skipProviderButton?: boolean;
  /** oauth2-proxy's `--api-route`: path prefixes answered 401 when unauthenticated, whatever `Accept` says. */
  apiRoutes?: string[];
  /** oauth2-proxy's `--htpasswd-file`: its sign-in page also has a username/password form (posts are counted, never accepted). */
  htpasswdForm?: boolean;
  /** oauth2-proxy's `--proxy-prefix` (`/auth`: `/auth/start`, `/auth/callback`, `/auth/sign_in`); default `/oauth2`. */
  proxyPrefix?: string;
  /**
   * The proxy behind nginx's `auth_request` with `error_page 401 = <prefix>/sign_in` (bitly's README): a request
   * without a usable session gets the sign-in page with status 200, whatever its `Accept`, and no `Set-Cookie`
   * (nginx drops the auth subrequest's). Default false: oauth2-proxy in front, 401 `{}` or the 403 sign-in page.
   */
  nginxAuthRequest?: boolean;
  /**
   * Sign-ins of one user to the OAuth app within an hour, after which the next one in that hour shows GitHub's
   * re-authorise page instead of a code ("Rate limits for OAuth apps": ten); default 10, 0 never.
   */
  oauthSignInsPerHour?: number;
  /** Refused passwords of one account after which GitHub shows its lockout message instead; default 10, 0 never. */
  lockoutAfterFailures?: number;
  /** Refuse (422) a password POST without the form's timestamp, its secret and the empty honeypot field; default true. */
  strictLoginForm?: boolean;
  /** Refuse (403) requests without a User-Agent, as GitHub does; default true. */
  requireUserAgent?: boolean;
  /** Told each code GitHub sends by SMS or email, or expects from an app, as it shows the code page (the demo prints them). */
  onCode?: (code: SimulatedCode) => void;
  /**
   * The base URLs (`http://host:port`, no path) clients reach the proxy and GitHub at, when something of their own
   * sits in front of the servers, such as a fault-injecting TCP relay: the stack gives these out (redirects, the OAuth
   * callback, the proxy's code exchange with GitHub, `proxyUrl`/`githubUrl`). Default: the servers' own URLs.
   */
  publicUrls?: { proxy?: string; github?: string };
}

/** One request that the proxy let through to the backend. */
export interface SimulatedBackendLogEntry {
  /** The login the request was authenticated as. */
  user: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Path and query string as received. */
  url: string;
  requestId?: string;
  /** The W3C `traceparent` the request carried, when it did. */
  traceparent?: string;
  /** The W3C `tracestate` the request carried, when it did. */
  tracestate?: string;
}

/** Counters of a running stack, for assertions. */
export interface SimulatedStackStats {
  /** Successful GitHub password logins (two-factor challenges excluded), for one login or in total. */
  logins(login?: string): number;
  /** GitHub password logins rejected for a wrong login or password. */
  failedLogins(login?: string): number;
  /** Two-factor and device codes GitHub refused (GitHub counts them toward its lockout too). */
  failedCodes(login?: string): number;
  /** Password forms posted to GitHub (`POST /session`), right or wrong. */
  passwordPosts(login?: string): number;
  /** Two-factor and device codes posted to GitHub, right or wrong. */
  codePosts(login?: string): number;
  /** OAuth sign-ins through a GitHub web session kept from an earlier one: no password, no code. */
  authorizeOnlySignIns(login?: string): number;
  /**
   * Pages GitHub answered with a captcha (`faults.loginCaptcha`, the "Send SMS" page): per account, or under ''
   * for the login page before any account was named.
   */
  captchaAnswers(login?: string): number;
  /** Every sign-in: with the password (`logins`) or through a kept web session (`authorizeOnlySignIns`). */
  signIns(login?: string): number;
  /** Correct passwords of two-factor users, answered with the two-factor challenge. */
  twoFactorChallenges(login?: string): number;
  /** `_oauth2_proxy` sessions issued by the proxy's callback. */
  proxySessions(login?: string): number;
  /** Requests that reached the backend (faulty answers included), per authenticated user or in total. */
  backendRequests(login?: string): number;
  /** The most requests the GitHub site was answering at once: how many logins a client ran in parallel. */
  readonly peakGithubRequestsInFlight: number;
  /** GitHub requests that carried a W3C `traceparent`: a client should send its trace context to its backend only. */
  tracedGithubRequests(): number;
  /** Username/password posts to the proxy's own sign-in form (`htpasswdForm`). */
  proxySignInPosts(): number;
  readonly backendLog: ReadonlyArray<SimulatedBackendLogEntry>;
  reset(): void;
}

/**
 * Fault switches; a change is effective for the next request. Assignments are validated
 * (a bad value or an unknown name throws).
 */
export interface SimulatedFaults {
  /** The GitHub site destroys every connection (unreachable). */
  githubDown: boolean;
  /** The GitHub site answers after this delay (pages and the proxy's code redemption alike). */
  githubDelayMs: number;
  /**
   * GitHub is in an outage: every request (pages, the OAuth code exchange, the API) is answered this 5xx status
   * (500-599) with its error page, until set back to undefined.
   */
  githubStatus?: number;
  /** The proxy front destroys every connection. */
  proxyDown: boolean;
  /** `/login` answers a page without the login form (GitHub changed its page). */
  loginPageWithoutForm: boolean;
  /** `/login/oauth/authorize` answers GitHub's "Authorize application" page instead of redirecting. */
  oauthAppAuthorizationPage: boolean;
  /**
   * The backend answers this status (200-599) with a text body (401 and 403: a JSON error of its own,
   * `{"detail": ...}`, which is neither the proxy's `{}` nor its pages) ...
   */
  backendStatus?: number;
  /** ... for this many requests (default Infinity), then normally again: the fault then switches itself off (status undefined, times Infinity). */
  backendStatusTimes: number;
  /** The backend answers after this delay. */
  backendDelayMs: number;
  /** The backend destroys the connection. */
  backendReset: boolean;
  /** The backend answers a `text/plain` body of this many bytes. */
  backendBodyBytes?: number;
  /** GitHub shows its account picker (to OAuth apps whose callback is not https) instead of authorizing. */
  accountPicker: boolean;
  /** GitHub asks the user to authorize the app again for new scopes (oauth2-proxy 7.6+ asks `read:org`). */
  consentRequired: boolean;
  /** Hostile: GitHub's login form has this `action`, as written (another origin, plain http, or no URL at all such as `http://`). */
  loginFormAction?: string;
  /** Hostile: GitHub answers the password POST with a 307 to this absolute URL (replaying the body there). */
  passwordPostRedirect?: string;
  /** Hostile: the proxy's `/oauth2/start` redirects here instead of to GitHub. */
  startRedirect?: string;
  /** Hostile: the backend answers `302 Location:` this URL (an internal address, a metadata service...). */
  backendRedirect?: string;
  /** Hostile: the backend sets this many new cookies (each a fresh name) on every answer. */
  backendSetCookies: number;
  /**
   * `--github-org`/`--github-team` refuse the user after GitHub's login: the callback redeems the code,
   * then answers oauth2-proxy's 500 error page, no session cookie set (OAuthCallback -> enrichSessionState).
   */
  proxyRefusesAtCallback?: SimulatedProxyRestriction;
  /**
   * The proxy cannot load the next this many sessions presented to it (as after a `--cookie-secret` change,
   * or a session store that lost them): it forgets each and answers as to no session, clearing the cookie
   * (stored_session.go) unless `nginxAuthRequest`. Default 0; Infinity refuses every one.
   */
  proxyRefusesSessions: number;
  /**
   * The front does not route the proxy's `<prefix>/auth` (nginx's `auth_request` endpoint) to it: a 404. Then the
   * proxy's word on a session is unknown to a client, which can only weigh a refusal by its shape.
   */
  proxyAuthUnrouted: boolean;
  /**
   * A front that routes only part of the proxy's prefix to it (say `start`, `callback` and `sign_in`) sends
   * `<prefix>auth` through the proxy's gate to the backend, which answers it like any other path: the answer a
   * client takes for the proxy's word is then the backend's. A misconfiguration the README warns of.
   */
  proxyAuthToBackend: boolean;
  /**
   * GitHub asks for a captcha (an Octocaptcha / Arkose iframe): `'login-page'` on `/login` already, `'after-password'`
   * only in answer to the password POST. Either way a password POST without a solved captcha is answered with the
   * captcha page again, neither accepted nor counted as a failed login.
   */
  loginCaptcha?: 'login-page' | 'after-password';
  /**
   * After a complete sign-in GitHub shows an interstitial before going on: the 2FA check-up (`/settings/two_factor_checkup`,
   * for 28 days after enrolling; a "Verify 2FA now" code form and a "Remind me later" form) or the account-recovery
   * prompt (a "Remind me later" button, `value="postponed"`). OAuth authorization waits until it is verified or postponed.
   */
  signInInterstitial?: 'two-factor-checkup' | 'recovery-prompt';
  /**
   * GitHub signs in through an external identity provider (GitHub Enterprise Server with SAML or CAS, Enterprise
   * Managed Users): `/login` redirects to the IdP's endpoint on another origin.
   */
  identityProviderLogin?: 'saml' | 'cas';
}

export interface SimulatedStack {
  /** Base URL of the oauth2-proxy front: what a microservice calls as its backend. */
  readonly proxyUrl: string;
  /** `${proxyUrl}<proxyPrefix>/start` (`/oauth2/start`): the `auth.data.endpoint` of a bitly-proxy service. */
  readonly startUrl: string;
  /** Base URL of the GitHub-like site (`/login`, `/session`, `/login/oauth/...`, `/api/v3/user`). */
  readonly githubUrl: string;
  /** Where the two servers themselves listen: what a relay in front of them (`publicUrls`) forwards to. */
  readonly serverUrls: { readonly proxy: string; readonly github: string };
  readonly stats: SimulatedStackStats;
  readonly faults: SimulatedFaults;
  /** Adds an account, or replaces the one with the same login. */
  addUser(user: SimulatedUser): void;
  /** The code a two-factor user would type now: its app's current code, or the last SMS sent. */
  twoFactorCode(login: string): string | undefined;
  /** The last device-verification code GitHub emailed the user. */
  emailedCode(login: string): string | undefined;
  /** The proxy forgets every session: existing `_oauth2_proxy` cookies are refused from now on. */
  expireSessions(): void;
  /** Closes both servers and every open connection, keep-alive ones included. */
  stop(): Promise<void>;
}
