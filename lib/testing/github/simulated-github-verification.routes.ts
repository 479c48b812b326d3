import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCookieHeader, serializeSetCookie } from '../http/cookie.codec.js';
import { constantTimeEqual } from '../http/constant-time.equal.js';
import { sendHtml, sendRedirect } from '../http/http-response.writer.js';
import { randomToken } from '../http/random-token.js';
import { readGithubForm } from './github-form.reader.js';
import * as methodPages from './simulated-github-methods.pages.js';
import * as pages from './simulated-github.pages.js';
import type { SimulatedGithubDeps } from './simulated-github.server.js';
import type { Account, PendingSignIn } from './simulated-github.state.js';

const YEAR = 365 * 24 * 60 * 60 * 1000;

type CompleteSignIn = (req: IncomingMessage, res: ServerResponse, user: Account, returnTo: string, cookies?: string[]) => void;

/**
 * The step between a correct password and a signed-in browser: two-factor codes (app, SMS, security
 * key) and device verification by emailed code, as github.com runs them under `/sessions/`.
 */
export class SimulatedGithubVerification {
  constructor(
    private readonly deps: SimulatedGithubDeps,
    private readonly browserSession: (req: IncomingMessage, res: ServerResponse) => string,
    private readonly completeSignIn: CompleteSignIn,
  ) {}

  /** After a correct password: redirects to the second step and returns true when the account needs one. */
  needsSecondStep(req: IncomingMessage, res: ServerResponse, user: Account, returnTo: string): boolean {
    const sessionId = parseCookieHeader(req).get('_gh_sess');
    let step: PendingSignIn['step'] | undefined;
    if (user.twoFactor !== undefined) step = 'two-factor';
    else if (user.deviceVerification && !this.isKnownDevice(req, user)) step = 'device-verification';
    if (step === undefined || sessionId === undefined) return false;
    this.deps.state.pendingSignIns.set(sessionId, { login: user.login, step, returnTo });
    if (step === 'two-factor') {
      this.deps.stats.recordTwoFactorChallenge(user.login);
      sendRedirect(res, `${this.deps.url}/sessions/two-factor/${firstPage(user)}`);
    } else {
      user.lastEmail = this.deps.state.newCode();
      this.deps.onCode?.({ login: user.login, kind: 'device-verification', code: user.lastEmail });
      sendRedirect(res, `${this.deps.url}/sessions/verified-device`);
    }
    return true;
  }

  async handle(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    const pending = this.pendingOf(req);
    const user = pending ? this.deps.state.account(pending.login) : undefined;
    if (!pending || !user) return sendRedirect(res, `${this.deps.url}/login`);
    const token = this.browserSession(req, res);
    const methods = this.deps.state.codeMethods(user);
    switch (route) {
      case 'GET /sessions/two-factor/app':
        return this.showCodePage(res, user, token, 'app');
      case 'GET /sessions/two-factor/sms':
        // GitHub's real shape (a preference set): no SMS before the captcha-guarded "Send SMS" was pressed.
        if (user.preferred2fa !== undefined) return sendRedirect(res, `${this.deps.url}/sessions/two-factor/sms/confirm`);
        return this.showCodePage(res, user, token, 'sms');
      case 'GET /sessions/two-factor/sms/confirm':
        this.deps.stats.recordCaptchaAnswer(user.login);
        return sendHtml(res, 200, methodPages.smsConfirmPage(token, methods));
      case 'POST /sessions/two-factor/sms/confirm':
        return this.refuseUnsolvedCaptcha(req, res, user.login, token, methods);
      case 'GET /sessions/two-factor/mobile':
        return sendHtml(res, 200, methodPages.mobilePage(token, methods));
      case 'GET /sessions/two-factor':
        return sendHtml(res, 200, methodPages.chooserPage(methods, user.twoFactor?.startsWith('webauthn') === true || user.preferred2fa === 'webauthn'));
      case 'GET /sessions/two-factor/webauthn':
        return sendHtml(res, 200, pages.webauthnPage(token, keyPageLink(user)));
      case 'POST /sessions/two-factor':
        return this.submitTwoFactor(req, res, user, pending, token);
      case 'GET /sessions/verified-device':
        return sendHtml(res, 200, pages.verifiedDevicePage(token));
      case 'POST /sessions/verified-device':
        return this.submitDeviceCode(req, res, user, pending, token);
    }
    sendHtml(res, 404, pages.notFoundPage());
  }

  private showCodePage(res: ServerResponse, user: Account, token: string, kind: 'app' | 'sms', flash?: string): void {
    if (kind === 'sms' && user.twoFactor === 'sms') user.lastSms = this.deps.state.newCode();
    const code = this.deps.state.twoFactorCode(user.login);
    if (code !== undefined) this.deps.onCode?.({ login: user.login, kind: user.twoFactor === 'sms' ? 'sms' : 'app', code });
    sendHtml(res, 200, pages.twoFactorPage(kind, token, flash));
  }

