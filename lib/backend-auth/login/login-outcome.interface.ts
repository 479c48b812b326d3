import type { CodeKind, SubmittableForm } from './github-login-page.classifier.js';
import type { LoginCookieJar } from './login-cookie.jar.js';
import type { ProxySessionJar } from './proxy-session.jar.js';

/** A login stopped on GitHub's code page: what it takes to finish it with the caller's code. */
export interface CodeChallenge {
  readonly code: CodeKind;
  readonly form: SubmittableForm;
  /** The code's field in `form`. */
  readonly field: string;
  /** The login's cookies: the code must go with the same GitHub session. */
  readonly jar: LoginCookieJar;
  readonly startUrl: URL;
}

/** How a login attempt ended, short of an error: logged in, or waiting for a code. */
export type LoginOutcome = { readonly session: ProxySessionJar; readonly jar: LoginCookieJar } | { readonly challenge: CodeChallenge };
