import { Logger } from '@nestjs/common';
import { BackendError } from '../../errors/backend-error.js';
import { withLoginOutcome } from '../../observability/index.js';
import { logEvent } from '../../logging/index.js';
import { BACKEND_AUTH_LOGGER_CONTEXT } from '../backend-auth.constants.js';
import { upstreamFailure } from '../http/upstream-failure.js';
import type { MethodPage } from './github-login-page.classifier.js';

const logger = new Logger(BACKEND_AUTH_LOGGER_CONTEXT);

/** A captcha is GitHub's verdict on the service's address, not on the login: worth a retry after a minute. */
const CAPTCHA_RETRY_AFTER_S = 60;
/** The operator learns of captchas once a minute at most: each login meeting one would otherwise warn. */
const CAPTCHA_WARNING_INTERVAL_MS = 60_000;
/** GitHub asks for re-authorisation after 10 sign-ins of one user to one OAuth app within an hour: retry after that hour. */
const REAUTHORIZE_RETRY_AFTER_S = 3600;

let lastCaptchaWarning = -Infinity;

/** After a captcha, no password is posted for this long (a kept GitHub session still signs in): GitHub's verdict holds a while. */
export const CAPTCHA_HOLD_MS = CAPTCHA_RETRY_AFTER_S * 1000;

/**
 * GitHub asks for a captcha: a 503, like a busy service. `afterPassword`: GitHub answered a posted password
 * with it, which is then a guess like any other (the username's and the address's throttles count it: a
 * guesser must not get uncounted guesses while GitHub is suspicious); on the login page no password was sent.
 */
export class CaptchaRequiredError extends BackendError {
  constructor(
    readonly afterPassword: boolean,
    retryAfterS = CAPTCHA_RETRY_AFTER_S,
  ) {
    super(
      'Service Unavailable',
      503,
      `GitHub asks for a captcha before it takes a sign-in from this service's address, which a login without a browser cannot solve. Retry in ${retryAfterS} s.`,
      { 'Retry-After': String(retryAfterS) },
    );
    withLoginOutcome(this, 'captcha');
  }
}

/** The login's answers to GitHub pages met around the sign-in: captchas, other 2FA methods, interstitials, identity providers. */
export const githubPage = {
  /** Warns the operator at most once a minute; the page's path only (its query may carry state). */
  captcha(pageUrl: URL, requestId: string, afterPassword: boolean): CaptchaRequiredError {
    const now = Date.now();
    if (now - lastCaptchaWarning >= CAPTCHA_WARNING_INTERVAL_MS) {
      lastCaptchaWarning = now;
      logEvent(
        logger,
        'warn',
        'login.captcha',
        "GitHub asks for a captcha from this service's address: logins answer 503 until it stops (not repeated for a minute)",
        { requestId, outcome: 'captcha', page: pageUrl.pathname },
      );
    }
    return new CaptchaRequiredError(afterPassword);
  },

  /** A password not posted: GitHub asked for a captcha within the hold (`remainingMs` left of it). */
  captchaHeld(remainingMs: number): CaptchaRequiredError {
    return new CaptchaRequiredError(false, Math.max(1, Math.ceil(remainingMs / 1000)));
  },

  /** A second-factor page that offers no way to a code: the "Send SMS" page's captcha, or no app nor SMS at all. */
  noCodeMethod(showing: MethodPage): BackendError {
    if (showing === 'sms-confirm') {
      return new BackendError(
        'Bad Gateway',
        502,
        "GitHub wants a captcha solved before it sends the SMS with this account's code, which a login without a browser cannot do: add an authenticator app to the account (and make it the preferred method) to use this service.",
      );
    }
    return new BackendError(
      'Bad Gateway',
      502,
      'GitHub asks this account for a second factor that needs a browser or a phone (GitHub Mobile, a passkey or a security key) and offers no code: add an authenticator app to the account to use this service.',
    );
  },

  /**
   * A page after the password that the login does not know: its path (GitHub's, no query) in the log only,
   * never to the caller (a path from the network may carry a token), and never its content.
   */
  unknownAfterPassword(pageUrl: URL, status: number, requestId: string): BackendError {
    return upstreamFailure(502, `After the password, GitHub showed a page the login does not know (status ${status}); its path is in the service's log.`, `Page: ${pageUrl.origin}${pageUrl.pathname}.`, requestId);
  },

  reauthorize(): BackendError {
    return new BackendError(
      'Service Unavailable',
      503,
      `GitHub asks this user to authorize the proxy's OAuth app again: either after 10 sign-ins of the user to the app within an hour (GitHub's limit; retry in ${REAUTHORIZE_RETRY_AFTER_S} s), or because the proxy asks for new scopes (such as read:org; authorize it once in a browser).`,
      { 'Retry-After': String(REAUTHORIZE_RETRY_AFTER_S) },
    );
  },

  identityProvider(target: URL, requestId: string): BackendError {
    return upstreamFailure(
      502,
      'This GitHub signs in through an identity provider (SAML or CAS: GitHub Enterprise Server, Enterprise Managed Users), which this library cannot do without a browser; the password was not sent.',
      `Identity provider: ${target.origin}${target.pathname}.`,
      requestId,
    );
  },
};
