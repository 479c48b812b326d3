import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CookieJar } from 'tough-cookie';
import { BackendError } from '../../errors/backend-error.js';
import type { ClientOrigin } from '../../http-request/client-address.resolver.js';
import { ApiKitObservers, loginOutcomeOf } from '../../observability/index.js';
import { APIKIT_RESOLVED_OPTIONS } from '../../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../../options/apikit-options.interface.js';
import { BackendCredentials } from '../context/backend-credentials.js';
import { LoginGate } from '../gate/login-gate.js';
import type { CallDeadline } from '../http/call-deadline.js';
import { BitlyProxyLoginFlow } from '../login/bitly-proxy-login.flow.js';
import { CodeRefusedError, loginFailure } from '../login/login-failure.errors.js';
import type { LoginOutcome } from '../login/login-outcome.interface.js';
import { loadLoginTools, type LoginTools } from '../login/login-tools.loader.js';
import type { ProxySessionJar } from '../login/proxy-session.jar.js';
import type { WaitingLogin } from '../store/shared-login.coordinator.js';
import { SharedLoginStore } from '../store/shared-login.store.js';
import type { StoredIdentityKeys } from '../store/stored-identity.keys.js';
import { IdentityKeys } from './identity-keys.js';
import { KeptGitHubCookies } from './kept-github-cookies.js';
import { CLOCK_READ_PER_CHECK } from './lru-ttl.options.js';

/** A logged-in caller's proxy session. */
interface PooledSession {
  readonly jar: ProxySessionJar;
  readonly loggedInAt: number;
  /** Its username's key: while it lives, a miss with that username is a failed guess whatever answers it. */
  readonly usernameKey: string;
  /** Its version in the shared store; with it, when this replica must ask the store again. */
  readonly shared?: { version: string; checkAt: number };
  /** Its identity's stored keys, with the Redis store: to drop or renew it there without an scrypt. */
  readonly stored?: StoredIdentityKeys;
}

/** A login in progress, which concurrent first requests of the identity share. */
interface PendingLogin {
  readonly jar: Promise<ProxySessionJar>;
  /**
   * Where it stands: `waiting` for another replica's login of the identity (its lock) or for what the store holds,
   * `admitting` at the login gate (its budget turn), then `admitted`.
   */
  stage: 'waiting' | 'admitting' | 'admitted';
  /** The client addresses whose requests take part in it, each counted once. */
  readonly addresses: Set<string | undefined>;
}

/**
 * One proxy session per caller identity: the GitHub account (its login lower-cased: GitHub's are
 * case-insensitive) and the password. Identities are keyed by an HMAC under a random per-process key:
 * the pool never holds a password as a key, and a changed password is another identity. Concurrent first
 * requests share one login (single flight), and every login is admitted by the `LoginGate` (address,
 * username and identity bounds, the service's budget); a request that misses the pool counts as an attempt
 * of its client address until it ends. Logins in progress are kept apart from the sessions, so a flood of
 * them evicts no logged-in caller. Bounded (LRU, idle expiry, absolute lifetime), and sessions whose
 * cookie expired are dropped.
 *
 * A login that GitHub stops at a code page waits (`codeWaitMs`) for the caller's `X-GitHub-OTP`, with its
 * GitHub cookies. GitHub's cookies of each identity's completed login (its device, its web session) are
 * kept sealed (`KeptGitHubCookies`) for its next login, which then needs no password and no code; a login
 * that needed a code binds them and its session to a device token the caller keeps, as a browser keeps
 * GitHub's device cookie.
 * With the Redis store, an identity's entries there are named and sealed with keys from a memory-hard KDF
 * of its password (`StoredIdentityKeyDeriver`), derived once per identity per process.
 */
@Injectable()
export class ProxySessionPool {
  private readonly keys: IdentityKeys;
  private readonly sessions: LRUCache<string, PooledSession>;
  /** Usernames with sessions in the pool, and how many. */
  private readonly liveUsernames = new Map<string, number>();
  private readonly pending = new Map<string, PendingLogin>();
  private readonly challenges: LRUCache<string, WaitingLogin>;
  private readonly kept: KeptGitHubCookies | undefined;
  /** How long GitHub's cookies of a completed login are kept (its web session's life, or its device cookie's). */
  private readonly keptTtlMs: number;
  /** Identities re-logged in because the backend refused their session, within `reloginIntervalMs`. */
  private readonly relogins: LRUCache<string, true> | undefined;
  /** Sessions another replica logged in, found in Redis: a lookup of their own for the observers. */
  private readonly adoptedShared = new WeakSet<ProxySessionJar>();

