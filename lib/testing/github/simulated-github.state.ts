import { randomBytes, randomInt } from 'node:crypto';
import { constantTimeEqual } from '../http/constant-time.equal.js';
import { ExpiringStore } from '../http/expiring.store.js';
import { randomToken } from '../http/random-token.js';
import type { SimulatedFaults, SimulatedTwoFactor, SimulatedUser } from '../simulated-stack.interface.js';
import { totp, totpMatches } from './totp.js';

/** The OAuth app GitHub knows the proxy as (oauth2-proxy's --client-id / --client-secret). */
export interface SimulatedOAuthApp {
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
}

interface AuthorizationCode {
  login: string;
  clientId: string;
  redirectUri: string;
}

/** An account as the site keeps it. */
export interface Account {
  login: string;
  password: string;
  twoFactor: SimulatedTwoFactor | undefined;
  /** The method GitHub shows first; undefined: `twoFactor`'s code page at once. */
  preferred2fa: SimulatedUser['preferred2fa'];
  deviceVerification: boolean;
  /** The authenticator app's secret. */
  totpSecret: Buffer;
  lastSms?: string;
  lastEmail?: string;
  /** The code that signed the user in last: GitHub does not take a code twice. */
  lastUsedCode?: string;
  /** Refused passwords since the last success (the lockout counts them). */
  failures: number;
}

/** A signed-in browser held on an interstitial (2FA check-up, recovery prompt) before it may go on to `returnTo`. */
export interface PendingInterstitial {
  kind: NonNullable<SimulatedFaults['signInInterstitial']>;
  returnTo: string;
}

/** A browser between its correct password and its second factor (or device check). */
export interface PendingSignIn {
  login: string;
  step: 'device-verification' | 'two-factor';
  returnTo: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Accounts, browser sessions, one-time codes and access tokens of the simulated GitHub. */
export class SimulatedGithubState {
  /** `_gh_sess` id -> the authenticity token its forms carry. */
  readonly browserSessions = new ExpiringStore<string>(60 * MINUTE);
  /** `_gh_sess` id -> the sign-in waiting for its second step. */
  readonly pendingSignIns = new ExpiringStore<PendingSignIn>(60 * MINUTE);
  /** `user_session` cookie -> login. */
  readonly userSessions = new ExpiringStore<string>(14 * 24 * 60 * MINUTE);
  /** `user_session` cookies that already signed an OAuth app in once: the next sign-in through one needs no password. */
  readonly authorizedSessions = new ExpiringStore<true>(14 * 24 * 60 * MINUTE);
  /** `user_session` cookie -> the interstitial it must pass (verify or postpone) first. */
  readonly interstitials = new ExpiringStore<PendingInterstitial>(60 * MINUTE);
  /** `_device_id` cookie -> the login whose device it verified. */
  readonly devices = new ExpiringStore<string>(365 * 24 * 60 * MINUTE);
  private readonly codes = new ExpiringStore<AuthorizationCode>(10 * MINUTE);
  private readonly tokens = new ExpiringStore<string>(8 * 60 * MINUTE);
  private readonly users = new Map<string, Account>();
  /** login -> when it signed in to the OAuth app within the last hour. */
  private readonly oauthSignIns = new Map<string, number[]>();

  constructor(readonly oauthApp: SimulatedOAuthApp) {}

  addUser(user: SimulatedUser): void {
    if (typeof user?.login !== 'string' || !/^[^\s\p{Cc}]{1,100}$/u.test(user.login)) {
      throw new TypeError('SimulatedUser.login must be 1-100 characters without spaces or control characters');
    }
    if (typeof user.password !== 'string' || user.password.length === 0) {
      throw new TypeError(`SimulatedUser.password must be a non-empty string (user '${user.login}')`);
    }
    const twoFactor = user.twoFactor === true ? 'app' : user.twoFactor || undefined;
    if (twoFactor !== undefined && !['app', 'sms', 'app+sms', 'webauthn', 'webauthn+app'].includes(twoFactor)) {
      throw new TypeError(`SimulatedUser.twoFactor must be true, 'app', 'sms', 'app+sms', 'webauthn' or 'webauthn+app' (user '${user.login}')`);
    }
    checkPreferred(user, twoFactor);
    // A changed password signs the account out of its web sessions, as GitHub does.
    const existing = this.account(user.login);
    if (existing !== undefined && existing.password !== user.password) this.userSessions.deleteValue(existing.login);
    // GitHub logins are case-insensitive.
    this.users.set(user.login.toLowerCase(), {
      login: user.login,
      password: user.password,
      twoFactor,
      preferred2fa: user.preferred2fa,
      deviceVerification: user.deviceVerification === true && twoFactor === undefined,
      totpSecret: randomBytes(20),
      failures: 0,
    });
  }

