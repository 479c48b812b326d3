import { randomUUID } from 'node:crypto';
import type { RedisConnection } from './redis-connection.js';
import type { ValueCipher } from './value.cipher.js';

const COMPARE_AND_DELETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const DELETE_IF_PREFIXED = `local v = redis.call('GET', KEYS[1]) if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** One login admitted if both bounds allow: holders expire with the login time-out, starts after a minute. */
const ADMIT_LOGIN = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1] - 60000)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) or redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {0, oldest[2] or ARGV[1]}
end
redis.call('ZADD', KEYS[1], ARGV[1] + ARGV[5], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], 60000)
return {1, 0}`;
/** Refused logins of a username within a window: record one (ARGV[3] = 1) and count them. */
const COUNT_FAILURES = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if ARGV[3] == '1' then redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4]) redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
return all`;

/** A value read from the shared store: known, or unknown because Redis did not answer. */
export type SharedRead<T> = { known: true; value: T | undefined } | { known: false };

/**
 * The login state replicas share through Redis: proxy sessions, GitHub device cookies and half-done
 * logins (encrypted per caller), single-flight locks, re-login marks, refused-login records, lockouts
 * and the login budget. Keys are keyed hashes (made by the pool under the shared secret); nothing
 * names a user or holds a secret in clear. Every operation degrades to "unknown" when Redis is away.
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

  /** A sealed value of the caller (`password` opens it) with its version, or unknown. */
  async load<T>(kind: 'session' | 'device' | 'challenge', key: string, password: string): Promise<SharedRead<{ value: T; version: string }>> {
    const storeKey = this.key(kind, key);
    const reply = await this.redis.run(['GET', storeKey], UNKNOWN);
    if (reply === UNKNOWN) return { known: false };
    if (typeof reply !== 'string') return { known: true, value: undefined };
    const separator = reply.indexOf('|');
    const value = this.cipher.open<T>(storeKey, password, reply.slice(separator + 1));
    return { known: true, value: value === undefined ? undefined : { value, version: reply.slice(0, separator) } };
  }

  /** Stores `value` sealed for the caller, tagged with `version` (so that only that version can be dropped). */
  async save(kind: 'session' | 'device' | 'challenge', key: string, password: string, value: unknown, ttlMs: number): Promise<string> {
    const version = randomUUID();
    if (ttlMs <= 0) return version;
    const storeKey = this.key(kind, key);
    await this.redis.run(['SET', storeKey, `${version}|${this.cipher.seal(storeKey, password, value)}`, 'PX', String(Math.ceil(ttlMs))], UNKNOWN);
    return version;
  }

  /** Drops the value, or only the `version` given (a session another replica already replaced stays). */
  async drop(kind: 'session' | 'device' | 'challenge', key: string, version?: string): Promise<void> {
    const storeKey = this.key(kind, key);
    const args = version === undefined ? ['DEL', storeKey] : ['EVAL', DELETE_IF_PREFIXED, '1', storeKey, `${version}|`];
    await this.redis.run(args, UNKNOWN);
  }

  /** Takes the identity's login lock for `ttlMs`: its token, `undefined` when another replica holds it, or unknown. */
  async lock(key: string, ttlMs: number): Promise<SharedRead<string>> {
    const token = randomUUID();
    const reply = await this.redis.run(['SET', this.key('lock', key), token, 'NX', 'PX', String(ttlMs)], UNKNOWN);
    return reply === UNKNOWN ? { known: false } : { known: true, value: reply === 'OK' ? token : undefined };
  }

  async unlock(key: string, token: string): Promise<void> {
    await this.redis.run(['EVAL', COMPARE_AND_DELETE, '1', this.key('lock', key), token], UNKNOWN);
  }

  /** Whether another replica still holds the identity's login lock (unknown: assume not). */
  async isLocked(key: string): Promise<boolean> {
    return (await this.redis.run(['EXISTS', this.key('lock', key)], 0)) === 1;
  }

  /** Sets `kind:key` for `ttlMs` unless set: true when it was set here, false when it was there, undefined when unknown. */
  async mark(kind: 'relogin' | 'refused' | 'lockout', key: string, value: string, ttlMs: number, onlyIfNew: boolean): Promise<boolean | undefined> {
    const args = ['SET', this.key(kind, key), value, 'PX', String(Math.max(1, Math.ceil(ttlMs)))];
    const reply = await this.redis.run(onlyIfNew ? [...args, 'NX'] : args, UNKNOWN);
    return reply === UNKNOWN ? undefined : reply === 'OK';
  }

  /** The value of a mark and the ms it has left, or undefined (none, or unknown). */
  async readMark(kind: 'refused' | 'lockout', key: string): Promise<{ value: string; ttlMs: number } | undefined> {
    const storeKey = this.key(kind, key);
    const reply = await this.redis.run(['EVAL', `return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}`, '1', storeKey], UNKNOWN);
    if (!Array.isArray(reply) || typeof reply[0] !== 'string') return undefined;
    return { value: reply[0], ttlMs: Number(reply[1]) };
  }

  /** Refused-login times of a username within `windowMs` (after recording one now when `record`), or unknown. */
  async usernameFailures(usernameKey: string, windowMs: number, record: boolean): Promise<number[] | undefined> {
    const now = Date.now();
    const reply = await this.redis.run(['EVAL', COUNT_FAILURES, '1', this.key('failures', usernameKey), String(now), String(windowMs), record ? '1' : '0', `${now}:${randomUUID()}`], UNKNOWN);
    if (!Array.isArray(reply)) return undefined;
    return reply.filter((_, index) => index % 2 === 1).map(Number);
  }

  /** Tries to admit one login into the service-wide budget: the holder id, or when the per-minute window frees; unknown. */
  async admitLogin(limits: { maxConcurrent: number; perMinute: number }, holdMs: number): Promise<SharedRead<{ holder?: string; oldestStart: number }>> {
    const holder = randomUUID();
    const now = Date.now();
    const reply = await this.redis.run(
      ['EVAL', ADMIT_LOGIN, '2', this.key('budget', 'in-flight'), this.key('budget', 'starts'), String(now), String(limits.maxConcurrent), String(limits.perMinute), holder, String(holdMs)],
      UNKNOWN,
    );
    if (!Array.isArray(reply)) return { known: false };
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
