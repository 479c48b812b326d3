import type { HtmlForm, HtmlPage } from './html-form.parser.js';

/** A form to post as a browser would: its action resolved, its successful controls in document order. */
export interface SubmittableForm {
  action: URL;
  fields: Array<[name: string, value: string]>;
}

/** What GitHub asks for after the password: a code from an app, an SMS, or an emailed device-verification code. */
export type CodeKind = 'app' | 'sms' | 'device-verification';

/**
 * A second-factor page without a code field: GitHub Mobile's push approval, a security key or passkey, the method
 * chooser ("Use another method"), or the "Send SMS" page whose button a captcha guards.
 */
export type MethodPage = 'mobile' | 'security-key' | 'chooser' | 'sms-confirm';

/** What a page of the login is, as far as the flow is concerned. */
export type GitHubPage =
  | { kind: 'login'; form: SubmittableForm; lockedOut: boolean }
  | { kind: 'code'; code: CodeKind; form: SubmittableForm; field: string }
  /** `alternative`: the link towards a code page (the app's first), undefined when the page offers none. */
  | { kind: 'other-method'; showing: MethodPage; alternative: URL | undefined }
  | { kind: 'captcha' }
  /** Shown after a sign-in before going on (2FA check-up, recovery prompt); `postpone`: its "Remind me later" form. */
  | { kind: 'interstitial'; postpone: SubmittableForm | undefined }
  | { kind: 'authorize' }
  | { kind: 'consent' }
  | { kind: 'account-picker' }
  | { kind: 'unknown' };

// GitHub's lockout: "There have been several failed attempts to sign in from this account or IP address."
const LOCKOUT = /several failed attempts|too many (?:failed )?(?:login|sign[- ]?in) attempts/i;
// An authorize page for an app the user granted before, asking again for more (oauth2-proxy 7.6+ asks read:org).
const CONSENT = /reauthorization required|requesting additional permissions|would like additional permissions/i;
/** GitHub's captcha: the Octocaptcha frame (octocaptcha.com), which serves Arkose Labs' challenge, or Arkose's own. */
const CAPTCHA_FRAME = /^https:\/\/(?:[\w-]+\.)*(?:octocaptcha\.com|arkoselabs\.com|funcaptcha\.com)(?:[/:?#]|$)/i;
/** The 2FA check-up, shown for 28 days after enrolling (GitHub's "About mandatory two-factor authentication"). */
const CHECKUP = /\/settings\/two_factor_checkup\/?$/;
/** How an interstitial is put off: a form posting to `…/delay` (the check-up's), or a submit button valued `postponed`. */
const POSTPONE_ACTION = /\/(?:delay|postpone|remind_me_later)\/?$/;
const POSTPONE_VALUE = /^(?:postponed?|remind_me_later|later)$/i;
/** The pages of the other methods, by path (GitHub links them from each other). */
const METHOD_PATHS: Array<[MethodPage, RegExp]> = [
  ['security-key', /\/sessions\/two-factor\/webauthn\/?$/],
  ['mobile', /\/sessions\/two-factor\/mobile\/?$/],
  ['sms-confirm', /\/sessions\/two-factor\/sms\/confirm\/?$/],
];
const METHOD_LINKS = {
  app: /\/sessions\/two-factor\/app\/?$/,
  sms: /\/sessions\/two-factor\/sms(?:\/confirm)?\/?$/,
  chooser: /\/sessions\/two-factor\/?$/,
};
/**
 * Where each page may lead, best first: the app (a code the caller has), then SMS, then the chooser. Never back to
 * where it came from: the chooser does not lead to itself, and "Send SMS" only to the app (its SMS needs the captcha).
 */
const WAYS_OUT: Record<MethodPage, Array<keyof typeof METHOD_LINKS>> = {
  mobile: ['app', 'sms', 'chooser'],
  'security-key': ['app', 'sms', 'chooser'],
  chooser: ['app', 'sms'],
  'sms-confirm': ['app'],
};
/** Input types a browser never submits from a form post (or submits only when clicked). */
const NOT_SUBMITTED = new Set(['submit', 'button', 'image', 'reset', 'file']);

/** Classifies a page the login reached on GitHub's origin. */
export function classifyGitHubPage(page: HtmlPage, pageUrl: URL): GitHubPage {
  const path = pageUrl.pathname;
  const method = METHOD_PATHS.find(([, pattern]) => pattern.test(path))?.[0];
  if (method !== undefined) return otherMethod(method, page, pageUrl);
  // Before any form: a password or code posted under a captcha only counts as a failure.
  if ((page.frames ?? []).some((src) => CAPTCHA_FRAME.test(src))) return { kind: 'captcha' };
  // Before the code form: the check-up has one ("Verify 2FA now"), which must never get the code just used.
  const postpone = findPostponeForm(page, pageUrl);
  if (postpone !== undefined || CHECKUP.test(path)) return { kind: 'interstitial', postpone };
  const codeForm = findCodeForm(page, pageUrl);
  if (codeForm !== undefined) return { kind: 'code', code: codeKindOf(path), ...codeForm };
  if (METHOD_LINKS.chooser.test(path)) return otherMethod('chooser', page, pageUrl);
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
  const candidates = page.forms.filter((form) => isPostable(form, pageUrl) && form.inputs.some((input) => input.type === 'password'));
  const form = candidates.find((f) => f.action !== undefined && /\/session\/?$/.test(actionPath(f, pageUrl))) ?? candidates[0];
  return form === undefined ? undefined : submittable(form, pageUrl);
}

/** GitHub's "Authorize <app>" page: the user never granted the proxy's OAuth app. */
export function isOAuthAuthorizationPage(page: HtmlPage, pageUrl: URL): boolean {
  return page.forms.some((form) => actionPath(form, pageUrl).endsWith('/login/oauth/authorize')) || /^authorize\b/i.test(page.title);
}

/** The successful controls of a form, as a browser submits it (hidden honeypots included, empty). */
/**
 * A POST form whose action resolves against the page: one that does not (`action="http://"`) cannot be
 * submitted, by a browser or by us, and is no form of the page (found by the page property, test/properties:
 * it threw a TypeError out of the classifier).
 */
function isPostable(form: HtmlForm, pageUrl: URL): boolean {
  return form.method === 'post' && URL.canParse(form.action ?? pageUrl.href, pageUrl.href);
}

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
    if (!isPostable(form, pageUrl) || form.inputs.some((input) => input.type === 'password')) continue;
    const code = form.inputs.find((input) => /^(?:text|tel|number)$/.test(input.type) && /otp|code/i.test(input.name) && !input.disabled);
    if (code !== undefined) return { form: submittable(form, pageUrl), field: code.name };
  }
  return undefined;
}

