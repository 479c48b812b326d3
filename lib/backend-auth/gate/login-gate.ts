import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BackendError } from '../../errors/backend-error.js';
import { addressBucketOf, ClientAddressResolver, type ClientOrigin } from '../../http-request/client-address.resolver.js';
import { APIKIT_RESOLVED_OPTIONS } from '../../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../../options/apikit-options.interface.js';
import { logEvent } from '../../logging/index.js';
import { BACKEND_AUTH_LOGGER_CONTEXT } from '../backend-auth.constants.js';
import { CodeRefusedError, CodeRequiredError, endedAfterGitHubSignIn, GitHubLockoutError, throttled } from '../login/login-failure.errors.js';
import { CaptchaRequiredError } from '../login/github-page.errors.js';
import { identityKeyHasherFor, type IdentityKeyHasher } from '../pool/identity-key.hasher.js';
import { SharedLoginStore } from '../store/shared-login.store.js';
import type { AttemptLedger, LedgerRule, LedgerScope } from './attempt-ledger.js';
import { BlockedAddresses } from './blocked-addresses.js';
import { LocalAttemptLedger } from './local-attempt.ledger.js';
import { LoginBudget } from './login-budget.js';
import { LoginRefusals } from './login-refusals.js';

/** A login about to start: who asks, from where, and, for a code sent to a login waiting for it, since when it waits. */
export interface LoginRequest {
  /** For the log only. */
  readonly username: string;
  readonly requestId: string;
  readonly identityKey: string;
  readonly usernameKey: string;
  readonly addressKey: string | undefined;
  readonly waiting?: LedgerScope;
  /** It starts from GitHub's kept web session (no password shown while it lives): the username's failures do not hold it. */
  readonly keptSession?: boolean;
  /** Checked once the throttles let the login through, before it takes a place in the budget (the captcha hold). */
  readonly assertMayStart?: () => void;
}

/**
 * A login's place under its address's bound, settled by its outcome. `missedLiveSession`: the username has
 * a live session the credentials did not open, so anything but a success (or a code asked for) is a failed
 * guess, whatever answered it: a busy budget's 503 must not let guesses go uncounted while the pool answers.
 */
export interface RequestTicket {
  settle(error: unknown, missedLiveSession?: boolean): void;
}

/** An admitted login: its budget slot and username reservation, settled by its outcome. */
export interface LoginPass {
  settle(error: unknown): Promise<void>;
}

const NO_TICKET: RequestTicket = { settle: () => undefined };
/** How often a replica reads the addresses the others blocked: the most a pooled session answers after a block elsewhere. */
const BLOCK_SYNC_MS = 1_000;

/**
 * Whether a GitHub login may start, asked by the pool before each one. Every bound lives behind it, each
 * in its own small part: the client address's failures (`addressThrottle`), the username's failures
 * (`usernameThrottle`), refused identities and GitHub's lockouts (`LoginRefusals`), and the service's
 * login budget (`LoginBudget`, fair between addresses). With the Redis store the counts are the
 * replicas' shared ones (`AttemptLedger` in Redis), this process's while Redis is away.
 *
 * Attempts are reserved before they are made: concurrent guesses cannot all pass a check that each
 * alone would pass. A guess counts whatever answers it: GitHub, a throttle, or the pool.
 */
