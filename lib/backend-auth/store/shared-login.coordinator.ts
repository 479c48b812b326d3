import type { CookieJar } from 'tough-cookie';
import type { BackendError } from '../../errors/backend-error.js';
import type { ResolvedBackendSessionOptions } from '../../options/backend-options.interface.js';
import { LocalAttemptLedger } from '../gate/local-attempt.ledger.js';
import type { CallDeadline } from '../http/call-deadline.js';
import type { LoginCookieJarSnapshot } from '../login/login-cookie.jar.js';
import { throttled } from '../login/login-failure.errors.js';
import type { CodeChallenge } from '../login/login-outcome.interface.js';
import type { LoginTools } from '../login/login-tools.loader.js';
import type { ProxySessionJar, ProxySessionJarSnapshot } from '../login/proxy-session.jar.js';
import { SharedAttemptLedger } from './shared-attempt.ledger.js';
import type { SharedLoginState } from './shared-login-state.js';
import type { StoredIdentityKeys } from './stored-identity.keys.js';
import { WaitBackoff } from './wait.backoff.js';

/** The first pause before an unanswered unlock is sent again (then doubling). */
const UNLOCK_RETRY_FIRST_MS = 250;

/** A session as the replicas share it. */
interface SharedSession {
  jar: ProxySessionJarSnapshot;
  loggedInAt: number;
}

interface SharedChallenge {
  code: CodeChallenge['code'];
  action: string;
  fields: Array<[string, string]>;
  field: string;
  startUrl: string;
  jar: LoginCookieJarSnapshot;
  startedAt: number;
  tag: string;
}

/** A proxy session found in the shared store. */
export interface FoundSession {
  jar: ProxySessionJar;
  loggedInAt: number;
  version: string;
}

/**
 * What the store says of a session a replica pooled from it, asked again: still the one it has (`current`),
 * replaced by another replica's newer one (`replaced`), dropped by a replica (`dropped`), not there at all
 * (`lost`: Redis restarted empty, or it never got there), or nothing (`unknown`: Redis is away).
 */
export type SessionRecheck =
  | { state: 'current' | 'dropped' | 'lost' | 'unknown' }
  | { state: 'replaced'; found: FoundSession };

/** A login waiting for its code: the code page, and since when it waits (its tag names its own attempts). */
export interface WaitingLogin {
  readonly challenge: CodeChallenge;
  readonly startedAt: number;
  readonly tag: string;
}

/**
 * The pool's use of the shared store: the sessions, devices and half-done logins of identities (sealed
 * under a key from their password), and single flight across replicas (a lock renewed while its login
 * runs; the others wait for the session it writes, asking again less and less often). Each method answers
 * `undefined` (not shared, not known) when Redis is away: the pool then does what a single replica does.
 */
export class SharedLoginCoordinator {
  /** Attempts of usernames and client addresses, counted across replicas. */
  readonly ledger: SharedAttemptLedger;

  constructor(
    private readonly state: SharedLoginState,
    private readonly options: ResolvedBackendSessionOptions,
  ) {
    this.ledger = new SharedAttemptLedger(state, new LocalAttemptLedger());
  }

  async findSession(identity: StoredIdentityKeys, startUrl: URL, tools: LoginTools): Promise<FoundSession | undefined> {
    const read = await this.state.load<SharedSession>('session', identity);
    if (!read.known || read.value === undefined) return undefined;
    return this.liveSession(read.value, startUrl, tools);
  }

  /** Asks again about the session of `version` this replica pooled from the store (see `SessionRecheck`). */
  async recheckSession(identity: StoredIdentityKeys, version: string, startUrl: URL, tools: LoginTools): Promise<SessionRecheck> {
    const read = await this.state.load<SharedSession>('session', identity);
    if (!read.known) return { state: 'unknown' };
    if (read.dropped === true) return { state: 'dropped' };
    if (read.value === undefined) return { state: 'lost' };
    if (read.value.version === version) return { state: 'current' };
    const found = this.liveSession(read.value, startUrl, tools);
    // A newer one that has already ended: nothing to keep, a login is due anyway.
    return found === undefined ? { state: 'dropped' } : { state: 'replaced', found };
  }