  constructor(
    private readonly flow: BitlyProxyLoginFlow,
    @Inject(APIKIT_RESOLVED_OPTIONS) private readonly options: ResolvedApiKitOptions,
    private readonly store: SharedLoginStore,
    private readonly gate: LoginGate,
    private readonly observers: ApiKitObservers,
  ) {
    const { pool, reloginIntervalMs, codeWaitMs, githubDeviceTtlMs, githubSessionTtlMs, secret } = options.backend;
    this.keys = new IdentityKeys(options.backend);
    this.sessions = new LRUCache({
      max: pool.maxEntries,
      ttl: pool.idleTtlMs,
      updateAgeOnGet: true,
      ...CLOCK_READ_PER_CHECK,
      dispose: (session) => this.countLive(session.usernameKey, -1),
    });
    this.challenges = new LRUCache({ max: pool.maxEntries, ttl: codeWaitMs, ...CLOCK_READ_PER_CHECK });
    this.keptTtlMs = githubSessionTtlMs > 0 ? githubSessionTtlMs : githubDeviceTtlMs;
    this.kept = this.keptTtlMs > 0 ? new KeptGitHubCookies(secret, pool.maxEntries, this.keptTtlMs) : undefined;
    this.relogins = reloginIntervalMs > 0 ? new LRUCache({ max: pool.maxEntries, ttl: reloginIntervalMs, ...CLOCK_READ_PER_CHECK }) : undefined;
  }

  /**
   * The cookie jar of the caller's proxy session, logging in when there is none (or it expired). A pooled
   * session is returned as it is: a promise only when there is something to wait for. A client address at
   * its bound gets 429 whatever it asks, a pooled session included (the pool must not answer guesses).
   */
  acquire(credentials: BackendCredentials, startUrl: URL, requestId: string, deadline: CallDeadline, client?: ClientOrigin): ProxySessionJar | Promise<ProxySessionJar> {
    if (this.gate.blocked.any) this.gate.assertAddressOpen(client);
    let key = this.keys.local(credentials);
    let pooled = this.livePooled(key);
    // A token the service did not issue opens nothing and names no identity of its own (checked on a miss only:
    // a session pooled under a token was opened with an issued one).
    if (pooled === undefined && credentials.device !== undefined && !this.keys.issuedDevice(credentials)) {
      credentials.forgetDevice();
      key = this.keys.local(credentials);
      pooled = this.livePooled(key);
    }
    if (pooled === undefined) return this.awaitLogin(key, credentials, startUrl, requestId, deadline, client);
    // A session from the shared store is asked about again after localTtlMs: another replica may have dropped it.
    if (pooled.shared !== undefined && Date.now() >= pooled.shared.checkAt) return this.recheckShared(key, pooled, credentials, startUrl, requestId, deadline, client);
    this.observers.sessionLookup('hit', requestId);
    // Logged in: nothing to wait for (racing a settled login against the deadline costs a promise and a listener).
    deadline.throwIfAborted();
    return pooled.jar;
  }

  /** The identity's pooled session while it lives (dropped once it does not). */
  private livePooled(key: string): PooledSession | undefined {
    const pooled = this.sessions.get(key);
    if (pooled === undefined) return undefined;
    if (pooled.jar.hasUsableSession() && Date.now() - pooled.loggedInAt < this.options.backend.pool.maxAgeMs) return pooled;
    this.sessions.delete(key);
    return undefined;
  }

