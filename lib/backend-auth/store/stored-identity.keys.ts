import { createHmac, scrypt } from 'node:crypto';

/**
 * scrypt's cost: N = 2^14, r = 8 (16 MiB of memory), p = 1: about 32 ms per guess on the 2-core bench machine (19,800x the HMAC it replaced; BENCHMARKS.md)
 * of 2026 (OWASP's floor for scrypt is N = 2^17 with r = 8, p = 1 for passwords stored for good; these keys
 * guard cookies that live an hour, and each first call of an identity pays it, in libuv's thread pool).
 */
export const STORED_IDENTITY_SCRYPT = Object.freeze({ N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });

/** What an identity's entries in a shared store are named and sealed with. */
export interface StoredIdentityKeys {
  /** The name of its entries (base64url). */
  readonly storeKey: string;
  /** The key its values are sealed under, with the service's secret (`ValueCipher`). */
  readonly valueKey: Buffer;
}

/**
 * The Redis key and value key of an identity, from a memory-hard KDF of its password: with a copy of Redis
 * and the service's secret, each password guess costs an scrypt (~50 ms and 16 MiB), not an HMAC (~2 µs).
 * The salt is keyed by the secret and the username: one scrypt answers for one account only, and no table
 * can be computed ahead without the secret. The pool derives them once per identity per process.
 */
export class StoredIdentityKeyDeriver {
  constructor(private readonly secret: Buffer) {}

  /** `device`: the caller's device token, for an identity bound to one (a login that needed a code). */
  derive(username: string, password: string, device = ''): Promise<StoredIdentityKeys> {
    const salt = createHmac('sha256', this.secret).update(`nestjs-apikit identity salt:${username.length}:${username}:${device}`).digest();
    return new Promise((resolve, reject) => {
      scrypt(password, salt, 64, STORED_IDENTITY_SCRYPT, (error, derived) => {
        if (error !== null) return reject(error);
        resolve({ storeKey: derived.subarray(0, 24).toString('base64url'), valueKey: Buffer.from(derived.subarray(32, 64)) });
      });
    });
  }
}
