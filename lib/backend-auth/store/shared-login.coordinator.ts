import type { CookieJar } from 'tough-cookie';
import { BackendError } from '../../errors/backend-error.js';
import type { ResolvedBackendSessionOptions } from '../../options/backend-options.interface.js';
import type { BackendCredentials } from '../context/backend-credentials.js';
import type { CallDeadline } from '../http/call-deadline.js';
import type { LoginCookieJarSnapshot } from '../login/login-cookie.jar.js';
import { throttled } from '../login/login-failure.errors.js';
import type { CodeChallenge } from '../login/login-outcome.interface.js';
import type { LoginTools } from '../login/login-tools.loader.js';
import type { ProxySessionJar, ProxySessionJarSnapshot } from '../login/proxy-session.jar.js';
import type { SharedLoginState } from './shared-login-state.js';

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
}

/** A proxy session found in the shared store. */
export interface FoundSession {
  jar: ProxySessionJar;
  loggedInAt: number;
  version: string;
}

const POLL_MS = 100;

/**
 * The pool's use of the shared store: the sessions, devices and half-done logins of callers (sealed
 * under their password), and single flight across replicas (a lock no longer than the login
 * time-out; the others wait for the session it writes). Each method answers `undefined` (not shared,
 * not known) when Redis is away: the pool then does what a single replica does.
 */
export class SharedLoginCoordinator {
  constructor(
    private readonly state: SharedLoginState,
    private readonly options: ResolvedBackendSessionOptions,
  ) {}

  async findSession(key: string, credentials: BackendCredentials, startUrl: URL, tools: LoginTools): Promise<FoundSession | undefined> {
    const read = await this.state.load<SharedSession>('session', key, credentials.password);
    if (!read.known || read.value === undefined) return undefined;
    const { value, version } = read.value;
    const jar = tools.ProxySessionJar.fromSnapshot(startUrl, this.options.cookies, this.options.proxyCookieName, value.jar);
    if (!jar.hasLiveSession() || Date.now() - value.loggedInAt >= this.options.pool.maxAgeMs) return undefined;
    return { jar, loggedInAt: value.loggedInAt, version };
  }

  /**
   * Shares a fresh session until it ends, at its absolute lifetime (pool.maxAgeMs) or its proxy cookie's
   * expiry, whichever comes first; returns its version, to drop that one only.
   */
  saveSession(key: string, credentials: BackendCredentials, jar: ProxySessionJar, loggedInAt: number): Promise<string> {
    const session: SharedSession = { jar: jar.snapshot(), loggedInAt };
    const endsAt = Math.min(loggedInAt + this.options.pool.maxAgeMs, jar.sessionExpiry);
    return this.state.save('session', key, credentials.password, session, endsAt - Date.now());
  }

  dropSession(key: string, version: string): Promise<void> {
    return this.state.drop('session', key, version);
  }

  async findChallenge(key: string, credentials: BackendCredentials, tools: LoginTools): Promise<CodeChallenge | undefined> {
    const read = await this.state.load<SharedChallenge>('challenge', key, credentials.password);
    if (!read.known || read.value === undefined) return undefined;
    const shared = read.value.value;
    const startUrl = new URL(shared.startUrl);
    return {
      code: shared.code,
      form: { action: new URL(shared.action), fields: shared.fields },
      field: shared.field,
      startUrl,
      jar: tools.LoginCookieJar.fromSnapshot(startUrl, this.options, shared.jar),
    };
  }

  async saveChallenge(key: string, credentials: BackendCredentials, challenge: CodeChallenge): Promise<void> {
    const shared: SharedChallenge = {
      code: challenge.code,
      action: challenge.form.action.href,
      fields: challenge.form.fields,
      field: challenge.field,
      startUrl: challenge.startUrl.href,
      jar: challenge.jar.snapshot(),
    };
    await this.state.save('challenge', key, credentials.password, shared, this.options.codeWaitMs);
  }

  dropChallenge(key: string): Promise<void> {
    return this.state.drop('challenge', key);
  }