  /**
   * A live session from the shared store, due to be asked about again: kept while the store has it; replaced by
   * the newer one another replica shared; logged in again once a replica dropped it (its tombstone says so).
   * A store that lost it (Redis restarted empty) or does not answer is no reason to log in: the session is
   * shared again, or kept as a lone replica keeps its own, and asked about again after `localTtlMs`.
   */
  private async recheckShared(
    key: string,
    pooled: PooledSession,
    credentials: BackendCredentials,
    startUrl: URL,
    requestId: string,
    deadline: CallDeadline,
    client?: ClientOrigin,
  ): Promise<ProxySessionJar> {
    const shared = this.store.coordinator!;
    const stored = pooled.stored!;
    const tools = await loadLoginTools();
    const recheck = await shared.recheckSession(stored, pooled.shared!.version, startUrl, tools);
    if (this.sessions.peek(key) !== pooled) return this.acquire(credentials, startUrl, requestId, deadline, client); // changed meanwhile
    switch (recheck.state) {
      case 'dropped':
        this.sessions.delete(key);
        return this.awaitLogin(key, credentials, startUrl, requestId, deadline, client);
      case 'replaced':
        this.adoptedShared.add(recheck.found.jar);
        this.poolSession(key, this.pooled(credentials, recheck.found.jar, recheck.found.loggedInAt, recheck.found.version, stored));
        await this.keepSharedCookies(key, credentials, stored, tools);
        this.observers.sessionLookup('shared', requestId);
        deadline.throwIfAborted();
        return recheck.found.jar;
      case 'lost': {
        const version = await shared.saveSession(stored, pooled.jar, pooled.loggedInAt);
        this.poolSession(key, this.pooled(credentials, pooled.jar, pooled.loggedInAt, version, stored));
        // GitHub's cookies too, when kept here: the identity's next login, on any replica, needs no password.
        const kept = this.kept?.take(key, credentials, tools.deserializeJar);
        if (kept !== undefined) await shared.saveDevice(stored, kept, this.keptTtlMs);
        break;
      }
      default:
        this.poolSession(key, this.pooled(credentials, pooled.jar, pooled.loggedInAt, pooled.shared!.version, stored));
        // GitHub's cookies, unless kept already: Redis may not have answered for them as this replica adopted the
        // session (the soak: a latency window then, a restart later, and the next login needed the password again).
        await this.keepSharedCookies(key, credentials, stored, tools);
    }
    this.observers.sessionLookup('hit', requestId);
    deadline.throwIfAborted();
    return pooled.jar;
  }

  private async awaitLogin(key: string, credentials: BackendCredentials, startUrl: URL, requestId: string, deadline: CallDeadline, client?: ClientOrigin): Promise<ProxySessionJar> {
    let login: PendingLogin;
    try {
      login = await this.joinOrStartLogin(key, credentials, startUrl, requestId, deadline, this.gate.addressKeyOf(client));
    } catch (error) {
      // Refused before a login started (the address, the budget): a login outcome of its own, without pages.
      this.observers.loginRefused(loginOutcomeOf(error));
      throw error;
    }
    try {
      const jar = await deadline.race(login.jar);
      this.observers.sessionLookup(this.adoptedShared.has(jar) ? 'shared' : 'miss', requestId);
      return jar;
    } catch (error) {
      this.observers.sessionLookup('miss', requestId);
      // Out of time while the login still waited for the budget: the service is busy, not the backend slow. Waiting for
      // another replica's login of the identity is not that: its 504 says the login took too long (a lock that outlived
      // its login, after a Redis stall, read as "too many logins in progress" with none in progress).
      const timedOut = error instanceof BackendError && error.statusCode === 504;
      if (!timedOut || login.stage !== 'admitting') throw error;
      // Not a refusal of its own: the login's budget wait (startLogin) reports it, once for every request it serves.
      throw this.gate.overBudgetError();
    }
  }

  /**
   * The identity's login in progress, or a new one: each client address taking part counts it as one of
   * its attempts until it ends, whatever answers it (429 when the address is at its bound).
   */
  private async joinOrStartLogin(
    key: string,
    credentials: BackendCredentials,
    startUrl: URL,
    requestId: string,
    deadline: CallDeadline,
    addressKey: string | undefined,
  ): Promise<PendingLogin> {
    // Requests with a code and without one never share a login: a code's login serves only those that sent one.
    const pendingKey = credentials.otp === undefined ? key : `${key}+code`;
    const joined = this.pending.get(pendingKey);
    if (joined?.addresses.has(addressKey) === true) return joined;
    // With Redis, each replica taking part in a login reserves it: named by the identity's stored key, it counts once.
    const once = addressKey === undefined || !this.keys.stored ? undefined : (await this.keys.storedOf(key, credentials)).storeKey;
    const ticket = await this.gate.admitRequest(addressKey, once);
    // Other credentials of a username the pool holds: the pool would answer the right ones, so these count whatever answers.
    const missedLiveSession = this.liveUsernames.has(this.keys.username(credentials));
    let login: PendingLogin;
    try {
      login = this.pending.get(pendingKey) ?? this.startLogin(key, pendingKey, credentials, startUrl, requestId, deadline, addressKey);
    } catch (error) {
      ticket.settle(error);
      throw error;
    }
    if (login.addresses.has(addressKey)) {
      ticket.settle(undefined);
    } else {
      login.addresses.add(addressKey);
      login.jar.then(() => ticket.settle(undefined), (error: unknown) => ticket.settle(error, missedLiveSession));
    }
    return login;
  }

