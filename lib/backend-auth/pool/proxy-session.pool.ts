import { Inject, Injectable, Logger } from '@nestjs/common';
import { hkdfSync, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CookieJar } from 'tough-cookie';
import { BackendError } from '../../errors/backend-error.js';
import { APIKIT_RESOLVED_OPTIONS } from '../../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../../options/apikit-options.interface.js';
import { BACKEND_AUTH_LOGGER_CONTEXT } from '../backend-auth.constants.js';
import type { BackendCredentials } from '../context/backend-credentials.js';
import type { CallDeadline } from '../http/call-deadline.js';
import { BitlyProxyLoginFlow } from '../login/bitly-proxy-login.flow.js';
import { CodeRefusedError, CodeRequiredError, GitHubLockoutError, loginFailure } from '../login/login-failure.errors.js';
import type { CodeChallenge, LoginOutcome } from '../login/login-outcome.interface.js';
import { loadLoginTools } from '../login/login-tools.loader.js';
import type { ProxySessionJar } from '../login/proxy-session.jar.js';
import { SharedLoginStore } from '../store/shared-login.store.js';
import { LoginBudget } from './login-budget.js';
import { LoginThrottle } from './login-throttle.js';
import { IdentityKeyHasher } from './identity-key.hasher.js';
import { CLOCK_READ_PER_CHECK } from './lru-ttl.options.js';

/** A logged-in caller's proxy session. */
interface PooledSession {
  readonly jar: ProxySessionJar;
  readonly loggedInAt: number;
  /** Its version in the shared store; with it, when this replica must ask the store again. */
  readonly shared?: { version: string; checkAt: number };
}

/** A login in progress, which concurrent first requests of the identity share. */
interface PendingLogin {
  readonly jar: Promise<ProxySessionJar>;
  /** Whether the login budget let it start (until then it only waits its turn). */
  admitted: boolean;
}

/**
 * One proxy session per caller identity. Identities are keyed by an HMAC of (username,
 * password) under a random per-process key: the pool never holds a password as a key,
 * and a changed password is another identity. Concurrent first requests share one login
 * (single flight); logins wait for the service's login budget and are throttled per identity
 * and per username (`LoginThrottle`). Logins in progress are kept apart from the sessions, so
 * a flood of them evicts no logged-in caller. Bounded (LRU, idle expiry, absolute lifetime),
 * and sessions whose cookie expired are dropped.
 *
 * A login that GitHub stops at a code page waits (`codeWaitMs`) for the caller's `X-GitHub-OTP`,
 * with its GitHub cookies; GitHub's cookies of each identity (its verified device) are kept
 * (`githubDeviceTtlMs`) for its next login, so a renewed session does not ask again.
 */
@Injectable()
export class ProxySessionPool {
  private readonly logger = new Logger(BACKEND_AUTH_LOGGER_CONTEXT);
  /**
   * The HMAC is computed on every call: caching keys by `Authorization` header would keep
   * every caller's password (base64) in memory for as long as the cache entry lives. Replicas sharing
   * a store derive it from their shared secret, so that they name an identity alike.
   */
  private readonly identityKeys: IdentityKeyHasher;
  private readonly sessions: LRUCache<string, PooledSession>;
  private readonly pending = new Map<string, PendingLogin>();
  private readonly challenges: LRUCache<string, CodeChallenge>;
  private readonly devices: LRUCache<string, CookieJar> | undefined;
  /** Identities re-logged in because the backend refused their session, within `reloginIntervalMs`. */
  private readonly relogins: LRUCache<string, true> | undefined;
  private readonly throttle: LoginThrottle;
  private readonly budget: LoginBudget;

