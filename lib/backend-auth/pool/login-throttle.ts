import { LRUCache } from 'lru-cache';
import { throttled } from '../login/login-failure.errors.js';
import type { ResolvedBackendSessionOptions } from '../../options/backend-options.interface.js';
import { CLOCK_READ_PER_CHECK } from './lru-ttl.options.js';

/** Usernames whose refused logins are remembered at most: an attacker must refuse 10 000 others to flush one. */
const MAX_USERNAMES = 10_000;

interface RefusedLogin {
  readonly at: number;
  readonly content: string;
}

/**
 * Refused GitHub logins (wrong password, two-factor), remembered apart from the session pool so
 * that no eviction there forgets them. Two rules, both answered with 429 and `Retry-After` without
 * asking GitHub: an identity (username and password) refused within `failedLoginBackoffMs`; a
 * username refused `maxFailures` times within `windowMs`, whatever the passwords (GitHub locks
 * accounts after repeated failures, and the service must not be a relay for guessing).
 */
export class LoginThrottle {
  private readonly identities: LRUCache<string, RefusedLogin> | undefined;
  private readonly usernames: LRUCache<string, number[]> | undefined;
  /** Usernames GitHub locked out, until when: no login of theirs goes to GitHub before then. */
  private readonly lockouts = new LRUCache<string, number>({ max: MAX_USERNAMES });

  constructor(
    private readonly options: Pick<ResolvedBackendSessionOptions, 'failedLoginBackoffMs' | 'usernameThrottle' | 'pool'>,
  ) {
    const { failedLoginBackoffMs, usernameThrottle, pool } = options;
    this.identities = failedLoginBackoffMs > 0 ? new LRUCache({ max: Math.max(pool.maxEntries, MAX_USERNAMES), ttl: failedLoginBackoffMs, ...CLOCK_READ_PER_CHECK }) : undefined;
    this.usernames = usernameThrottle.maxFailures > 0 ? new LRUCache({ max: MAX_USERNAMES, ttl: usernameThrottle.windowMs, ...CLOCK_READ_PER_CHECK }) : undefined;
  }

  /** @throws BackendError 429 when either rule holds the login back. */
  assertMayLogIn(identityKey: string, usernameKey: string): void {
    const now = Date.now();
    const lockedUntil = this.lockouts.get(usernameKey);
    if (lockedUntil !== undefined && now < lockedUntil) throw throttled.lockedOut(lockedUntil - now);
    const refused = this.identities?.get(identityKey);
    if (refused !== undefined) throw throttled.identityRefused(refused.content, refused.at + this.options.failedLoginBackoffMs - now);
    const { maxFailures, windowMs } = this.options.usernameThrottle;
    const recent = this.recentFailures(usernameKey, now);
    if (recent.length >= maxFailures) throw throttled.usernameRefused(recent[recent.length - maxFailures] + windowMs - now);
  }

  /** GitHub showed its lockout page: not the caller's failure, but no point in asking again before `ms`. */
  recordLockout(usernameKey: string, ms: number): void {
    this.lockouts.set(usernameKey, Date.now() + ms);
  }

  /** A refused login: of the identity (wrong password) and its username, or of the username alone (wrong code). */
  recordRefused(identityKey: string | undefined, usernameKey: string, content: string): void {
    const now = Date.now();
    if (identityKey !== undefined) this.identities?.set(identityKey, { at: now, content });
    if (this.usernames !== undefined) this.usernames.set(usernameKey, [...this.recentFailures(usernameKey, now), now]);
  }

  private recentFailures(usernameKey: string, now: number): number[] {
    const windowStart = now - this.options.usernameThrottle.windowMs;
    return (this.usernames?.get(usernameKey) ?? []).filter((at) => at > windowStart);
  }
}
