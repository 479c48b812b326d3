import { randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ResolvedBackendSessionOptions } from '../../options/backend-options.interface.js';
import type { BackendCredentials } from '../context/backend-credentials.js';
import { StoredIdentityKeyDeriver, type StoredIdentityKeys } from '../store/stored-identity.keys.js';
import { IdentityKeyHasher, identityKeyHasherFor } from './identity-key.hasher.js';
import { CLOCK_READ_PER_CHECK } from './lru-ttl.options.js';

/** A device token: a 16-byte nonce and a 16-byte MAC, base64url (22 characters each, unpadded). */
const NONCE_LENGTH = 22;
const MAC_LENGTH = 22;
const DEVICE_TOKEN_LENGTH = NONCE_LENGTH + MAC_LENGTH;

/**
 * The names the pool gives a caller, each under the key its use needs. The pool's own (`local`) under a random
 * key of this process: they never leave it, and the request path pays one HMAC. Username and refusal keys under
 * the replicas' shared secret, so that replicas name them alike (a refusal key names a wrong password only).
 * With the Redis store, an identity's stored keys from a memory-hard KDF of its password, derived once per
 * identity in this process.
 */
export class IdentityKeys {
  private readonly localKeys = new IdentityKeyHasher(randomBytes(32));
  private readonly sharedKeys: IdentityKeyHasher;
  private readonly deriver: StoredIdentityKeyDeriver | undefined;
  /** Each identity's stored keys (an scrypt each), by its local key. */
  private readonly derived: LRUCache<string, Promise<StoredIdentityKeys>> | undefined;

  constructor(options: Pick<ResolvedBackendSessionOptions, 'secret' | 'store' | 'pool'>) {
    const { secret, store, pool } = options;
    this.sharedKeys = identityKeyHasherFor(secret);
    if (store.type === 'redis' && secret !== undefined) {
      this.deriver = new StoredIdentityKeyDeriver(secret);
      this.derived = new LRUCache({ max: pool.maxEntries, ttl: pool.idleTtlMs, updateAgeOnGet: true, ...CLOCK_READ_PER_CHECK });
    }
  }

  /** Whether identities have stored keys (the Redis store). */
  get stored(): boolean {
    return this.deriver !== undefined;
  }

  /** The identity: the account, its password and, for a login that needed a code, the caller's device token. */
  local(credentials: BackendCredentials): string {
    // Length-prefixed so that no (username, password, token) can collide with another.
    const username = credentials.username.toLowerCase();
    const { password, device = '' } = credentials;
    return this.localKeys.keyOf(`${username.length}:${username}:${password.length}:${password}:${device}`);
  }

  /** GitHub logins are case-insensitive: `Alice` and `alice` are one username to throttle. */
  username(credentials: BackendCredentials): string {
    return this.sharedKeys.keyOf(`user:${credentials.username.toLowerCase()}`);
  }

  /** The key a refused password is remembered under, across replicas: it names a wrong password only. */
  refusal(credentials: BackendCredentials): string {
    const username = credentials.username.toLowerCase();
    return this.sharedKeys.keyOf(`refused:${username.length}:${username}:${credentials.password}`);
  }

  /**
   * A new device token for the account: 128 random bits and a MAC of them and the username under the
   * shared key (base64url, 44 characters). Only tokens this service issued open anything, so a made-up
   * one cannot mint a new identity (a fresh login, a new code sent) per request.
   */
  mintDevice(credentials: BackendCredentials): string {
    const nonce = randomBytes(16).toString('base64url');
    return `${nonce}${this.deviceMac(credentials, nonce)}`;
  }

  /** Whether the credentials' device token is one this service issued for their account. */
  issuedDevice(credentials: BackendCredentials): boolean {
    const token = credentials.device ?? '';
    if (token.length !== DEVICE_TOKEN_LENGTH) return false;
    const mac = Buffer.from(this.deviceMac(credentials, token.slice(0, NONCE_LENGTH)));
    return timingSafeEqual(mac, Buffer.from(token.slice(NONCE_LENGTH)));
  }

  private deviceMac(credentials: BackendCredentials, nonce: string): string {
    return this.sharedKeys.keyOf(`device:${credentials.username.toLowerCase()}:${nonce}`).slice(0, MAC_LENGTH);
  }

  /** The identity's stored keys (Redis store only), derived once per identity (`localKey`) in this process. */
  storedOf(localKey: string, credentials: BackendCredentials): Promise<StoredIdentityKeys> {
    let keys = this.derived!.get(localKey);
    if (keys === undefined) {
      keys = this.deriver!.derive(credentials.username.toLowerCase(), credentials.password, credentials.device);
      this.derived!.set(localKey, keys);
      keys.catch(() => this.derived!.delete(localKey));
    }
    return keys;
  }
}