  constructor(
    private readonly flow: BitlyProxyLoginFlow,
    @Inject(APIKIT_RESOLVED_OPTIONS) private readonly options: ResolvedApiKitOptions,
    private readonly store: SharedLoginStore,
  ) {
    const { pool, reloginIntervalMs, loginBudget, codeWaitMs, githubDeviceTtlMs, secret } = options.backend;
    this.identityKeys = new IdentityKeyHasher(secret === undefined ? randomBytes(32) : Buffer.from(hkdfSync('sha256', secret, '', 'nestjs-apikit identity keys', 32)));
    this.sessions = new LRUCache({ max: pool.maxEntries, ttl: pool.idleTtlMs, updateAgeOnGet: true, ...CLOCK_READ_PER_CHECK });
    this.challenges = new LRUCache({ max: pool.maxEntries, ttl: codeWaitMs, ...CLOCK_READ_PER_CHECK });
    this.devices = githubDeviceTtlMs > 0 ? new LRUCache({ max: pool.maxEntries, ttl: githubDeviceTtlMs, ...CLOCK_READ_PER_CHECK }) : undefined;
    this.relogins = reloginIntervalMs > 0 ? new LRUCache({ max: pool.maxEntries, ttl: reloginIntervalMs, ...CLOCK_READ_PER_CHECK }) : undefined;
    this.throttle = new LoginThrottle(options.backend);
    this.budget = new LoginBudget(loginBudget);
  }

  /**
   * The cookie jar of the caller's proxy session, logging in when there is none (or it expired). A pooled
   * session is returned as it is: a promise only when there is something to wait for.
   */
  acquire(credentials: BackendCredentials, startUrl: URL, requestId: string, deadline: CallDeadline): ProxySessionJar | Promise<ProxySessionJar> {
    const key = this.identityKey(credentials);
    const pooled = this.sessions.get(key);
    if (pooled !== undefined) {
      const now = Date.now();
      // A session from the shared store is asked about again after localTtlMs: another replica may have dropped it.
      const current = pooled.shared === undefined || now < pooled.shared.checkAt;
      if (current && pooled.jar.hasLiveSession() && now - pooled.loggedInAt < this.options.backend.pool.maxAgeMs) {
        // Logged in: nothing to wait for (racing a settled login against the deadline costs a promise and a listener).
        deadline.throwIfAborted();
        return pooled.jar;
      }
      this.sessions.delete(key);
    }
    return this.awaitLogin(key, credentials, startUrl, requestId, deadline);
  }

  private async awaitLogin(key: string, credentials: BackendCredentials, startUrl: URL, requestId: string, deadline: CallDeadline): Promise<ProxySessionJar> {
    const login = this.pending.get(key) ?? this.startLogin(key, credentials, startUrl, requestId, deadline);
    try {
      return await deadline.race(login.jar);
    } catch (error) {
      // Out of time while the login still waited for the budget: the service is busy, not the backend slow.
      const timedOut = error instanceof BackendError && error.statusCode === 504;
      if (timedOut && !login.admitted) throw this.budget.overBudgetError();
      throw error;
    }
  }

  /** Drops the session `jar` belongs to (here and in the shared store), unless a newer one replaced it. */
  invalidate(credentials: BackendCredentials, jar: ProxySessionJar): void {
    const key = this.identityKey(credentials);
    const pooled = this.sessions.peek(key);
    if (pooled?.jar !== jar) return;
    this.sessions.delete(key);
    if (pooled.shared !== undefined) void this.store.coordinator?.dropSession(key, pooled.shared.version);
  }

  /**
   * After the backend refused `jar`: whether the shared store holds a newer session of the identity
   * (another replica logged in again), now pooled here in its place.
   */
  async adoptFresherShared(credentials: BackendCredentials, jar: ProxySessionJar, startUrl: URL): Promise<boolean> {
    const shared = this.store.coordinator;
    if (shared === undefined) return false;
    const key = this.identityKey(credentials);
    const pooled = this.sessions.peek(key);
    if (pooled !== undefined && pooled.jar !== jar) return true; // a newer one is already pooled here
    const found = await shared.findSession(key, credentials, startUrl, await loadLoginTools());
    if (found === undefined || found.version === pooled?.shared?.version) return false;
    this.sessions.set(key, this.pooled(found.jar, found.loggedInAt, found.version));
    return true;
  }

