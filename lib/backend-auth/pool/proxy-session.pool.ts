import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { BackendError } from '../../errors/backend-error.js';
import { APIKIT_RESOLVED_OPTIONS } from '../../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../../options/apikit-options.interface.js';
import type { BackendCredentials } from '../context/backend-credentials.js';
import type { CallDeadline } from '../http/call-deadline.js';
import { BitlyProxyLoginFlow } from '../login/bitly-proxy-login.flow.js';
import type { ProxySessionJar } from '../login/proxy-session.jar.js';

/** A caller's proxy session: the login in progress, then its cookie jar. */
interface PooledSession {
  readonly ready: Promise<ProxySessionJar>;
  jar?: ProxySessionJar;
}

interface FailedLogin {
  readonly at: number;
  readonly content: string;
}

/**
 * One proxy session per caller identity. Identities are keyed by an HMAC of (username,
 * password) under a random per-process key: the pool never holds a password as a key,
 * and a changed password is another identity. Concurrent first requests share one login
 * (single flight). Bounded (LRU, idle expiry), and sessions whose cookie expired are dropped.
 */
@Injectable()
export class ProxySessionPool {
  /**
   * The HMAC is computed on every call (~1.5 µs): caching keys by `Authorization` header would keep
   * every caller's password (base64) in memory for as long as the cache entry lives.
   */
  private readonly hmacKey = randomBytes(32);
  private readonly sessions: LRUCache<string, PooledSession>;
  private readonly failures: LRUCache<string, FailedLogin> | undefined;
  private readonly backoffMs: number;

  constructor(
    private readonly flow: BitlyProxyLoginFlow,
    @Inject(APIKIT_RESOLVED_OPTIONS) options: ResolvedApiKitOptions,
  ) {
    const { pool, failedLoginBackoffMs } = options.backend;
    this.sessions = new LRUCache({ max: pool.maxEntries, ttl: pool.idleTtlMs, updateAgeOnGet: true });
    this.backoffMs = failedLoginBackoffMs;
    this.failures = failedLoginBackoffMs > 0 ? new LRUCache({ max: pool.maxEntries, ttl: failedLoginBackoffMs }) : undefined;
  }

  /** The cookie jar of the caller's proxy session, logging in when there is none (or it expired). */
  async acquire(credentials: BackendCredentials, startUrl: URL, requestId: string, deadline: CallDeadline): Promise<ProxySessionJar> {
    const key = this.keyOf(credentials);
    let session = this.sessions.get(key);
    if (session?.jar !== undefined) {
      if (session.jar.hasLiveSession()) {
        // Logged in: nothing to wait for (racing the settled login against the deadline costs a promise and a listener).
        deadline.throwIfAborted();
        return session.jar;
      }
      this.sessions.delete(key);
      session = undefined;
    }
    session ??= this.startLogin(key, credentials, startUrl, requestId);
    return deadline.race(session.ready);
  }

  /** Drops the session `jar` belongs to, unless another request already replaced it with a newer one. */
  invalidate(credentials: BackendCredentials, jar: ProxySessionJar): void {
    const key = this.keyOf(credentials);
    if (this.sessions.peek(key)?.jar === jar) this.sessions.delete(key);
  }

  /** Identities currently pooled (logged in or logging in). */
  get size(): number {
    return this.sessions.size;
  }

  private startLogin(key: string, credentials: BackendCredentials, startUrl: URL, requestId: string): PooledSession {
    this.throwIfThrottled(key);
    const session: PooledSession = { ready: this.flow.login(credentials, startUrl, requestId) };
    session.ready.then(
      (jar) => {
        session.jar = jar;
      },
      (error: unknown) => {
        if (this.sessions.peek(key) === session) this.sessions.delete(key);
        // Only refused credentials count: GitHub locks accounts after repeated wrong passwords,
        // while an outage (502/504) says nothing about the caller.
        if (this.failures && error instanceof BackendError && error.statusCode === 401) {
          this.failures.set(key, { at: Date.now(), content: error.content ?? error.reason });
        }
      },
    );
    this.sessions.set(key, session);
    return session;
  }

  /**
   * A recently refused identity fails fast with 429 + Retry-After rather than 401: the
   * caller learns it is throttled (and when to retry) instead of another credential verdict.
   */
  private throwIfThrottled(key: string): void {
    const failure = this.failures?.get(key);
    if (failure === undefined) return;
    const retryAfter = Math.max(1, Math.ceil((failure.at + this.backoffMs - Date.now()) / 1000));
    throw new BackendError(
      'Too Many Requests',
      429,
      `The last login of this user failed (${failure.content}); not retrying for ${retryAfter} s.`,
      { 'Retry-After': String(retryAfter) },
    );
  }

  private keyOf(credentials: BackendCredentials): string {
    // Length-prefixed so that no (username, password) pair can collide with another.
    return createHmac('sha256', this.hmacKey)
      .update(`${credentials.username.length}:${credentials.username}:${credentials.password}`)
      .digest('base64url');
  }
}
