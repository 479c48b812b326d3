import { randomUUID } from 'node:crypto';
import type { RedisConnection } from './redis-connection.js';
import type { LedgerRule, LedgerScope, Reservation } from '../gate/attempt-ledger.js';
import { PUBLISH_BLOCK, RESERVE_ATTEMPT, SETTLE_ATTEMPT } from './attempt-ledger.scripts.js';
import type { StoredIdentityKeys } from './stored-identity.keys.js';
import type { ValueCipher } from './value.cipher.js';

type SealedKind = 'session' | 'device' | 'challenge';

const COMPARE_AND_DELETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const COMPARE_AND_EXPIRE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
/** A dropped version leaves a tombstone for the rest of its life: a replica asking later learns it was dropped, not lost. */
const TOMBSTONE_IF_PREFIXED = `local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl) end
  return redis.call('DEL', KEYS[1])
end
return 0`;
/** Any value becomes a tombstone for the rest of its life (ARGV[1]: the tombstone). */
const TOMBSTONE_ANY = `local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then return redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl) end
return redis.call('DEL', KEYS[1])`;
/** GET, then a tombstone in its place: taken, its end is known to who reads later (Redis before 6.2 too). */
const GET_AND_TOMBSTONE = `local v = redis.call('GET', KEYS[1])
if v and v ~= ARGV[1] then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl) else redis.call('DEL', KEYS[1]) end
end
return v`;
/** What a dropped value becomes: no version, no separator, so nothing opens it. */
const TOMBSTONE = 'dropped';
/**
 * One login admitted if every bound allows: holders expire with the login time-out, starts after a minute
 * and an hour.
 * Scores that cannot be (a holder beyond its hold, a start in the future) are dropped first: a planted
 * entry must not hold the budget forever.
 */
const ADMIT_LOGIN = `
local now, hold = tonumber(ARGV[1]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '(' .. (now + hold), '+inf')
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 60000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '(' .. (now + 1000), '+inf')
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 3600000)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '(' .. (now + 1000), '+inf')
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) or redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) or redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[6]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {0, oldest[2] or ARGV[1]}
end
redis.call('ZADD', KEYS[1], now + hold, ARGV[4])
redis.call('ZADD', KEYS[2], now, ARGV[4])
redis.call('ZADD', KEYS[3], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], hold)
redis.call('PEXPIRE', KEYS[2], 60000)
redis.call('PEXPIRE', KEYS[3], 3600000)
return {1, 0}`;

/** The identity's login lock, as asked for: its token unless another replica holds it (see `SharedLoginState.lock`). */
export type LockRead = { state: 'held' | 'unknown'; token: string } | { state: 'taken' };

/**
 * A value read from the shared store: known, or unknown because Redis did not answer. Known without a value,
 * `dropped` tells a value a replica dropped from one the store never had or lost (Redis restarted empty).
 */
export type SharedRead<T> = { known: true; value: T | undefined; dropped?: boolean } | { known: false };

/**
 * The login state replicas share through Redis: proxy sessions, GitHub device cookies and half-done
 * logins (encrypted per identity), single-flight locks, re-login marks, refused-login records, lockouts,
 * attempt ledgers (usernames, client addresses) and the login budget. Keys are keyed hashes, an
 * identity's a memory-hard one (`StoredIdentityKeyDeriver`); nothing names a user or holds a secret in
 * clear, every key expires, and nothing read here is shown to a caller. Every operation degrades to
 * "unknown" when Redis is away.
 */
export class SharedLoginState {
  constructor(
    private readonly redis: RedisConnection,
    private readonly cipher: ValueCipher,
    private readonly prefix: string,
  ) {}

  get isDegraded(): boolean {
    return this.redis.isDegraded;
  }

  /** A sealed value of the identity (its value key opens it) with its version, or unknown; `take`: a tombstone left as it is read. */
  async load<T>(kind: SealedKind, identity: StoredIdentityKeys, take = false): Promise<SharedRead<{ value: T; version: string }>> {
    const storeKey = this.key(kind, identity.storeKey);
    const reply = await this.redis.run(take ? ['EVAL', GET_AND_TOMBSTONE, '1', storeKey, TOMBSTONE] : ['GET', storeKey], UNKNOWN);
    if (reply === UNKNOWN) return { known: false };
    if (reply === TOMBSTONE) return { known: true, value: undefined, dropped: true };
    if (typeof reply !== 'string') return { known: true, value: undefined };
    const separator = reply.indexOf('|');
    const version = reply.slice(0, separator);
    const value = separator < 0 ? undefined : this.cipher.open<T>(storeKey, version, identity.valueKey, reply.slice(separator + 1));
    return { known: true, value: value === undefined ? undefined : { value, version } };
  }