  private async submitTwoFactor(req: IncomingMessage, res: ServerResponse, user: Account, pending: PendingSignIn, token: string): Promise<void> {
    const form = await readGithubForm(req, res);
    if (!form || !this.tokenMatches(form, token)) return this.refuseForm(res, form);
    const kind = user.twoFactor === 'sms' ? 'sms' : 'app';
    const code = form.get(`${kind}_otp`) ?? '';
    this.deps.stats.recordCodePost(user.login);
    if (pending.step !== 'two-factor' || !this.deps.state.twoFactorMatches(user, code)) {
      this.deps.stats.recordFailedCode(user.login);
      // GitHub shows the page again with its message; an SMS user gets no new code until asking again.
      return sendHtml(res, 200, pages.twoFactorPage(kind, token, 'Two-factor authentication failed.'));
    }
    user.lastUsedCode = code;
    this.finish(req, res, user, pending);
  }

  /** "Send SMS" without a solved captcha (no client without a browser has one): the page again, no SMS sent. */
  private async refuseUnsolvedCaptcha(req: IncomingMessage, res: ServerResponse, login: string, token: string, methods: methodPages.CodeMethods): Promise<void> {
    const form = await readGithubForm(req, res);
    if (!form || !this.tokenMatches(form, token)) return this.refuseForm(res, form);
    this.deps.stats.recordCaptchaAnswer(login);
    sendHtml(res, 200, methodPages.smsConfirmPage(token, methods, 'Please complete the captcha to receive your code.'));
  }

  private async submitDeviceCode(req: IncomingMessage, res: ServerResponse, user: Account, pending: PendingSignIn, token: string): Promise<void> {
    const form = await readGithubForm(req, res);
    if (!form || !this.tokenMatches(form, token)) return this.refuseForm(res, form);
    const code = form.get('otp') ?? '';
    this.deps.stats.recordCodePost(user.login);
    if (pending.step !== 'device-verification' || user.lastEmail === undefined || !constantTimeEqual(code, user.lastEmail)) {
      this.deps.stats.recordFailedCode(user.login);
      return sendHtml(res, 200, pages.verifiedDevicePage(token, 'Incorrect verification code provided.'));
    }
    user.lastEmail = undefined;
    const deviceId = randomToken(24);
    this.deps.state.devices.set(deviceId, user.login);
    const device = serializeSetCookie('_device_id', deviceId, { maxAgeMs: YEAR, httpOnly: true, secure: this.deps.cookieSecure, sameSite: 'Lax' });
    this.finish(req, res, user, pending, [device]);
  }

  private finish(req: IncomingMessage, res: ServerResponse, user: Account, pending: PendingSignIn, cookies: string[] = []): void {
    const sessionId = parseCookieHeader(req).get('_gh_sess');
    if (sessionId !== undefined) this.deps.state.pendingSignIns.take(sessionId);
    this.completeSignIn(req, res, user, pending.returnTo, cookies);
  }

  private isKnownDevice(req: IncomingMessage, user: Account): boolean {
    const deviceId = parseCookieHeader(req).get('_device_id');
    return deviceId !== undefined && this.deps.state.devices.get(deviceId) === user.login;
  }

  private pendingOf(req: IncomingMessage): PendingSignIn | undefined {
    const sessionId = parseCookieHeader(req).get('_gh_sess');
    return sessionId === undefined ? undefined : this.deps.state.pendingSignIns.get(sessionId);
  }

  private tokenMatches(form: URLSearchParams, token: string): boolean {
    return constantTimeEqual(form.get('authenticity_token') ?? '', token);
  }

  private refuseForm(res: ServerResponse, form: URLSearchParams | undefined): void {
    if (form !== undefined) sendHtml(res, 422, pages.unprocessablePage());
  }
}

/** The first second-factor page: the preferred method's, else `twoFactor`'s code page at once (the lenient shape). */
function firstPage(user: Account): string {
  switch (user.preferred2fa) {
    case 'sms':
      return 'sms/confirm';
    case 'app':
    case 'mobile':
    case 'webauthn':
      return user.preferred2fa;
  }
  if (user.twoFactor === 'sms') return 'sms';
  return user.twoFactor?.startsWith('webauthn') === true ? 'webauthn' : 'app';
}

/** The security-key page's way out: the chooser for a passkey-preferring user, the app for 'webauthn+app', else none. */
function keyPageLink(user: Account): 'app' | 'chooser' | undefined {
  if (user.preferred2fa === 'webauthn') return 'chooser';
  return user.twoFactor === 'webauthn+app' ? 'app' : undefined;
}