  async findDevice(key: string, credentials: BackendCredentials, tools: LoginTools): Promise<CookieJar | undefined> {
    const read = await this.state.load<unknown>('device', key, credentials.password);
    return read.known && read.value !== undefined ? tools.deserializeJar(read.value.value) : undefined;
  }

  async saveDevice(key: string, credentials: BackendCredentials, devices: CookieJar): Promise<void> {
    await this.state.save('device', key, credentials.password, devices.serializeSync(), this.options.githubDeviceTtlMs);
  }

  /**
   * Single flight across replicas: runs `login` under the identity's lock, or, while another replica
   * holds it, waits for the session it shares (within `deadline`) and returns that instead.
   */
  async singleFlight<T>(key: string, findShared: () => Promise<T | undefined>, deadline: CallDeadline, login: () => Promise<T>): Promise<T> {
    for (;;) {
      const lock = await this.state.lock(key, this.options.loginTimeoutMs);
      if (!lock.known) return login();
      if (lock.value !== undefined) {
        const token = lock.value;
        try {
          // Another replica may have shared its session between our look and our lock.
          return (await findShared()) ?? (await login());
        } finally {
          await this.state.unlock(key, token);
        }
      }
      // Another replica logs this identity in: its session, once shared, is ours too.
      while (await this.state.isLocked(key)) {
        deadline.throwIfAborted();
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      const shared = await findShared();
      if (shared !== undefined) return shared;
      // Its login ended without a session (refused, a code asked): the shared throttle decides what we may do.
      deadline.throwIfAborted();
    }
  }

  /** The shared refusals and lockout of the identity and username, as the local throttle's 429s. */
  async assertMayLogIn(identityKey: string, usernameKey: string, limits: Pick<ResolvedBackendSessionOptions, 'usernameThrottle'>): Promise<void> {
    const lockout = await this.state.readMark('lockout', usernameKey);
    if (lockout !== undefined) throw throttled.lockedOut(lockout.ttlMs);
    const refused = await this.state.readMark('refused', identityKey);
    if (refused !== undefined) throw throttled.identityRefused(refused.value, refused.ttlMs);
    const { maxFailures, windowMs } = limits.usernameThrottle;
    if (maxFailures === 0) return;
    const failures = await this.state.usernameFailures(usernameKey, windowMs, false);
    if (failures !== undefined && failures.length >= maxFailures) {
      throw throttled.usernameRefused(failures[failures.length - maxFailures] + windowMs - Date.now());
    }
  }

  async recordRefused(identityKey: string | undefined, usernameKey: string, content: string): Promise<void> {
    const { failedLoginBackoffMs, usernameThrottle } = this.options;
    if (identityKey !== undefined && failedLoginBackoffMs > 0) await this.state.mark('refused', identityKey, content, failedLoginBackoffMs, false);
    if (usernameThrottle.maxFailures > 0) await this.state.usernameFailures(usernameKey, usernameThrottle.windowMs, true);
  }

  async recordLockout(usernameKey: string): Promise<void> {
    await this.state.mark('lockout', usernameKey, '1', this.options.githubLockoutMs, false);
  }

  /** Whether the identity may log in again after a refused session (once per interval, across replicas); undefined: unknown. */
  mayLogInAgain(key: string): Promise<boolean | undefined> {
    return this.state.mark('relogin', key, '1', this.options.reloginIntervalMs, true);
  }

  /**
   * Waits for a slot of the service-wide login budget (all replicas), polling until `signal` aborts
   * (then a 503 from `overBudget`); undefined when Redis does not answer (the local budget decides).
   */
  async admit(signal: AbortSignal, overBudget: () => BackendError): Promise<(() => void) | undefined> {
    for (;;) {
      const admitted = await this.state.admitLogin(this.options.loginBudget, this.options.loginTimeoutMs);
      if (!admitted.known) return undefined;
      const { holder } = admitted.value!;
      if (holder !== undefined) return () => void this.state.releaseLogin(holder);
      if (signal.aborted) throw overBudget();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