function codeKindOf(path: string): CodeKind {
  if (/verified-device/.test(path)) return 'device-verification';
  return /\/sms\/?$/.test(path) ? 'sms' : 'app';
}

/** A page of another method, with its best link towards a code page (resolved as written: the flow decides where it may go). */
function otherMethod(showing: MethodPage, page: HtmlPage, pageUrl: URL): GitHubPage {
  const links = page.links.filter((href) => URL.canParse(href, pageUrl.href)).map((href) => new URL(href, pageUrl));
  for (const way of WAYS_OUT[showing]) {
    // A link on the page's own origin first: one elsewhere is refused by the flow, and must not hide a good one.
    const matching = links.filter((url) => METHOD_LINKS[way].test(url.pathname));
    const link = matching.find((url) => url.origin === pageUrl.origin) ?? matching[0];
    if (link !== undefined) return { kind: 'other-method', showing, alternative: link };
  }
  return { kind: 'other-method', showing, alternative: undefined };
}

/** An interstitial's "Remind me later": a POST form without password or code, with the pressed button's value. */
function findPostponeForm(page: HtmlPage, pageUrl: URL): SubmittableForm | undefined {
  for (const form of page.forms) {
    if (!isPostable(form, pageUrl) || form.inputs.some((input) => input.type === 'password')) continue;
    const button = form.inputs.find((input) => input.type === 'submit' && POSTPONE_VALUE.test(input.value));
    if (button === undefined && !POSTPONE_ACTION.test(actionPath(form, pageUrl))) continue;
    const postpone = submittable(form, pageUrl);
    return button === undefined ? postpone : { ...postpone, fields: [...postpone.fields, [button.name, button.value]] };
  }
  return undefined;
}

/**
 * A redirect from GitHub's sign-in to an external identity provider (GitHub Enterprise Server with SAML or CAS,
 * Enterprise Managed Users): another origin, with SAML's `SAMLRequest`, CAS's `service`, or an SSO endpoint's path.
 */
export function isIdentityProviderRedirect(from: URL, to: URL, github: URL): boolean {
  if (from.origin !== github.origin || to.origin === github.origin || !/\/login(?:\/|$)/.test(from.pathname)) return false;
  return to.searchParams.has('SAMLRequest') || to.searchParams.has('service') || /\/(?:saml2?|sso|cas|adfs)(?:\/|$)/i.test(to.pathname);
}

function actionPath(form: HtmlForm, pageUrl: URL): string {
  return URL.canParse(form.action ?? pageUrl.href, pageUrl.href) ? new URL(form.action ?? pageUrl.href, pageUrl).pathname : '';
}
