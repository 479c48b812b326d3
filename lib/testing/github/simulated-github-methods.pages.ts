import { escapeHtml } from '../http/http-response.writer.js';
import { githubPage, octocaptcha } from './simulated-github.pages.js';

/** The second factors an account has besides a key, which GitHub's pages link to. */
export interface CodeMethods {
  app: boolean;
  sms: boolean;
}

/** "More options": links to the account's other methods (SMS through its "Send SMS" page), then recovery. */
function otherMethods(methods: CodeMethods, extra = ''): string {
  const app = methods.app ? '<li><a href="/sessions/two-factor/app">Authenticator app</a></li>' : '';
  const sms = methods.sms ? '<li><a href="/sessions/two-factor/sms/confirm">SMS</a></li>' : '';
  return `<details class="more-options"><summary>More options</summary><ul>${app}${sms}${extra}
<li><a href="/sessions/two-factor/recovery">Use a recovery code or request a reset</a></li></ul></details>`;
}

/**
 * GitHub Mobile's push approval (`/sessions/two-factor/mobile`): the digits to match on the phone and a form that
 * polls for the approval; no code field.
 */
export function mobilePage(authenticityToken: string, methods: CodeMethods): string {
  return githubPage(
    'Two-factor authentication · GitHub',
    `<div id="github-mobile-authenticate-prompt" class="auth-form px-3"><h1>Two-factor authentication</h1>
<p data-target="sudo-credential-options.githubMobileChallengeMessage">We sent you a sign-in request on your GitHub Mobile app. Enter the digits shown below to verify your identity.</p>
<h3 data-target="sudo-credential-options.githubMobileChallengeValue">42</h3>
<form action="/sessions/two-factor/mobile_poll" accept-charset="UTF-8" method="post"><input type="hidden" name="authenticity_token" value="${escapeHtml(authenticityToken)}" autocomplete="off" /></form>
${otherMethods(methods, '<li><a href="/sessions/two-factor/webauthn">Security key</a></li>')}</div>`,
  );
}

/** The "Send SMS" page (`/sessions/two-factor/sms/confirm`): no SMS goes out until its captcha-guarded button is pressed. */
export function smsConfirmPage(authenticityToken: string, methods: CodeMethods, flash?: string): string {
  const flashHtml = flash ? `<div class="flash flash-full flash-error" role="alert">${escapeHtml(flash)}</div>` : '';
  return githubPage(
    'Two-factor authentication · GitHub',
    `<div id="login" class="auth-form px-3"><h1>Two-factor authentication</h1>${flashHtml}
<form action="/sessions/two-factor/sms/confirm" accept-charset="UTF-8" method="post"><input type="hidden" name="authenticity_token" value="${escapeHtml(authenticityToken)}" autocomplete="off" />
  <p>We will send an authentication code to the phone number ending in 42.</p>
  ${octocaptcha('github_two_factor_sms')}
  <button type="submit" class="btn btn-primary btn-block js-octocaptcha-form-submit" disabled>Send SMS</button>
</form>
${otherMethods({ app: methods.app, sms: false })}</div>`,
  );
}

/** The method chooser (`/sessions/two-factor`), where "Use another method" leads: one link per method of the account. */
export function chooserPage(methods: CodeMethods, withKey: boolean): string {
  const key = withKey ? '<li><a href="/sessions/two-factor/webauthn">Security key or passkey</a></li>' : '';
  const app = methods.app ? '<li><a href="/sessions/two-factor/app">Authenticator app</a></li>' : '';
  const sms = methods.sms ? '<li><a href="/sessions/two-factor/sms/confirm">SMS</a></li>' : '';
  return githubPage(
    'Two-factor authentication · GitHub',
    `<div id="login" class="auth-form px-3"><h1>Choose a verification method</h1><ul>${key}${app}${sms}
<li><a href="/sessions/two-factor/recovery">Use a recovery code or request a reset</a></li></ul></div>`,
  );
}