  /** Stores `value` sealed for the identity, tagged with `version` (so that only that version can be dropped). */
  async save(kind: SealedKind, identity: StoredIdentityKeys, value: unknown, ttlMs: number): Promise<string> {
    const version = randomUUID();
    if (ttlMs <= 0) return version;
    const storeKey = this.key(kind, identity.storeKey);
    await this.redis.run(['SET', storeKey, `${version}|${this.cipher.seal(storeKey, version, identity.valueKey, value)}`, 'PX', String(Math.ceil(ttlMs))], UNKNOWN);
    return version;
  }

  /**
   * Drops the value (with a `version`, only that one: a session another replica already replaced stays); a
   * tombstone stays in its place until it would have ended.
   */
  async drop(kind: SealedKind, key: string, version?: string): Promise<void> {
    const storeKey = this.key(kind, key);
    const args = version === undefined ? ['EVAL', TOMBSTONE_ANY, '1', storeKey, TOMBSTONE] : ['EVAL', TOMBSTONE_IF_PREFIXED, '1', storeKey, `${version}|`, TOMBSTONE];
    await this.redis.run(args, UNKNOWN);
  }

  /**
   * Takes the identity's login lock for `ttlMs`: `held` with its token, `taken` by another replica, or `unknown` when
   * Redis did not answer. Unknown keeps its token: the SET may still run (Redis stalled, or it was delivered before a
   * reset), leaving a lock no login holds, for which every replica's next login of the identity waited until its
   * caller's deadline (the 120-minute soaks: calls failing 5 s after a Redis stall ended). Its holder gives it back.
   */
  async lock(key: string, ttlMs: number): Promise<LockRead> {
    const token = randomUUID();
    const reply = await this.redis.run(['SET', this.key('lock', key), token, 'NX', 'PX', String(ttlMs)], UNKNOWN);
    if (reply === UNKNOWN) return { state: 'unknown', token };
    return reply === 'OK' ? { state: 'held', token } : { state: 'taken' };
  }

  /** Extends the lock while its holder still holds it (a login longer than the lock's first term). */
  async renewLock(key: string, token: string, ttlMs: number): Promise<void> {
    await this.redis.run(['EVAL', COMPARE_AND_EXPIRE, '1', this.key('lock', key), token, String(ttlMs)], UNKNOWN);
  }

  /** Releases the lock if `token` still holds it: false when Redis did not answer (the lock may still be there). */
  async unlock(key: string, token: string): Promise<boolean> {
    return (await this.redis.run(['EVAL', COMPARE_AND_DELETE, '1', this.key('lock', key), token], UNKNOWN)) !== UNKNOWN;
  }

  /** Whether another replica still holds the identity's login lock (unknown: assume not). */
  async isLocked(key: string): Promise<boolean> {
    return (await this.redis.run(['EXISTS', this.key('lock', key)], 0)) === 1;
  }

  /**
   * Sets the mark `kind:key` for `ttlMs` (unless set, with `onlyIfNew`): true when it was set here, false when it
   * was there, undefined when unknown. A mark holds no text: what a caller is told is the library's own.
   */
  async mark(kind: 'relogin' | 'refused' | 'lockout', key: string, ttlMs: number, onlyIfNew: boolean): Promise<boolean | undefined> {
    const args = ['SET', this.key(kind, key), '1', 'PX', String(Math.max(1, Math.ceil(ttlMs)))];
    const reply = await this.redis.run(onlyIfNew ? [...args, 'NX'] : args, UNKNOWN);
    return reply === UNKNOWN ? undefined : reply === 'OK';
  }

  /** The ms a mark has left, or undefined (none, none that can be, or unknown). */
  async markRemainingMs(kind: 'refused' | 'lockout', key: string, atMostMs: number): Promise<number | undefined> {
    const reply = await this.redis.run(['PTTL', this.key(kind, key)], UNKNOWN);
    // A mark without expiry (-1) or longer than its kind can be was not written by a replica: ignored.
    return typeof reply === 'number' && reply > 0 && reply <= atMostMs ? reply : undefined;
  }