  /** Drops the session `jar` belongs to (here and in the shared store), unless a newer one replaced it. */
  invalidate(credentials: BackendCredentials, jar: ProxySessionJar): void {
    const key = this.keys.local(credentials);
    const pooled = this.sessions.peek(key);
    if (pooled?.jar !== jar) return;
    this.sessions.delete(key);
    if (pooled.shared !== undefined && pooled.stored !== undefined) void this.store.coordinator?.dropSession(pooled.stored, pooled.shared.version);
  }

  /**
   * After the backend refused `jar`: whether the shared store holds a newer session of the identity
   * (another replica logged in again), now pooled here in its place.
   */
  async adoptFresherShared(credentials: BackendCredentials, jar: ProxySessionJar, startUrl: URL): Promise<boolean> {
    const shared = this.store.coordinator;
    if (shared === undefined) return false;
    const key = this.keys.local(credentials);
    const pooled = this.sessions.peek(key);
    if (pooled !== undefined && pooled.jar !== jar) return true; // a newer one is already pooled here
    const stored = await this.keys.storedOf(key, credentials);
    const found = await shared.findSession(stored, startUrl, await loadLoginTools());
    if (found === undefined || found.version === pooled?.shared?.version) return false;
    this.poolSession(key, this.pooled(credentials, found.jar, found.loggedInAt, found.version, stored));
    return true;
  }

  /** Whether the identity may log in again after the backend refused its session; true counts as that re-login. */
  async mayLogInAgain(credentials: BackendCredentials): Promise<boolean> {
    const key = this.keys.local(credentials);
    // The hourly allowance (the gate's, shared by the replicas) is taken only by a re-login the interval lets through.
    return (await this.reloginIntervalAllows(key, credentials)) && (await this.gate.mayReloginStale(this.keys.username(credentials)));
  }

  /** At most one re-login per identity per `reloginIntervalMs` (across replicas with Redis); true counts as it. */
  private async reloginIntervalAllows(key: string, credentials: BackendCredentials): Promise<boolean> {
    if (this.relogins === undefined) return true;
    if (this.store.coordinator !== undefined) {
      const shared = await this.store.coordinator.mayLogInAgain(await this.keys.storedOf(key, credentials));
      if (shared !== undefined) return shared;
    }
    if (this.relogins.has(key)) return false;
    this.relogins.set(key, true);
    return true;
  }

  /** Identities pooled: logged in or logging in. */
  get size(): number {
    return this.sessions.size + this.pending.size;
  }