  private liveSession({ value, version }: { value: SharedSession; version: string }, startUrl: URL, tools: LoginTools): FoundSession | undefined {
    const jar = tools.ProxySessionJar.fromSnapshot(startUrl, this.options.cookies, this.options.proxyCookieName, value.jar);
    if (!jar.hasUsableSession() || Date.now() - value.loggedInAt >= this.options.pool.maxAgeMs) return undefined;
    return { jar, loggedInAt: value.loggedInAt, version };
  }

  /**
   * Shares a fresh session until it ends, at its absolute lifetime (pool.maxAgeMs) or its proxy cookie's
   * expiry, whichever comes first; returns its version, to drop that one only.
   */
  saveSession(identity: StoredIdentityKeys, jar: ProxySessionJar, loggedInAt: number): Promise<string> {
    const session: SharedSession = { jar: jar.snapshot(), loggedInAt };
    const endsAt = Math.min(loggedInAt + this.options.pool.maxAgeMs, jar.sessionExpiry);
    return this.state.save('session', identity, session, endsAt - Date.now());
  }

  /** Drops that version of the session, leaving a tombstone: replicas that pooled it learn it was dropped, not lost. */
  dropSession(identity: StoredIdentityKeys, version: string): Promise<void> {
    return this.state.drop('session', identity.storeKey, version);
  }

  /**
   * The identity's login waiting for a code, and whether one ended: taken by a replica a code came to, or dropped
   * (completed, failed, or moot once the identity was logged in). A replica's own copy of an ended one is stale: it
   * asked callers for a code GitHub never sent (the soak: a device-verification login waiting on one replica was
   * completed on another). `take` (a code comes with the request): ended as it is read, while Redis answers, rather
   * than after the code's answer: a drop lost then (Redis stalled or away) left a completed login waiting there. A
   * refused code shares the login again (`saveChallenge`).
   */
  async findChallenge(identity: StoredIdentityKeys, tools: LoginTools, take = false): Promise<{ waiting?: WaitingLogin; ended: boolean }> {
    const read = await this.state.load<SharedChallenge>('challenge', identity, take);
    if (!read.known || read.value === undefined) return { ended: read.known && read.dropped === true };
    const shared = read.value.value;
    const startUrl = new URL(shared.startUrl);
    const challenge: CodeChallenge = {
      code: shared.code,
      form: { action: new URL(shared.action), fields: shared.fields },
      field: shared.field,
      startUrl,
      jar: tools.LoginCookieJar.fromSnapshot(startUrl, this.options, shared.jar),
    };
    return { waiting: { challenge, startedAt: shared.startedAt, tag: shared.tag }, ended: false };
  }

  async saveChallenge(identity: StoredIdentityKeys, waiting: WaitingLogin): Promise<void> {
    const { challenge } = waiting;
    const shared: SharedChallenge = {
      code: challenge.code,
      action: challenge.form.action.href,
      fields: challenge.form.fields,
      field: challenge.field,
      startUrl: challenge.startUrl.href,
      jar: challenge.jar.snapshot(),
      startedAt: waiting.startedAt,
      tag: waiting.tag,
    };
    await this.state.save('challenge', identity, shared, this.options.codeWaitMs);
  }

  dropChallenge(identity: StoredIdentityKeys): Promise<void> {
    return this.state.drop('challenge', identity.storeKey);
  }

  async findDevice(identity: StoredIdentityKeys, tools: LoginTools): Promise<CookieJar | undefined> {
    const read = await this.state.load<unknown>('device', identity);
    return read.known && read.value !== undefined ? tools.deserializeJar(read.value.value) : undefined;
  }

  /** Keeps GitHub's cookies of the identity's completed login (device, web session) for `ttlMs`. */
  async saveDevice(identity: StoredIdentityKeys, kept: CookieJar, ttlMs: number): Promise<void> {
    await this.state.save('device', identity, kept.serializeSync(), ttlMs);
  }