  /** Reserves an attempt in the ledger of `key` (`AttemptLedger.reserve`), or unknown. */
  async reserveAttempt(key: string, rule: LedgerRule, scope: LedgerScope | undefined, once: string | undefined): Promise<SharedRead<Reservation>> {
    const tag = scope?.tag ?? '';
    const id = once ?? randomUUID();
    const reply = await this.runLedger(RESERVE_ATTEMPT, key, rule, scope, id, false, once !== undefined);
    if (reply === undefined) return { known: false };
    const [admitted, retryAfterMs, blockedForMs] = reply;
    return { known: true, value: admitted === 1 ? { admitted: true, id: `${tag}:${id}`, blockedForMs } : { admitted: false, retryAfterMs, blockedForMs } };
  }

  /** Settles an attempt reserved by `reserveAttempt`: the key's `blockedForMs`, or undefined when unknown. */
  async settleAttempt(key: string, id: string, failed: boolean, rule: LedgerRule): Promise<number | undefined> {
    const reply = await this.runLedger(SETTLE_ATTEMPT, key, rule, undefined, id, failed);
    return reply?.[2];
  }

  /** Shares that an address is blocked until `until` (keyed hash), for the replicas that serve it pooled sessions. */
  async publishBlockedAddress(addressKey: string, until: number, windowMs: number): Promise<void> {
    await this.redis.run(['EVAL', PUBLISH_BLOCK, '1', this.key('blocked', 'addresses'), String(Date.now()), String(until), addressKey, String(windowMs)], UNKNOWN);
  }

  /**
   * The blocked addresses the replicas shared, with until when (none beyond `windowMs` from now, and 10,000 at
   * most: a planted list can neither hold an address for ever nor flood a replica); undefined when unknown.
   */
  async blockedAddresses(windowMs: number): Promise<Array<[string, number]> | undefined> {
    const now = Date.now();
    const key = this.key('blocked', 'addresses');
    const reply = await this.redis.run(['ZRANGE', key, String(now), String(now + windowMs), 'BYSCORE', 'LIMIT', '0', '10000', 'WITHSCORES'], UNKNOWN);
    if (!Array.isArray(reply)) return undefined;
    // RESP3 answers [member, score] pairs, RESP2 one flat list.
    const flat: unknown[] = reply.flat();
    const blocked: Array<[string, number]> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) blocked.push([String(flat[i]), Number(flat[i + 1])]);
    return blocked;
  }

  private async runLedger(
    script: string,
    key: string,
    rule: LedgerRule,
    scope: LedgerScope | undefined,
    id: string,
    failed: boolean,
    once = false,
  ): Promise<[number, number, number] | undefined> {
    const args = [String(Date.now()), String(rule.windowMs), String(rule.holdMs), String(rule.max), String(scope?.since ?? -1), scope?.tag ?? '', id, failed ? '1' : '0', once ? '1' : '0'];
    const reply = await this.redis.run(['EVAL', script, '1', this.key('attempts', key), ...args], UNKNOWN);
    return Array.isArray(reply) ? [Number(reply[0]), Number(reply[1]), Number(reply[2])] : undefined;
  }

  /** Tries to admit one login into the service-wide budget: the holder id, or when the per-minute window frees; unknown. */
  async admitLogin(limits: { maxConcurrent: number; perMinute: number; perHour: number }, holdMs: number): Promise<SharedRead<{ holder?: string; oldestStart: number }>> {
    const holder = randomUUID();
    const now = Date.now();
    const reply = await this.redis.run(
      [
        'EVAL',
        ADMIT_LOGIN,
        '3',
        this.key('budget', 'in-flight'),
        this.key('budget', 'starts'),
        this.key('budget', 'hour-starts'),
        ...[now, limits.maxConcurrent, limits.perMinute, holder, holdMs, limits.perHour].map(String),
      ],
      UNKNOWN,
    );
    if (!Array.isArray(reply)) {
      // Timed out, the script may still run (a replica short of CPU reads Redis late): its holder would hold one of the
      // service's concurrent logins for the whole login time-out, no login behind it. The release goes after it, on the
      // same connection, so Redis runs it second (the soak's warm-up had 12 time-outs a replica without a fault, and a
      // caller's code waited 11 s for a place, then a 503).
      void this.releaseLogin(holder);
      return { known: false };
    }
    return { known: true, value: Number(reply[0]) === 1 ? { holder, oldestStart: now } : { oldestStart: Number(reply[1]) } };
  }

  async releaseLogin(holder: string): Promise<void> {
    await this.redis.run(['ZREM', this.key('budget', 'in-flight'), holder], UNKNOWN);
  }

  private key(kind: string, key: string): string {
    return `${this.prefix}${kind}:${key}`;
  }
}

/** A unique value no Redis reply can be. */
const UNKNOWN = Symbol('unknown');