  private startLogin(
    key: string,
    pendingKey: string,
    credentials: BackendCredentials,
    startUrl: URL,
    requestId: string,
    deadline: CallDeadline,
    addressKey: string | undefined,
  ): PendingLogin {
    if (this.pending.size >= this.options.backend.pool.maxEntries) throw this.gate.overBudgetError();
    const usernameKey = this.keys.username(credentials);
    const refusalKey = this.keys.refusal(credentials);
    const localWaiting = this.challenges.get(key);
    const login: { jar?: Promise<ProxySessionJar>; stage: PendingLogin['stage']; addresses: Set<string | undefined> } = { stage: 'waiting', addresses: new Set() };
    const logIn = async (sharedWaiting?: WaitingLogin, sharedDevice?: CookieJar, stored?: StoredIdentityKeys, sharedEnded = false): Promise<ProxySessionJar> => {
      // The store knows the waiting login ended (another replica completed it): this replica's copy is stale.
      if (sharedEnded) this.challenges.delete(key);
      const waiting = (sharedEnded ? undefined : localWaiting) ?? sharedWaiting;
      // Waiting for a code: a new login would only make GitHub send another SMS or email.
      if (waiting !== undefined && credentials.otp === undefined) throw loginFailure.codeRequired(waiting.challenge.code);
      const scope = waiting === undefined ? undefined : { since: waiting.startedAt, tag: waiting.tag };
      const tools = await loadLoginTools();
      const kept = waiting === undefined ? (this.kept?.take(key, credentials, tools.deserializeJar) ?? sharedDevice) : undefined;
      // Through GitHub's kept web session no password is shown: a guesser's failures on the username do not hold it.
      const keptSession = kept !== undefined && tools.LoginCookieJar.holdsWebSession(kept);
      // A password login under the captcha hold is refused before it takes a budget start (a 503 no throttle counts:
      // one address looping them spent the hour's budget); a code, or GitHub's kept session, posts no password.
      const assertMayStart = waiting === undefined && !keptSession ? () => this.flow.assertPasswordNotHeld() : undefined;
      const request = { username: credentials.username, requestId, identityKey: refusalKey, usernameKey, addressKey, waiting: scope, keptSession, assertMayStart };
      let pass: Awaited<ReturnType<LoginGate['admitLogin']>>;
      login.stage = 'admitting';
      try {
        pass = await this.gate.admitLogin(request, deadline.signal);
      } catch (error) {
        this.observers.loginRefused(loginOutcomeOf(error));
        throw error;
      }
      login.stage = 'admitted';
      let failure: unknown;
      try {
        const outcome =
          waiting !== undefined
            ? await this.flow.submitCode(waiting.challenge, credentials, credentials.otp!, requestId)
            : // A code sent while no login waits for one is not submitted: it may be stale, and a refused one counts.
              await this.flow.login(withoutCode(credentials), startUrl, requestId, kept, keptSession);
        return await this.settle(key, credentials, outcome, waiting, stored);
      } catch (error) {
        failure = error;
        // Only GitHub's code page again (a refused code) leaves a login waiting: after anything else (a time-out, a lost
        // connection, an outage, its login page) where that login stands at GitHub is unknown, and a code posted to it
        // again would meet GitHub's login page. The next request starts a login of its own.
        if (waiting !== undefined && !(error instanceof CodeRefusedError)) await this.forgetChallenge(key, stored);
        throw error;
      } finally {
        // Settled before the shared lock is released: a replica waiting on it must find the refusal.
        await pass.settle(failure);
      }
    };
    login.jar = this.store.coordinator === undefined ? logIn() : this.logInShared(key, credentials, startUrl, deadline, logIn);
    const pending = login as PendingLogin;
    this.pending.set(pendingKey, pending);
    const forget = (): void => {
      if (this.pending.get(pendingKey) === pending) this.pending.delete(pendingKey);
    };
    pending.jar.then(forget, forget);
    return pending;
  }

  /**
   * A login with replicas sharing the store: a session another replica shared is used as it is; else
   * the identity's waiting code page and device cookie are read, and one replica logs in.
   */
  private async logInShared(
    key: string,
    credentials: BackendCredentials,
    startUrl: URL,
    deadline: CallDeadline,
    logIn: (waiting?: WaitingLogin, device?: CookieJar, stored?: StoredIdentityKeys, waitingEnded?: boolean) => Promise<ProxySessionJar>,
  ): Promise<ProxySessionJar> {
    const shared = this.store.coordinator!;
    const [tools, stored] = await Promise.all([loadLoginTools(), this.keys.storedOf(key, credentials)]);
    const adopt = async (): Promise<ProxySessionJar | undefined> => {
      const found = await shared.findSession(stored, startUrl, tools);
      if (found === undefined) return undefined;
      this.adoptedShared.add(found.jar);
      // Logged in: a login this replica left waiting for a code is moot (it waited while Redis did not answer), here and
      // for the others. Else it outlived the session, and the identity's next login asked for a code GitHub never sent.
      if (this.challenges.has(key)) await shared.dropChallenge(stored);
      this.poolSession(key, this.pooled(credentials, found.jar, found.loggedInAt, found.version, stored));
      await this.keepSharedCookies(key, credentials, stored, tools);
      return found.jar;
    };
    const adopted = await adopt();
    if (adopted !== undefined) return adopted;
    return shared.singleFlight(stored.storeKey, adopt, deadline, async () => {
      const [waiting, device] = await Promise.all([shared.findChallenge(stored, tools, credentials.otp !== undefined), shared.findDevice(stored, tools)]);
      return logIn(waiting.waiting, device, stored, waiting.ended);
    });
  }