@Injectable()
export class LoginGate implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(BACKEND_AUTH_LOGGER_CONTEXT);
  private readonly addresses: ClientAddressResolver;
  private readonly keys: IdentityKeyHasher;
  private readonly localLedger = new LocalAttemptLedger();
  private readonly refusals: LoginRefusals;
  private readonly budget: LoginBudget;
  private readonly addressRule: LedgerRule;
  private readonly usernameRule: LedgerRule;
  /** Sign-ins of one account per hour: GitHub wants the OAuth app authorised again after 10. */
  private readonly signInRule: LedgerRule;
  /**
   * Re-logins of one account per hour after the proxy (or a backend forging its answers) refused a session: at
   * most half its sign-ins, counted across replicas, so that forged refusals cannot spend them all, then lock
   * the caller out of every route with the sign-in limit's 429 while the session still works.
   */
  private readonly staleReloginRule: LedgerRule;
  readonly blocked = new BlockedAddresses();
  /** With Redis: reads the addresses other replicas blocked, so that their pooled sessions answer 429 here too. */
  private blockSync: ReturnType<typeof setInterval> | undefined;

  constructor(
    @Inject(APIKIT_RESOLVED_OPTIONS) private readonly options: ResolvedApiKitOptions,
    private readonly store: SharedLoginStore,
  ) {
    const backend = options.backend;
    this.addresses = new ClientAddressResolver(backend.trustedProxies);
    this.keys = identityKeyHasherFor(backend.secret);
    this.refusals = new LoginRefusals(backend);
    this.budget = new LoginBudget(backend.loginBudget);
    // An attempt in flight holds its place for at most its budget wait and its login (a replica dying mid-login).
    const holdMs = backend.timeoutMs + backend.loginTimeoutMs;
    this.addressRule = { max: backend.addressThrottle.maxFailures, windowMs: backend.addressThrottle.windowMs, holdMs };
    this.usernameRule = { max: backend.usernameThrottle.maxFailures, windowMs: backend.usernameThrottle.windowMs, holdMs };
    this.signInRule = { max: backend.loginBudget.perIdentityPerHour, windowMs: HOUR, holdMs };
    const { perIdentityPerHour } = backend.loginBudget;
    this.staleReloginRule = { max: perIdentityPerHour > 0 ? Math.max(1, Math.floor(perIdentityPerHour / 2)) : 0, windowMs: HOUR, holdMs };
  }

  onModuleInit(): void {
    if (this.options.auth.type !== 'bitly-proxy') return;
    // None: the socket peer is the client.
    const trusted = this.addresses.trustsNone ? [] : this.addresses.trustedProxies;
    logEvent(this.logger, 'log', 'gate.client_addresses', 'X-Forwarded-For is believed from these proxies', { trustedProxies: trusted });
    if (this.options.backend.store.type === 'redis' && this.addressRule.max > 0) {
      this.blockSync = setInterval(() => void this.syncBlocks(), BLOCK_SYNC_MS);
      this.blockSync.unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.blockSync);
  }

  /** The key the client's address is counted under (a keyed hash), or undefined outside requests. */
  addressKeyOf(client: ClientOrigin | undefined): string | undefined {
    const address = client === undefined || this.addressRule.max === 0 ? undefined : this.addresses.resolve(client);
    return address === undefined ? undefined : this.keys.keyOf(`address:${addressBucketOf(address)}`);
  }

  /** @throws BackendError 429 when the client's address is at its bound: for every request with credentials. */
  assertAddressOpen(client: ClientOrigin | undefined): void {
    const addressKey = this.addressKeyOf(client);
    const blockedForMs = addressKey === undefined ? 0 : this.blocked.remainingMs(addressKey);
    if (blockedForMs > 0) throw throttled.addressRefused(blockedForMs);
  }

  /**
   * Counts a login as an attempt of the address until it settles: 429 when the address is at its bound.
   * `identity`, with the Redis store: the login's stored key, so that replicas taking part in one login
   * count it once.
   */
  async admitRequest(addressKey: string | undefined, identity?: string): Promise<RequestTicket> {
    if (addressKey === undefined) return NO_TICKET;
    const ledger = this.ledger();
    const reservation = await ledger.reserve(addressKey, this.addressRule, undefined, identity);
    this.noteBlock(addressKey, reservation.blockedForMs);
    if (!reservation.admitted) {
      // At its bound with logins in flight: its pooled requests wait too, or the pool would answer its guesses.
      this.noteBlock(addressKey, Math.max(reservation.blockedForMs, reservation.retryAfterMs));
      throw throttled.addressRefused(reservation.retryAfterMs);
    }
    return {
      settle: (error, missedLiveSession = false) => {
        const failed = missedLiveSession ? error !== undefined && !(error instanceof CodeRequiredError) : countsAgainstAddress(error);
        void ledger.settle(addressKey, reservation.id, failed, this.addressRule).then((blockedForMs) => this.noteBlock(addressKey, blockedForMs));
      },
    };
  }

  private noteBlock(addressKey: string, blockedForMs: number): void {
    this.blocked.note(addressKey, Math.min(blockedForMs, this.addressRule.windowMs));
    if (blockedForMs > 0) void this.store.coordinator?.publishBlockedAddress(addressKey, Date.now() + blockedForMs);
  }

  private async syncBlocks(): Promise<void> {
    const shared = await this.store.coordinator?.blockedAddresses();
    // No block lasts beyond a window: a planted "until" far ahead must not hold an address past it.
    if (shared !== undefined) this.blocked.merge(shared, this.addressRule.windowMs);
  }

  /**
   * Admits a login: the username's bound reserved, a budget slot taken, the refusal records read before
   * and after the wait (another replica may have recorded one meanwhile).
   * @throws BackendError 429 (throttled) or 503 (over budget, `signal` aborted while waiting)
   */
  async admitLogin(request: LoginRequest, signal: AbortSignal): Promise<LoginPass> {
    await this.assertNotRefused(request);
    const ledger = this.ledger();
    const reservation =
      this.usernameRule.max === 0 || request.keptSession === true ? undefined : await ledger.reserve(request.usernameKey, this.usernameRule, request.waiting);
    if (reservation?.admitted === false) throw throttled.usernameRefused(reservation.retryAfterMs);
    const settleUsername = (failed: boolean): Promise<unknown> =>
      reservation === undefined ? Promise.resolve() : ledger.settle(request.usernameKey, reservation.id, failed, this.usernameRule);
    let signIn: string | undefined;
    let release: (() => void) | undefined;
    try {
      request.assertMayStart?.();
      signIn = await this.reserveSignIn(ledger, request.usernameKey);
      release = await this.takeBudgetSlot(signal, request.addressKey);
      await this.assertNotRefused(request);
    } catch (error) {
      release?.();
      await settleUsername(false);
      if (signIn !== undefined) await ledger.settle(signInKey(request.usernameKey), signIn, false, this.signInRule);
      throw error;
    }
    return {
      settle: async (error) => {
        release!();
        await this.recordRefusal(request, error);
        await settleUsername(countsAgainstUsername(error));
        // A sign-in counts once it happened (GitHub counted its authorisation), the proxy's callback failing after it
        // and GitHub's Authorize or re-authorise page included (`endedAfterGitHubSignIn`); anything else gives its place back.
        const signedIn = error === undefined || endedAfterGitHubSignIn(error);
        if (signIn !== undefined) await ledger.settle(signInKey(request.usernameKey), signIn, signedIn, this.signInRule);
      },
    };
  }

  /** A place among the account's sign-ins of the hour: 429 past `loginBudget.perIdentityPerHour`. */
  private async reserveSignIn(ledger: AttemptLedger, usernameKey: string): Promise<string | undefined> {
    if (this.signInRule.max === 0) return undefined;
    const reservation = await ledger.reserve(signInKey(usernameKey), this.signInRule);
    if (!reservation.admitted) throw throttled.signInsPerHour(this.signInRule.max, reservation.retryAfterMs);
    return reservation.id;
  }

  /**
   * Takes one of the account's re-logins after a refused session for the hour (`staleReloginRule`, in the replicas'
   * shared ledger): false when none is left. Each replica counting its own let two replicas spend every sign-in.
   */
  async mayReloginStale(usernameKey: string): Promise<boolean> {
    if (this.staleReloginRule.max === 0) return true;
    const ledger = this.ledger();
    const key = `stale-relogins:${usernameKey}`;
    const reservation = await ledger.reserve(key, this.staleReloginRule);
    if (!reservation.admitted) return false;
    // Kept for the hour whatever the re-login's outcome: settled as a "failure", which the ledger counts for its window.
    await ledger.settle(key, reservation.id, true, this.staleReloginRule);
    return true;
  }

  /** Logins waiting for a budget slot in this process. */
  get waitingForBudget(): number {
    return this.budget.waiting;
  }

  overBudgetError(): BackendError {
    return this.budget.overBudgetError();
  }

  private async assertNotRefused(request: LoginRequest): Promise<void> {
    this.refusals.assertMayLogIn(request.identityKey, request.usernameKey);
    await this.store.coordinator?.assertNotRefused(request.identityKey, request.usernameKey);
  }

  /** A slot of this process's fair budget, then of the replicas' shared one when Redis answers. */
  private async takeBudgetSlot(signal: AbortSignal, addressKey: string | undefined): Promise<() => void> {
    const local = await this.budget.admit(signal, addressKey);
    try {
      const shared = await this.store.coordinator?.admit(signal, () => this.budget.overBudgetError());
      return shared === undefined ? local : () => (shared(), local());
    } catch (error) {
      local();
      throw error;
    }
  }

  private async recordRefusal(request: LoginRequest, error: unknown): Promise<void> {
    const shared = this.store.coordinator;
    if (error instanceof GitHubLockoutError) {
      // It may be the service's address that is locked out: every user of the service is affected.
      logEvent(this.logger, 'warn', 'login.locked_out', "GitHub locked out the user (or this service's address)", { requestId: request.requestId, user: request.username, outcome: 'locked_out' });
      this.refusals.recordLockout(request.usernameKey);
      await shared?.recordLockout(request.usernameKey);
    } else if (isRefusedPassword(error)) {
      this.refusals.recordIdentityRefused(request.identityKey);
      await shared?.recordIdentityRefused(request.identityKey);
    }
  }

  private ledger(): AttemptLedger {
    return this.store.coordinator?.ledger ?? this.localLedger;
  }
}

const HOUR = 60 * 60_000;

/** The ledger key of an account's sign-ins, apart from its failures. */
function signInKey(usernameKey: string): string {
  return `signins:${usernameKey}`;
}

/** GitHub refused the username or password (not a code, not a code asked for). */
function isRefusedPassword(error: unknown): boolean {
  return error instanceof BackendError && error.statusCode === 401 && !(error instanceof CodeRequiredError) && !(error instanceof CodeRefusedError);
}

/** A refused password or code, or a password GitHub answered with a captcha: a guess GitHub saw. */
function countsAgainstUsername(error: unknown): boolean {
  if (error instanceof CaptchaRequiredError) return error.afterPassword;
  return error instanceof BackendError && error.statusCode === 401 && !(error instanceof CodeRequiredError);
}

/**
 * A guess from the address failed, whatever answered it: GitHub (a refused password or code, its lockout)
 * or a throttle (429). A code asked for, an outage (502/504) or a busy service (503) says nothing of it.
 */
function countsAgainstAddress(error: unknown): boolean {
  return countsAgainstUsername(error) || (error instanceof BackendError && error.statusCode === 429);
}