  /** Whether the identity may log in again after the backend refused its session; true counts as that re-login. */
  async mayLogInAgain(credentials: BackendCredentials): Promise<boolean> {
    if (this.relogins === undefined) return true;
    const key = this.identityKey(credentials);
    const shared = await this.store.coordinator?.mayLogInAgain(key);
    if (shared !== undefined) return shared;
    if (this.relogins.has(key)) return false;
    this.relogins.set(key, true);
    return true;
  }

  /** Identities pooled: logged in or logging in. */
  get size(): number {
    return this.sessions.size + this.pending.size;
  }

  private startLogin(key: string, credentials: BackendCredentials, startUrl: URL, requestId: string, deadline: CallDeadline): PendingLogin {
    const usernameKey = this.usernameKey(credentials);
    this.throttle.assertMayLogIn(key, usernameKey);
    const challenge = this.challenges.get(key);
    if (this.pending.size >= this.options.backend.pool.maxEntries) throw this.budget.overBudgetError();
    const login: { jar?: Promise<ProxySessionJar>; admitted: boolean } = { admitted: false };
    const logIn = async (sharedChallenge?: CodeChallenge, sharedDevice?: CookieJar): Promise<ProxySessionJar> => {
      const waiting = challenge ?? sharedChallenge;
      // Waiting for a code: a new login would only make GitHub send another SMS or email.
      if (waiting !== undefined && credentials.otp === undefined) throw loginFailure.codeRequired(waiting.code);
      const release = await this.admit(deadline.signal);
      login.admitted = true;
      try {
        const outcome =
          waiting !== undefined
            ? await this.flow.submitCode(waiting, credentials, credentials.otp!, requestId)
            : await this.flow.login(credentials, startUrl, requestId, this.devices?.get(key) ?? sharedDevice);
        return await this.settle(key, credentials, outcome);
      } catch (error) {
        // Recorded before the shared lock is released: a replica waiting on it must find the refusal.
        await this.recordFailure(error, key, usernameKey, credentials, requestId);
        throw error;
      } finally {
        release();
      }
    };
    login.jar = this.store.coordinator === undefined ? logIn() : this.logInShared(key, usernameKey, credentials, startUrl, deadline, logIn);
    const pending = login as PendingLogin;
    this.pending.set(key, pending);
    pending.jar.then(
      () => {
        if (this.pending.get(key) === pending) this.pending.delete(key);
      },
      () => {
        if (this.pending.get(key) === pending) this.pending.delete(key);
      },
    );
    return pending;
  }

  /**
   * Only refused credentials (and codes) count: GitHub locks accounts after repeated failures, while a
   * code asked for, an outage (502/504) or a busy service (503) says nothing about the caller.
   */
  private async recordFailure(error: unknown, key: string, usernameKey: string, credentials: BackendCredentials, requestId: string): Promise<void> {
    if (!(error instanceof BackendError)) return;
    const shared = this.store.coordinator;
    const content = error.content ?? error.reason;
    if (error instanceof CodeRefusedError) {
      // The password was right: its identity stays free to send the right code.
      this.throttle.recordRefused(undefined, usernameKey, content);
      await shared?.recordRefused(undefined, usernameKey, content);
    } else if (error.statusCode === 401 && !(error instanceof CodeRequiredError)) {
      this.throttle.recordRefused(key, usernameKey, content);
      await shared?.recordRefused(key, usernameKey, content);
    } else if (error instanceof GitHubLockoutError) {
      // It may be the service's address that is locked out: every user of the service is affected.
      this.logger.warn(`GitHub locked out ${JSON.stringify(credentials.username)} (or this service's address) [request ${requestId}]`);
      this.throttle.recordLockout(usernameKey, this.options.backend.githubLockoutMs);
      await shared?.recordLockout(usernameKey);
    }
  }