  /**
   * GitHub's cookies of an identity another replica logged in (its device, its web session), kept here too, once
   * found (asked again at each check of the shared session until then):
   * should the store lose them (Redis restarted empty) or not answer when the identity's next login comes (its
   * proxy session ended), this replica logs it in through them, without a password or a code.
   */
  private async keepSharedCookies(key: string, credentials: BackendCredentials, stored: StoredIdentityKeys, tools: LoginTools): Promise<void> {
    if (this.kept === undefined || this.kept.has(key)) return;
    const cookies = await this.store.coordinator!.findDevice(stored, tools);
    if (cookies !== undefined) this.kept.keep(key, credentials, cookies);
  }

  private async forgetChallenge(key: string, stored: StoredIdentityKeys | undefined): Promise<void> {
    this.challenges.delete(key);
    if (stored !== undefined) await this.store.coordinator?.dropChallenge(stored);
  }

  private pooled(
    credentials: BackendCredentials,
    jar: ProxySessionJar,
    loggedInAt: number,
    sharedVersion?: string,
    stored?: StoredIdentityKeys,
  ): PooledSession {
    const { store } = this.options.backend;
    const usernameKey = this.keys.username(credentials);
    if (sharedVersion === undefined || store.type !== 'redis') return { jar, loggedInAt, usernameKey };
    return { jar, loggedInAt, usernameKey, stored, shared: { version: sharedVersion, checkAt: Date.now() + store.localTtlMs } };
  }

  private poolSession(key: string, session: PooledSession): void {
    this.challenges.delete(key); // logged in: no login of the identity waits for a code here
    this.sessions.set(key, session);
    this.countLive(session.usernameKey, 1);
  }

  private countLive(usernameKey: string, change: 1 | -1): void {
    const count = (this.liveUsernames.get(usernameKey) ?? 0) + change;
    if (count > 0) this.liveUsernames.set(usernameKey, count);
    else this.liveUsernames.delete(usernameKey);
  }

  /**
   * A completed login: GitHub's cookies kept for the identity's next login, the proxy session pooled here
   * (and shared with the other replicas when they share a store). A login that needed a code binds both
   * to a new device token, given to the caller (`X-ApiKit-Device`): the password alone opens neither.
   * A login stopped at a code page waits for the caller's code; nothing of it is kept.
   */
  private async settle(
    key: string,
    credentials: BackendCredentials,
    outcome: LoginOutcome,
    waiting: WaitingLogin | undefined,
    stored: StoredIdentityKeys | undefined,
  ): Promise<ProxySessionJar> {
    const shared = stored === undefined ? undefined : this.store.coordinator;
    if ('session' in outcome) {
      this.challenges.delete(key);
      if (waiting !== undefined) await shared?.dropChallenge(stored!);
      let [owner, ownerKey, ownerStored] = [credentials, key, stored];
      if (waiting !== undefined && credentials.device === undefined) {
        owner = credentials.issueDevice(this.keys.mintDevice(credentials));
        ownerKey = this.keys.local(owner);
        ownerStored = stored === undefined ? undefined : await this.keys.storedOf(ownerKey, owner);
      }
      const kept = outcome.jar.keptCookies(this.options.backend.githubSessionTtlMs > 0);
      this.kept?.keep(ownerKey, owner, kept);
      if (this.keptTtlMs > 0) await shared?.saveDevice(ownerStored!, kept, this.keptTtlMs);
      const loggedInAt = Date.now();
      const version = await shared?.saveSession(ownerStored!, outcome.session, loggedInAt);
      this.poolSession(ownerKey, this.pooled(owner, outcome.session, loggedInAt, version, ownerStored));
      return outcome.session;
    }
    // A login waiting for its code keeps the time it began waiting and its tag: later failures of others do not hold it.
    const next: WaitingLogin = { challenge: outcome.challenge, startedAt: waiting?.startedAt ?? Date.now(), tag: waiting?.tag ?? randomUUID() };
    this.challenges.set(key, next);
    await shared?.saveChallenge(stored!, next);
    // A code went with this attempt and GitHub asks again: that code was refused.
    throw waiting === undefined ? loginFailure.codeRequired(next.challenge.code) : loginFailure.codeRefused(next.challenge.code);
  }
}

/** The caller's credentials without the code it sent. */
function withoutCode(credentials: BackendCredentials): BackendCredentials {
  return credentials.otp === undefined ? credentials : new BackendCredentials(credentials.username, credentials.password);
}