  account(login: string): Account | undefined {
    return this.users.get(login.toLowerCase());
  }

  /** The account when login and password match, else undefined; the password is compared in constant time. */
  authenticate(login: string, password: string): Account | undefined {
    const user = this.account(login);
    const ok = constantTimeEqual(password, user?.password ?? '\0no-such-user');
    return user && ok ? user : undefined;
  }

  /** The canonical login for stats, or the attempted one (bounded) when no such account exists. */
  canonicalLogin(login: string): string {
    return this.account(login)?.login ?? login.slice(0, 64);
  }

  /** The second factors the account has besides a security key: what a chooser or an "other method" link offers. */
  codeMethods(user: Account): { app: boolean; sms: boolean } {
    return { app: user.twoFactor?.includes('app') === true, sms: user.twoFactor?.includes('sms') === true };
  }

  /** The code the user's app shows now, or the last SMS sent. */
  twoFactorCode(login: string): string | undefined {
    const user = this.account(login);
    if (user?.twoFactor === 'sms') return user.lastSms;
    return user?.twoFactor?.includes('app') ? totp(user.totpSecret) : undefined;
  }

  /** A fresh six-digit code, as sent by SMS or email. */
  newCode(): string {
    return String(randomInt(0, 1_000_000)).padStart(6, '0');
  }

  /** Whether `code` is what the user's second factor expects now. */
  twoFactorMatches(user: Account, code: string): boolean {
    if (user.twoFactor === 'sms') return user.lastSms !== undefined && constantTimeEqual(code, user.lastSms);
    return totpMatches(user.totpSecret, code);
  }

  /**
   * Whether `login` may sign in to the OAuth app once more this hour (at most `perHour`, 0 unbounded); if so,
   * the sign-in is counted. GitHub counts sign-ins, not authorisations: a kept web session's counts too.
   */
  mayOAuthSignIn(login: string, perHour: number): boolean {
    if (perHour <= 0) return true;
    const now = Date.now();
    const recent = (this.oauthSignIns.get(login) ?? []).filter((at) => now - at < HOUR);
    if (recent.length >= perHour) return false;
    recent.push(now);
    this.oauthSignIns.set(login, recent);
    return true;
  }

  issueCode(login: string, clientId: string, redirectUri: string): string {
    const code = randomToken(15);
    this.codes.set(code, { login, clientId, redirectUri });
    return code;
  }

  /** Redeems a one-time code; undefined when unknown, already used, expired or issued to another app. */
  redeemCode(code: string, clientId: string, redirectUri: string | undefined): string | undefined {
    const entry = this.codes.take(code);
    if (!entry || entry.clientId !== clientId) return undefined;
    if (redirectUri !== undefined && redirectUri !== entry.redirectUri) return undefined;
    const token = `gho_${randomToken(27)}`;
    this.tokens.set(token, entry.login);
    return token;
  }

  loginForToken(token: string): string | undefined {
    return this.tokens.get(token);
  }

  clientSecretMatches(secret: string): boolean {
    return constantTimeEqual(secret, this.oauthApp.clientSecret);
  }
}

/** GitHub Mobile and passkeys need an app or SMS besides (every github.com 2FA account has one); a preference needs its method. */
function checkPreferred(user: SimulatedUser, twoFactor: SimulatedTwoFactor | undefined): void {
  const preferred = user.preferred2fa;
  if (preferred === undefined) return;
  const hasCode = twoFactor !== undefined && twoFactor !== 'webauthn';
  const fits = { app: twoFactor?.includes('app') === true, sms: twoFactor?.includes('sms') === true, mobile: hasCode, webauthn: hasCode }[preferred];
  if (fits === undefined) {
    throw new TypeError(`SimulatedUser.preferred2fa must be 'app', 'sms', 'mobile' or 'webauthn' (user '${user.login}')`);
  }
  if (!fits) throw new TypeError(`SimulatedUser.preferred2fa '${preferred}' needs a twoFactor that has it, or an app or SMS besides (user '${user.login}')`);
}
