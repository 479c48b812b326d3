import type { HtmlForm, HtmlPage } from './html-form.parser.js';

/** The password form of a GitHub (or GitHub Enterprise) login page. */
export interface LoginForm {
  /** Where it posts, resolved against the page URL. */
  action: URL;
  /** Every hidden input (`authenticity_token`, `return_to`, timestamps...), sent back as they are. */
  hidden: Array<[name: string, value: string]>;
}

/**
 * The form to sign in with: a POST form with a password field, preferring the one posting
 * to `/session` (GitHub pages carry other forms too, e.g. search or passkey sign-in).
 */
export function findLoginForm(page: HtmlPage, pageUrl: URL): LoginForm | undefined {
  const candidates = page.forms.filter((form) => form.method === 'post' && hasPassword(form));
  const form = candidates.find((f) => f.action !== undefined && /\/session\/?$/.test(actionPath(f, pageUrl))) ?? candidates[0];
  if (form === undefined) return undefined;
  return {
    action: new URL(form.action ?? pageUrl.href, pageUrl),
    hidden: form.inputs.filter((input) => input.type === 'hidden').map((input) => [input.name, input.value]),
  };
}

/** GitHub's "Authorize <app>" page: the user never granted the proxy's OAuth app. */
export function isOAuthAuthorizationPage(page: HtmlPage, pageUrl: URL): boolean {
  return (
    page.forms.some((form) => actionPath(form, pageUrl).endsWith('/login/oauth/authorize')) ||
    /^authorize\b/i.test(page.title)
  );
}

function hasPassword(form: HtmlForm): boolean {
  return form.inputs.some((input) => input.type === 'password');
}

function actionPath(form: HtmlForm, pageUrl: URL): string {
  try {
    return new URL(form.action ?? pageUrl.href, pageUrl).pathname;
  } catch {
    return '';
  }
}
