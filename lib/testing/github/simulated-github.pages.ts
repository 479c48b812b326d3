import { escapeHtml } from '../http/http-response.writer.js';

/** The fields GitHub's login form carries besides what the user types. */
export interface LoginFormFields {
  /** Where the form posts (default `/session`). */
  action?: string;
  authenticityToken: string;
  returnTo: string;
  clientId?: string;
  timestamp: string;
  timestampSecret: string;
  /** The bot trap: a text input hidden from people, which a browser submits empty. */
  honeypot: string;
  /** The red banner above the form after a failed attempt. */
  flash?: string;
  /** GitHub wants a captcha solved with the password (its Octocaptcha frame and token field in the form). */
  captcha?: boolean;
}

/**
 * GitHub's captcha: the Octocaptcha frame (octocaptcha.com, serving Arkose Labs' challenge) and the hidden token
 * field its script fills, which the form then posts. A client without a browser leaves the token empty.
 */
export function octocaptcha(originPage: string): string {
  return `<div class="js-octocaptcha-parent">
  <iframe class="js-octocaptcha-frame" src="https://octocaptcha.com/?origin_page=${originPage}&amp;responsive=true&amp;require_ack=true&amp;version=2" title="Please verify by completing this captcha." width="100%" height="450"></iframe>
  <input type="hidden" name="octocaptcha-token" class="js-octocaptcha-token" value="">
</div>`;
}

/** A page shell with the site header's search form: a decoy that a form-picking client must skip. */
export function githubPage(title: string, main: string): string {
  return `<!DOCTYPE html>
<html lang="en" data-color-mode="auto">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body class="logged-out env-production page-responsive session-authentication">
<header class="header-logged-out" role="banner">
  <a class="mr-lg-3" href="/" aria-label="Homepage">GitHub</a>
  <form class="js-site-search-form" role="search" aria-label="Site" action="/search" accept-charset="UTF-8" method="get">
    <input type="text" name="q" value="" placeholder="Search or jump to..." autocomplete="off">
    <input type="hidden" name="type" value="repositories">
    <button type="submit">Search</button>
  </form>
</header>
<main>
${main}
</main>
<footer><a href="/site/terms">Terms</a> <a href="/site/privacy">Privacy</a></footer>
</body>
</html>
`;
}

/** GitHub's sign-in page (shape of github.com/login, trimmed). */
export function loginPage(fields: LoginFormFields): string {
  const flash = fields.flash
    ? `<div id="js-flash-container" class="flash-container"><div class="flash flash-full flash-error" role="alert"><div class="px-2">${escapeHtml(fields.flash)}</div></div></div>`
    : '<div id="js-flash-container" class="flash-container"></div>';
  return githubPage(
    'Sign in to GitHub · GitHub',
    `<div id="login" class="auth-form px-3">
<form data-turbo="false" action="${escapeHtml(fields.action ?? '/session')}" accept-charset="UTF-8" method="post"><input type="hidden" name="authenticity_token" value="${escapeHtml(fields.authenticityToken)}" autocomplete="off" />
  <div class="auth-form-header p-0"><h1>Sign in to GitHub</h1></div>
  ${flash}
  <div class="auth-form-body mt-3">
    <input type="hidden" name="add_account" id="add_account" autocomplete="off" class="form-control" />
    <label for="login_field">Username or email address</label>
    <input type="text" name="login" id="login_field" class="form-control input-block js-login-field" autocapitalize="off" autocorrect="off" autocomplete="username" autofocus="autofocus" required="required" />
    <label for="password">Password</label>
    <input type="password" name="password" id="password" class="form-control input-block js-password-field" autocomplete="current-password" required="required" />
    <input type="hidden" name="webauthn-conditional" value="undefined">
    <input type="hidden" class="js-support" name="javascript-support" value="unknown">
    <input type="hidden" class="js-webauthn-support" name="webauthn-support" value="unknown">
    <input type="hidden" class="js-webauthn-iuvpaa-support" name="webauthn-iuvpaa-support" value="unknown">
    <input type="hidden" name="return_to" id="return_to" value="${escapeHtml(fields.returnTo)}" autocomplete="off" class="form-control" />
    <input type="hidden" name="allow_signup" id="allow_signup" autocomplete="off" class="form-control" />
    <input type="hidden" name="client_id" id="client_id" value="${escapeHtml(fields.clientId ?? '')}" autocomplete="off" class="form-control" />
    <input type="hidden" name="integration" id="integration" autocomplete="off" class="form-control" />
    <input class="form-control" type="text" name="${escapeHtml(fields.honeypot)}" hidden="hidden" />
    <input class="form-control" type="hidden" name="timestamp" value="${escapeHtml(fields.timestamp)}" />
    <input class="form-control" type="hidden" name="timestamp_secret" value="${escapeHtml(fields.timestampSecret)}" />
    ${fields.captcha ? octocaptcha('github_login') : ''}
    <input type="submit" name="commit" value="Sign in" class="btn btn-primary btn-block js-sign-in-button" data-disable-with="Signing in…" />
    <a class="label-link position-absolute top-0 right-0" id="forgot-password" href="/password_reset">Forgot password?</a>
  </div>
</form>
</div>
<p class="login-callout mt-3">New to GitHub? <a href="/signup">Create an account</a>.</p>`,
  );
}

