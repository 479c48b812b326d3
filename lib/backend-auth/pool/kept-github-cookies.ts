import { hkdfSync, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CookieJar } from 'tough-cookie';
import type { BackendCredentials } from '../context/backend-credentials.js';
import { ValueCipher } from '../store/value.cipher.js';
import { CLOCK_READ_PER_CHECK } from './lru-ttl.options.js';

/** The version tag of what this process seals (a value sealed under another tag does not open). */
const IN_MEMORY = 'memory';

/**
 * GitHub's cookies of each identity's last completed login (its device cookie, and its web session when
 * sessions are kept), for its next login: sealed at rest (AES-256-GCM) under a key from the service's
 * secret (a random per-process key without one), the caller's password and its device token. A heap dump
 * without both opens nothing; a changed password or a lost token cannot open it, and it is dropped.
 */
export class KeptGitHubCookies {
  private readonly cipher: ValueCipher;
  private readonly entries: LRUCache<string, string>;

  constructor(secret: Buffer | undefined, maxEntries: number, ttlMs: number) {
    this.cipher = new ValueCipher(secret ?? randomBytes(32));
    this.entries = new LRUCache({ max: maxEntries, ttl: ttlMs, ...CLOCK_READ_PER_CHECK });
  }

  keep(identityKey: string, credentials: BackendCredentials, jar: CookieJar): void {
    this.entries.set(identityKey, this.cipher.seal(identityKey, IN_MEMORY, valueKeyOf(credentials), jar.serializeSync()));
  }

  has(identityKey: string): boolean {
    return this.entries.has(identityKey);
  }

  /** The identity's kept cookies, or undefined (none, expired, or sealed for another password or token). */
  /** `deserialize`: the login tools' (tough-cookie is loaded with the first login, not at boot). */
  take(identityKey: string, credentials: BackendCredentials, deserialize: (serialized: unknown) => CookieJar): CookieJar | undefined {
    const sealed = this.entries.get(identityKey);
    if (sealed === undefined) return undefined;
    const serialized = this.cipher.open<unknown>(identityKey, IN_MEMORY, valueKeyOf(credentials), sealed);
    if (serialized === undefined) {
      this.entries.delete(identityKey);
      return undefined;
    }
    return deserialize(serialized);
  }
}

/** The caller's part of the sealing key: its password and device token, length-prefixed so that no pair collides. */
function valueKeyOf(credentials: BackendCredentials): Buffer {
  const { password, device = '' } = credentials;
  return Buffer.from(hkdfSync('sha256', Buffer.from(`${password.length}:${password}:${device}`, 'utf8'), '', 'nestjs-apikit kept cookies', 32));
}
