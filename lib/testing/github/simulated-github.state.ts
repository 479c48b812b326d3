import { randomBytes, randomInt } from 'node:crypto';
import { constantTimeEqual } from '../http/constant-time.equal.js';
import { ExpiringStore } from '../http/expiring.store.js';
import { randomToken } from '../http/random-token.js';
import type { SimulatedTwoFactor, SimulatedUser } from '../simulated-stack.interface.js';
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
  deviceVerification: boolean;
  /** The authenticator app's secret. */
  totpSecret: Buffer;
  lastSms?: string;
  lastEmail?: string;
  /** Refused passwords since the last success (the lockout counts them). */
  failures: number;
}

/** A browser between its correct password and its second factor (or device check). */
export interface PendingSignIn {
  login: string;
  step: 'device-verification' | 'two-factor';
  returnTo: string;
}

const MINUTE = 60_000;

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
  /** `_device_id` cookie -> the login whose device it verified. */
  readonly devices = new ExpiringStore<string>(365 * 24 * 60 * MINUTE);
  private readonly codes = new ExpiringStore<AuthorizationCode>(10 * MINUTE);
  private readonly tokens = new ExpiringStore<string>(8 * 60 * MINUTE);
  private readonly users = new Map<string, Account>();

  constructor(readonly oauthApp: SimulatedOAuthApp) {}

  addUser(user: SimulatedUser): void {
    if (typeof user?.login !== 'string' || !/^[^\s\p{Cc}]{1,100}$/u.test(user.login)) {
      throw new TypeError('SimulatedUser.login must be 1-100 characters without spaces or control characters');
    }
    if (typeof user.password !== 'string' || user.password.length === 0) {
      throw new TypeError(`SimulatedUser.password must be a non-empty string (user '${user.login}')`);
    }
    const twoFactor = user.twoFactor === true ? 'app' : user.twoFactor || undefined;
    if (twoFactor !== undefined && !['app', 'sms', 'webauthn', 'webauthn+app'].includes(twoFactor)) {
      throw new TypeError(`SimulatedUser.twoFactor must be true, 'app', 'sms', 'webauthn' or 'webauthn+app' (user '${user.login}')`);
    }
    // A changed password signs the account out of its web sessions, as GitHub does.
    const existing = this.account(user.login);
    if (existing !== undefined && existing.password !== user.password) this.userSessions.deleteValue(existing.login);
    // GitHub logins are case-insensitive.
    this.users.set(user.login.toLowerCase(), {
      login: user.login,
      password: user.password,
      twoFactor,
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
