import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCookieHeader } from '../http/cookie.codec.js';
import { constantTimeEqual } from '../http/constant-time.equal.js';
import { sendHtml, sendRedirect } from '../http/http-response.writer.js';
import { readGithubForm } from './github-form.reader.js';
import { INTERSTITIAL_PATHS, recoveryPromptPage, twoFactorCheckupPage } from './simulated-github-interstitial.pages.js';
import * as pages from './simulated-github.pages.js';
import type { SimulatedGithubDeps } from './simulated-github.server.js';
import type { PendingInterstitial } from './simulated-github.state.js';

/**
 * The pages GitHub may show between a complete sign-in and where the browser was going (`faults.signInInterstitial`):
 * the 2FA check-up and the recovery prompt. Each can be verified or put off; until then OAuth authorization waits.
 */
export class SimulatedGithubInterstitials {
  constructor(
    private readonly deps: SimulatedGithubDeps,
    private readonly browserSession: (req: IncomingMessage, res: ServerResponse) => string,
  ) {}

  /** Where a browser signed in as `userSession` goes next: the switched-on interstitial, else `returnTo`. */
  nextStop(userSession: string, returnTo: string): string {
    const kind = this.deps.faults.signInInterstitial;
    if (kind === undefined) return returnTo;
    this.deps.state.interstitials.set(userSession, { kind, returnTo });
    return INTERSTITIAL_PATHS[kind];
  }

  /** The interstitial `userSession` still owes, as a path to send the browser back to. */
  owedBy(userSession: string): string | undefined {
    const owed = this.deps.state.interstitials.get(userSession);
    return owed === undefined ? undefined : INTERSTITIAL_PATHS[owed.kind];
  }

  async handle(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    const session = parseCookieHeader(req).get('user_session');
    const login = session === undefined ? undefined : this.deps.state.userSessions.get(session);
    if (session === undefined || login === undefined) return sendRedirect(res, `${this.deps.url}/login`);
    const owed = this.deps.state.interstitials.get(session);
    if (owed === undefined) return sendRedirect(res, `${this.deps.url}/`);
    const token = this.browserSession(req, res);
    const path = INTERSTITIAL_PATHS[owed.kind];
    if (route === `GET ${path}`) return sendHtml(res, 200, owed.kind === 'two-factor-checkup' ? twoFactorCheckupPage(token) : recoveryPromptPage(token));
    if (!route.startsWith(`POST ${path}`)) return sendHtml(res, 404, pages.notFoundPage());
    const form = await readGithubForm(req, res);
    if (!form) return;
    if (!constantTimeEqual(form.get('authenticity_token') ?? '', token)) return sendHtml(res, 422, pages.unprocessablePage());
    if (route === `POST ${path}/delay` || form.get('recovery_prompt_action') === 'postponed') return this.goOn(res, session, owed);
    if (route === `POST ${path}` && owed.kind === 'two-factor-checkup' && this.verified(login, form.get('app_otp') ?? '')) return this.goOn(res, session, owed);
    sendHtml(res, 200, owed.kind === 'two-factor-checkup' ? twoFactorCheckupPage(token, 'Two-factor authentication failed.') : recoveryPromptPage(token));
  }

  /** A code posted to the check-up: counted like any code post; the one that just signed the user in is not taken again. */
  private verified(login: string, code: string): boolean {
    const user = this.deps.state.account(login);
    if (user === undefined) return false;
    this.deps.stats.recordCodePost(user.login);
    if (code !== user.lastUsedCode && this.deps.state.twoFactorMatches(user, code)) return true;
    this.deps.stats.recordFailedCode(user.login);
    return false;
  }

  private goOn(res: ServerResponse, session: string, owed: PendingInterstitial): void {
    this.deps.state.interstitials.take(session);
    sendRedirect(res, `${this.deps.url}${owed.returnTo}`);
  }
}
