import { escapeHtml } from '../http/http-response.writer.js';
import { githubPage } from './simulated-github.pages.js';

/** Where each interstitial lives: the check-up's path is GitHub's; the recovery prompt's is this simulation's own. */
export const INTERSTITIAL_PATHS = {
  'two-factor-checkup': '/settings/two_factor_checkup',
  'recovery-prompt': '/settings/account_recovery_prompt',
} as const;

/**
 * The 2FA check-up, for 28 days after enrolling: "Verify 2FA now" (a code form, `app_otp`) or "Remind me later"
 * (a form posting to `/settings/two_factor_checkup/delay`).
 */
export function twoFactorCheckupPage(authenticityToken: string, flash?: string): string {
  const token = `<input type="hidden" name="authenticity_token" value="${escapeHtml(authenticityToken)}" autocomplete="off" />`;
  const flashHtml = flash ? `<div class="flash flash-full flash-error" role="alert">${escapeHtml(flash)}</div>` : '';
  return githubPage(
    'Verify your two-factor authentication (2FA) settings · GitHub',
    `<div class="px-3"><h1>Verify your two-factor authentication (2FA) settings</h1>${flashHtml}
<p>Verify your recently configured two-factor authentication method, so that you can keep signing in to GitHub.</p>
<form action="/settings/two_factor_checkup" accept-charset="UTF-8" method="post">${token}
  <label for="app_totp">Authentication code</label>
  <input type="text" name="app_otp" id="app_totp" class="form-control" autocomplete="one-time-code" inputmode="numeric" />
  <button type="submit" class="btn btn-primary">Verify 2FA now</button>
</form>
<form action="/settings/two_factor_checkup/delay" accept-charset="UTF-8" method="post">${token}
  <button type="submit" class="btn-link">Remind me later</button>
</form></div>`,
  );
}

/** A prompt to review the account's recovery settings, which can be put off ("Remind me later", `value="postponed"`). */
export function recoveryPromptPage(authenticityToken: string): string {
  return githubPage(
    'Confirm your account recovery settings · GitHub',
    `<div class="px-3"><h1>Confirm your account recovery settings</h1>
<p>Make sure you can get back into your account: review your recovery codes, verified emails and second methods.</p>
<form action="${INTERSTITIAL_PATHS['recovery-prompt']}" accept-charset="UTF-8" method="post"><input type="hidden" name="authenticity_token" value="${escapeHtml(authenticityToken)}" autocomplete="off" />
  <a class="btn btn-primary" href="/settings/security">Review settings</a>
  <button type="submit" name="recovery_prompt_action" value="postponed" class="btn-link">Remind me later</button>
</form></div>`,
  );
}