  /**
   * A login with replicas sharing the store: a session another replica shared is used as it is; else
   * the shared throttle, waiting code page and device cookies are read, and one replica logs in.
   */
  private async logInShared(
    key: string,
    usernameKey: string,
    credentials: BackendCredentials,
    startUrl: URL,
    deadline: CallDeadline,
    logIn: (challenge?: CodeChallenge, device?: CookieJar) => Promise<ProxySessionJar>,
  ): Promise<ProxySessionJar> {
    const shared = this.store.coordinator!;
    const tools = await loadLoginTools();
    const adopt = async (): Promise<ProxySessionJar | undefined> => {
      const found = await shared.findSession(key, credentials, startUrl, tools);
      if (found === undefined) return undefined;
      this.sessions.set(key, this.pooled(found.jar, found.loggedInAt, found.version));
      return found.jar;
    };
    const adopted = await adopt();
    if (adopted !== undefined) return adopted;
    return shared.singleFlight(key, adopt, deadline, async () => {
      await shared.assertMayLogIn(key, usernameKey, this.options.backend);
      const [challenge, device] = await Promise.all([shared.findChallenge(key, credentials, tools), shared.findDevice(key, credentials, tools)]);
      return logIn(challenge, device);
    });
  }

  /** A slot of the login budget: the replicas' shared one when Redis answers, this process's otherwise. */
  private async admit(signal: AbortSignal): Promise<() => void> {
    const shared = await this.store.coordinator?.admit(signal, () => this.budget.overBudgetError());
    return shared ?? this.budget.admit(signal);
  }

  private pooled(jar: ProxySessionJar, loggedInAt: number, sharedVersion?: string): PooledSession {
    const { store } = this.options.backend;
    if (sharedVersion === undefined || store.type !== 'redis') return { jar, loggedInAt };
    return { jar, loggedInAt, shared: { version: sharedVersion, checkAt: Date.now() + store.localTtlMs } };
  }

  /**
   * Keeps the identity's GitHub cookies, and the code page it waits on; the proxy session when logged in
   * (pooled here, and shared with the other replicas when they share a store).
   */
  private async settle(key: string, credentials: BackendCredentials, outcome: LoginOutcome): Promise<ProxySessionJar> {
    const jar = 'session' in outcome ? outcome.jar : outcome.challenge.jar;
    const devices = jar.deviceCookies();
    this.devices?.set(key, devices);
    const shared = this.store.coordinator;
    await shared?.saveDevice(key, credentials, devices);
    if ('session' in outcome) {
      this.challenges.delete(key);
      const loggedInAt = Date.now();
      const version = await shared?.saveSession(key, credentials, outcome.session, loggedInAt);
      await shared?.dropChallenge(key);
      this.sessions.set(key, this.pooled(outcome.session, loggedInAt, version));
      return outcome.session;
    }
    const { challenge } = outcome;
    this.challenges.set(key, challenge);
    await shared?.saveChallenge(key, credentials, challenge);
    // A code went with this attempt and GitHub asks again: that code was refused.
    throw credentials.otp === undefined ? loginFailure.codeRequired(challenge.code) : loginFailure.codeRefused(challenge.code);
  }

  private identityKey(credentials: BackendCredentials): string {
    // Length-prefixed so that no (username, password) pair can collide with another.
    return this.hmac(`${credentials.username.length}:${credentials.username}:${credentials.password}`);
  }

  /** GitHub logins are case-insensitive: `Alice` and `alice` are one username to throttle. */
  private usernameKey(credentials: BackendCredentials): string {
    return this.hmac(`user:${credentials.username.toLowerCase()}`);
  }

  private hmac(text: string): string {
    return this.identityKeys.keyOf(text);
  }
}
