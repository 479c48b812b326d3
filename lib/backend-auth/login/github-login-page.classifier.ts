import type { HtmlForm, HtmlPage } from './html-form.parser.js';

/** A form to post as a browser would: its action resolved, its successful controls in document order. */
export interface SubmittableForm {
  action: URL;
  fields: Array<[name: string, value: string]>;
}

/** What GitHub asks for after the password: a code from an app, an SMS, or an emailed device-verification code. */
export type CodeKind = 'app' | 'sms' | 'device-verification';

/** What a page of the login is, as far as the flow is concerned. */
export type GitHubPage =
  | { kind: 'login'; form: SubmittableForm; lockedOut: boolean }
  | { kind: 'code'; code: CodeKind; form: SubmittableForm; field: string }
  | { kind: 'security-key'; alternative: URL | undefined }
  | { kind: 'authorize' }
  | { kind: 'consent' }
  | { kind: 'account-picker' }
  | { kind: 'unknown' };

// GitHub's lockout: "There have been several failed attempts to sign in from this account or IP address."
const LOCKOUT = /several failed attempts|too many (?:failed )?(?:login|sign[- ]?in) attempts/i;
// An authorize page for an app the user granted before, asking again for more (oauth2-proxy 7.6+ asks read:org).
const CONSENT = /reauthorization required|requesting additional permissions|would like additional permissions/i;
/** Input types a browser never submits from a form post (or submits only when clicked). */
const NOT_SUBMITTED = new Set(['submit', 'button', 'image', 'reset', 'file']);

/** Classifies a page the login reached on GitHub's origin. */
export function classifyGitHubPage(page: HtmlPage, pageUrl: URL): GitHubPage {
  const path = pageUrl.pathname;
  if (/\/sessions\/two-factor\/webauthn\/?$/.test(path)) return { kind: 'security-key', alternative: codeAlternative(page, pageUrl) };
  const codeForm = findCodeForm(page, pageUrl);
  if (codeForm !== undefined) return { kind: 'code', code: codeKindOf(path), ...codeForm };
  const login = findLoginForm(page, pageUrl);
  if (login !== undefined) return { kind: 'login', form: login, lockedOut: LOCKOUT.test(page.text) };
  if (/\/login\/oauth\/select_account\/?$/.test(path) || /\b(?:select|pick|choose) an? account\b/i.test(`${page.title} ${page.text}`)) {
    return { kind: 'account-picker' };
  }
  if (isOAuthAuthorizationPage(page, pageUrl)) return CONSENT.test(page.text) ? { kind: 'consent' } : { kind: 'authorize' };
  return { kind: 'unknown' };
}

/**
 * The form to sign in with: a POST form with a password field, preferring the one posting
 * to `/session` (GitHub pages carry other forms too, e.g. search or passkey sign-in).
 */
export function findLoginForm(page: HtmlPage, pageUrl: URL): SubmittableForm | undefined {
  const candidates = page.forms.filter((form) => form.method === 'post' && form.inputs.some((input) => input.type === 'password'));
  const form = candidates.find((f) => f.action !== undefined && /\/session\/?$/.test(actionPath(f, pageUrl))) ?? candidates[0];
  return form === undefined ? undefined : submittable(form, pageUrl);
}

/** GitHub's "Authorize <app>" page: the user never granted the proxy's OAuth app. */
export function isOAuthAuthorizationPage(page: HtmlPage, pageUrl: URL): boolean {
  return page.forms.some((form) => actionPath(form, pageUrl).endsWith('/login/oauth/authorize')) || /^authorize\b/i.test(page.title);
}

/** The successful controls of a form, as a browser submits it (hidden honeypots included, empty). */
function submittable(form: HtmlForm, pageUrl: URL): SubmittableForm {
  const fields = form.inputs
    .filter((input) => !input.disabled && !NOT_SUBMITTED.has(input.type))
    .filter((input) => (input.type === 'checkbox' || input.type === 'radio' ? input.checked : true))
    .map((input): [string, string] => [input.name, input.type === 'checkbox' || input.type === 'radio' ? input.value || 'on' : input.value]);
  return { action: new URL(form.action ?? pageUrl.href, pageUrl), fields };
}

/** A POST form with a one-time-code field (`app_otp`, `sms_otp`, `otp`...) and no password. */
function findCodeForm(page: HtmlPage, pageUrl: URL): { form: SubmittableForm; field: string } | undefined {
  for (const form of page.forms) {
    if (form.method !== 'post' || form.inputs.some((input) => input.type === 'password')) continue;
    const code = form.inputs.find((input) => /^(?:text|tel|number)$/.test(input.type) && /otp|code/i.test(input.name) && !input.disabled);
    if (code !== undefined) return { form: submittable(form, pageUrl), field: code.name };
  }
  return undefined;
}

function codeKindOf(path: string): CodeKind {
  if (/verified-device/.test(path)) return 'device-verification';
  return /\/(?:sms|mobile)\/?$/.test(path) ? 'sms' : 'app';
}

/** On the security-key page, a link to the app (or SMS) code page, for accounts that have one too. */
function codeAlternative(page: HtmlPage, pageUrl: URL): URL | undefined {
  const href = page.links.find((link) => /\/sessions\/two-factor\/(?:app|sms)\/?(?:\?|$)/.test(link));
  return href !== undefined && URL.canParse(href, pageUrl.href) ? new URL(href, pageUrl) : undefined;
}

function actionPath(form: HtmlForm, pageUrl: URL): string {
  return URL.canParse(form.action ?? pageUrl.href, pageUrl.href) ? new URL(form.action ?? pageUrl.href, pageUrl).pathname : '';
}