/** What /login shows under the `loginPageWithoutForm` fault: a redesigned page a form-filling client cannot use. */
export function loginPageWithoutForm(): string {
  return githubPage(
    'Sign in to GitHub · GitHub',
    `<div id="login" class="auth-form px-3"><h1>Sign in to GitHub</h1>
<p>Continue with a passkey.</p><button type="button" class="js-webauthn-login">Sign in with a passkey</button></div>`,
  );
}

/** A code page: the two-factor app or SMS page (`app_otp`, `sms_otp`), or device verification (`otp`). */
function codePage(title: string, action: string, field: string, intro: string, authenticityToken: string, flash?: string): string {
  const flashHtml = flash ? `<div class="flash flash-full flash-error" role="alert">${escapeHtml(flash)}</div>` : '';
  return githubPage(
    `${title} · GitHub`,
    `<div id="login" class="auth-form px-3"><div class="auth-form-header p-0"><h1>${escapeHtml(title)}</h1></div>
<div id="js-flash-container" class="flash-container">${flashHtml}</div>
<form action="${action}" accept-charset="UTF-8" method="post"><input type="hidden" name="authenticity_token" value="${escapeHtml(authenticityToken)}" autocomplete="off" />
  <p>${escapeHtml(intro)}</p>
  <label for="${field}_field">Authentication code</label>
  <input type="text" name="${field}" id="${field}_field" class="form-control input-block" autocomplete="one-time-code" inputmode="numeric" />
  <button type="submit" class="btn btn-primary btn-block">Verify</button>
</form>
<a href="/sessions/two-factor/recovery">Use a recovery code or request a reset</a></div>`,
  );
}

/** GitHub's two-factor challenge after a correct password: an authenticator app's or an SMS code. */
export function twoFactorPage(kind: 'app' | 'sms', authenticityToken: string, flash?: string): string {
  const intro = kind === 'sms' ? 'We sent you an authentication code via SMS.' : 'Open your two-factor authenticator (TOTP) app to view your authentication code.';
  return codePage('Two-factor authentication', '/sessions/two-factor', `${kind}_otp`, intro, authenticityToken, flash);
}

/** GitHub's device verification: a code emailed to the user, for a device it does not recognise. */
export function verifiedDevicePage(authenticityToken: string, flash?: string): string {
  const intro = 'Email sent. We just sent your authentication code via email. The code will expire in an hour.';
  return codePage('Device verification', '/sessions/verified-device', 'otp', intro, authenticityToken, flash);
}

/**
 * GitHub's security-key (or passkey) page: a link to the authenticator app's page, to the method chooser
 * ("Use another method"), or neither (a key is the only method).
 */