  /**
   * Single flight across replicas: runs `login` under the identity's lock, or, while another replica
   * holds it, waits for the session it shares (within `deadline`) and returns that instead. The lock
   * first lasts a login's time-out and is renewed while the login (budget wait and writes included) runs.
   */
  async singleFlight<T>(key: string, findShared: () => Promise<T | undefined>, deadline: CallDeadline, login: () => Promise<T>): Promise<T> {
    const lockMs = this.options.loginTimeoutMs;
    for (;;) {
      const lock = await this.state.lock(key, lockMs);
      if (lock.state !== 'taken') {
        // Not known to be held, the lock may be ours all the same (Redis runs the SET late): the login treats it as its
        // own, renewed while it runs and given back after, on its token alone. Other replicas wait for it meanwhile.
        const { token } = lock;
        const renewal = setInterval(() => void this.state.renewLock(key, token, lockMs), Math.max(100, Math.floor(lockMs / 3)));
        renewal.unref();
        try {
          // Another replica may have shared its session between our look and our lock.
          return lock.state === 'held' ? ((await findShared()) ?? (await login())) : await login();
        } finally {
          clearInterval(renewal);
          await this.unlock(key, token, lockMs);
        }
      }
      // Another replica logs this identity in: its session, once shared, is ours too.
      const backoff = new WaitBackoff();
      while (await this.state.isLocked(key)) {
        deadline.throwIfAborted();
        await backoff.wait(deadline.signal);
      }
      const shared = await findShared();
      if (shared !== undefined) return shared;
      // Its login ended without a session (refused, a code asked): the shared throttle decides what we may do.
      deadline.throwIfAborted();
    }
  }

  /**
   * Gives the identity's lock back. An unlock Redis did not answer (a reset connection) is sent again, less and less
   * often, for as long as the lock could live: left there, it held the identity's next logins on every replica for
   * its whole term, each caller waiting until its own deadline.
   */
  private async unlock(key: string, token: string, lockMs: number): Promise<void> {
    if (await this.state.unlock(key, token)) return;
    const until = Date.now() + lockMs;
    let pauseMs = UNLOCK_RETRY_FIRST_MS;
    const retry = async (): Promise<void> => {
      if ((await this.state.unlock(key, token)) || Date.now() + pauseMs >= until) return;
      pauseMs *= 2;
      setTimeout(() => void retry(), pauseMs).unref();
    };
    setTimeout(() => void retry(), pauseMs).unref();
  }

  /** The shared refusal of the identity and the lockout of the username, as the local records' 429s. */
  async assertNotRefused(refusalKey: string, usernameKey: string): Promise<void> {
    const lockoutMs = await this.state.markRemainingMs('lockout', usernameKey, this.options.githubLockoutMs);
    if (lockoutMs !== undefined) throw throttled.lockedOut(lockoutMs);
    const refusedMs = await this.state.markRemainingMs('refused', refusalKey, this.options.failedLoginBackoffMs);
    if (refusedMs !== undefined) throw throttled.identityRefused(refusedMs);
  }

  async recordIdentityRefused(refusalKey: string): Promise<void> {
    if (this.options.failedLoginBackoffMs > 0) await this.state.mark('refused', refusalKey, this.options.failedLoginBackoffMs, false);
  }

  async recordLockout(usernameKey: string): Promise<void> {
    await this.state.mark('lockout', usernameKey, this.options.githubLockoutMs, false);
  }

  /** Whether the identity may log in again after a refused session (once per interval, across replicas); undefined: unknown. */
  mayLogInAgain(identity: StoredIdentityKeys): Promise<boolean | undefined> {
    return this.state.mark('relogin', identity.storeKey, this.options.reloginIntervalMs, true);
  }

  publishBlockedAddress(addressKey: string, until: number): Promise<void> {
    return this.state.publishBlockedAddress(addressKey, until, this.options.addressThrottle.windowMs);
  }

  blockedAddresses(): Promise<Array<[string, number]> | undefined> {
    return this.state.blockedAddresses(this.options.addressThrottle.windowMs);
  }

  /**
   * Waits for a slot of the service-wide login budget (all replicas), asking again less and less often,
   * until `signal` aborts (then a 503 from `overBudget`); undefined when Redis does not answer (the local
   * budget decides).
   */
  async admit(signal: AbortSignal, overBudget: () => BackendError): Promise<(() => void) | undefined> {
    const backoff = new WaitBackoff();
    for (;;) {
      const admitted = await this.state.admitLogin(this.options.loginBudget, this.options.loginTimeoutMs);
      if (!admitted.known) return undefined;
      const { holder } = admitted.value!;
      if (holder !== undefined) return () => void this.state.releaseLogin(holder);
      if (signal.aborted) throw overBudget();
      await backoff.wait(signal);
    }
  }
}
