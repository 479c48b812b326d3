import { constantTimeEqual } from '../http/constant-time.equal.js';
import { ExpiringStore } from '../http/expiring.store.js';
import { randomToken } from '../http/random-token.js';
import type { SimulatedUser } from '../simulated-stack.interface.js';

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

const MINUTE = 60_000;

/** Accounts, browser sessions, one-time codes and access tokens of the simulated GitHub. */
export class SimulatedGithubState {
  /** `_gh_sess` id -> the authenticity token its forms carry. */
  readonly browserSessions = new ExpiringStore<string>(60 * MINUTE);
  /** `user_session` cookie -> login. */
  readonly userSessions = new ExpiringStore<string>(14 * 24 * 60 * MINUTE);
  private readonly codes = new ExpiringStore<AuthorizationCode>(10 * MINUTE);
  private readonly tokens = new ExpiringStore<string>(8 * 60 * MINUTE);
  private readonly users = new Map<string, SimulatedUser>();

  constructor(readonly oauthApp: SimulatedOAuthApp) {}

  addUser(user: SimulatedUser): void {
    if (typeof user?.login !== 'string' || !/^[^\s\p{Cc}]{1,100}$/u.test(user.login)) {
      throw new TypeError('SimulatedUser.login must be 1-100 characters without spaces or control characters');
    }
    if (typeof user.password !== 'string' || user.password.length === 0) {
      throw new TypeError(`SimulatedUser.password must be a non-empty string (user '${user.login}')`);
    }
    // GitHub logins are case-insensitive.
    this.users.set(user.login.toLowerCase(), { login: user.login, password: user.password, twoFactor: user.twoFactor === true });
  }

  /** The account when login and password match, else undefined; the password is compared in constant time. */
  authenticate(login: string, password: string): SimulatedUser | undefined {
    const user = this.users.get(login.toLowerCase());
    const ok = constantTimeEqual(password, user?.password ?? '\0no-such-user');
    return user && ok ? user : undefined;
  }

  /** The canonical login for stats, or the attempted one (bounded) when no such account exists. */
  canonicalLogin(login: string): string {
    return this.users.get(login.toLowerCase())?.login ?? login.slice(0, 64);
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