export function webauthnPage(authenticityToken: string, other: 'app' | 'chooser' | undefined): string {
  const links = { app: '<li><a href="/sessions/two-factor/app">Use your authenticator app</a></li>', chooser: '<li><a href="/sessions/two-factor">Use another method</a></li>' };
  const app = other === undefined ? '' : links[other];
  return githubPage(
    'Two-factor authentication · GitHub',
    `<div id="login" class="auth-form px-3"><h1>Two-factor authentication</h1>
<button type="button" class="btn btn-primary btn-block js-webauthn-confirm-button">Use security key</button>
<form action="/sessions/two-factor/webauthn" method="post"><input type="hidden" name="authenticity_token" value="${escapeHtml(authenticityToken)}"><input type="hidden" name="webauthn_response" value=""></form>
<p>Having problems?</p><ul>${app}<li><a href="/sessions/two-factor/recovery">Use a recovery code</a></li></ul></div>`,
  );
}

/** GitHub's account picker, shown to OAuth apps whose callback is not https. */
export function selectAccountPage(login: string, authenticityToken: string): string {
  return githubPage(
    'Select user to authorize oauth2-proxy',
    `<div class="px-3"><h2>Select an account</h2><p>oauth2-proxy is requesting access.</p>
<form action="/login/oauth/select_account" method="post"><input type="hidden" name="authenticity_token" value="${escapeHtml(authenticityToken)}">
<button type="submit" name="login" value="${escapeHtml(login)}" class="btn">${escapeHtml(login)}</button></form></div>`,
  );
}

/** GitHub asking again, for scopes the user never granted the app (oauth2-proxy 7.6+ asks `read:org`). */
export function reauthorizePage(query: URLSearchParams, authenticityToken: string): string {
  return githubPage(
    'Authorize application',
    `<div class="px-3"><h2>Reauthorization required</h2><p>oauth2-proxy is requesting additional permissions: ${escapeHtml(query.get('scope') ?? '')}.</p>
<form action="/login/oauth/authorize" accept-charset="UTF-8" method="post"><input type="hidden" name="authenticity_token" value="${escapeHtml(authenticityToken)}" />
  <input type="hidden" name="client_id" value="${escapeHtml(query.get('client_id') ?? '')}">
  <button type="submit" name="authorize" value="1" class="btn btn-primary">Authorize</button>
</form></div>`,
  );
}

/** GitHub's OAuth consent page, shown when the user has not yet authorized the app. */
export function authorizeApplicationPage(query: URLSearchParams, authenticityToken: string): string {
  const hidden = ['client_id', 'redirect_uri', 'state', 'scope']
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(query.get(name) ?? '')}">`)
    .join('\n  ');
  return githubPage(
    'Authorize application',
    `<div class="px-3"><h2>Authorize oauth2-proxy</h2><p>oauth2-proxy wants to access your account (user:email).</p>
<form action="/login/oauth/authorize" accept-charset="UTF-8" method="post"><input type="hidden" name="authenticity_token" value="${escapeHtml(authenticityToken)}" autocomplete="off" />
  ${hidden}
  <button type="submit" name="authorize" value="0" class="btn">Cancel</button>
  <button type="submit" name="authorize" value="1" class="btn btn-primary">Authorize</button>
</form></div>`,
  );
}

/** GitHub's answer to a form post whose authenticity token does not match the browser session. */
export function unprocessablePage(): string {
  return githubPage('Unprocessable Entity', '<h1>422</h1><p>Your browser did something unexpected. Please contact us if the problem persists.</p>');
}

/** GitHub's error page in an outage (its "unicorn" page for 5xx). */
export function outagePage(status: number): string {
  return githubPage('Unicorn! · GitHub', `<h1>${status}</h1><p>We couldn't respond to your request in time. Sorry about that. Please try refreshing and contact us if the problem persists.</p>`);
}

export function notFoundPage(): string {
  return githubPage('Page not found · GitHub', '<h1>404</h1><p>This is not the web page you are looking for.</p>');
}

export function dashboardPage(login: string): string {
  return githubPage('GitHub', `<h1>Signed in as ${escapeHtml(login)}</h1>`);
}
