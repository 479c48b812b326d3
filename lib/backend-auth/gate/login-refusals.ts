import { LRUCache } from 'lru-cache';
import type { ResolvedBackendSessionOptions } from '../../options/backend-options.interface.js';
import { throttled } from '../login/login-failure.errors.js';
import { CLOCK_READ_PER_CHECK } from '../pool/lru-ttl.options.js';

/** Identities and usernames remembered at most: an attacker must be refused 10 000 other times to flush one. */
const MAX_KEYS = 10_000;

/**
 * This process's refusal records, apart from the session pool so that no eviction there forgets them:
 * an identity (username and password) GitHub refused, held back for `failedLoginBackoffMs`; a username
 * GitHub locked out, held back for `githubLockoutMs`. Both answer 429 with `Retry-After` without asking GitHub.
 */
export class LoginRefusals {
  private readonly identities: LRUCache<string, number> | undefined;
  private readonly lockouts: LRUCache<string, number>;

  constructor(private readonly options: Pick<ResolvedBackendSessionOptions, 'failedLoginBackoffMs' | 'githubLockoutMs' | 'pool'>) {
    const { failedLoginBackoffMs, pool } = options;
    this.identities = failedLoginBackoffMs > 0 ? new LRUCache({ max: Math.max(pool.maxEntries, MAX_KEYS), ttl: failedLoginBackoffMs, ...CLOCK_READ_PER_CHECK }) : undefined;
    this.lockouts = new LRUCache({ max: MAX_KEYS, ttl: options.githubLockoutMs, ...CLOCK_READ_PER_CHECK });
  }

  /** @throws BackendError 429 while the username is locked out or the identity was just refused. */
  assertMayLogIn(identityKey: string, usernameKey: string): void {
    const now = Date.now();
    const lockedUntil = this.lockouts.get(usernameKey);
    if (lockedUntil !== undefined && now < lockedUntil) throw throttled.lockedOut(lockedUntil - now);
    const refusedAt = this.identities?.get(identityKey);
    if (refusedAt !== undefined) throw throttled.identityRefused(refusedAt + this.options.failedLoginBackoffMs - now);
  }

  recordIdentityRefused(identityKey: string): void {
    this.identities?.set(identityKey, Date.now());
  }

  recordLockout(usernameKey: string): void {
    this.lockouts.set(usernameKey, Date.now() + this.options.githubLockoutMs);
  }
}
