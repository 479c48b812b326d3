import { hash, hkdfSync, randomBytes } from 'node:crypto';

/** SHA-256's block: a longer HMAC key would first be hashed (RFC 2104); the pool's keys are 32 bytes. */
const BLOCK_BYTES = 64;
/** SHA-256's digest. */
const DIGEST_BYTES = 32;
/** The longest message buffer kept between calls: a caller's header is at most 4,096 characters. */
const MAX_KEPT_BYTES = 16 * 1024;

/**
 * HMAC-SHA-256 (RFC 2104), H((K ^ opad) || H((K ^ ipad) || text)), written with two one-shot
 * `crypto.hash()` calls over pads computed once. The pool keys every call's identity with it, and
 * `createHmac()` builds a native HMAC context per call: 7-9 µs of the sample's CPU per request in
 * situ (bench/profile.js, Fastify bitly-proxy), though ~1.7 µs in a tight loop.
 *
 * Both messages are written into buffers kept for the purpose, the pads already in place, and the
 * inner digest passes as a Latin-1 string: no Buffer per call (the native-backed digest Buffer and
 * two concatenations cost ~0.7 µs of 1.7 in a tight loop). The text's bytes are wiped right after
 * hashing, so the hasher keeps no password.
 */
export class IdentityKeyHasher {
  /** `K ^ ipad`, then room for the text's UTF-8 (grown when a longer text comes, up to MAX_KEPT_BYTES). */
  private inner: Buffer;
  /** `K ^ opad`, then the inner digest. */
  private readonly outer: Buffer;

  constructor(key: Buffer) {
    if (key.length > BLOCK_BYTES) throw new RangeError(`IdentityKeyHasher: a key of at most ${BLOCK_BYTES} bytes`);
    this.inner = Buffer.alloc(BLOCK_BYTES + 256);
    this.inner.fill(0x36, 0, BLOCK_BYTES);
    this.outer = Buffer.alloc(BLOCK_BYTES + DIGEST_BYTES, 0x5c);
    for (let i = 0; i < key.length; i++) {
      this.inner[i] ^= key[i];
      this.outer[i] ^= key[i];
    }
  }

  /** The HMAC of `text` (UTF-8), base64url. */
  keyOf(text: string): string {
    // A UTF-16 code unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4).
    const inner = this.innerFor(BLOCK_BYTES + text.length * 3);
    const length = inner.write(text, BLOCK_BYTES, 'utf8');
    const innerDigest = hash('sha256', inner.subarray(0, BLOCK_BYTES + length), 'binary'); // Latin-1: a char per byte
    inner.fill(0, BLOCK_BYTES, BLOCK_BYTES + length);
    this.outer.write(innerDigest, BLOCK_BYTES, 'binary');
    return hash('sha256', this.outer, 'base64url');
  }

  /** The kept buffer, grown when needed; past MAX_KEPT_BYTES a one-off (a huge `session.as()` password must not stay allocated). */
  private innerFor(bytes: number): Buffer {
    if (bytes <= this.inner.length) return this.inner;
    const grown = Buffer.alloc(bytes);
    this.inner.copy(grown, 0, 0, BLOCK_BYTES);
    if (bytes <= MAX_KEPT_BYTES) this.inner = grown;
    return grown;
  }
}

/**
 * The hasher of identity, username and address keys: under a key derived from the service's secret, so that
 * replicas sharing a store name them alike; under a random per-process key without one.
 */
export function identityKeyHasherFor(secret: Buffer | undefined): IdentityKeyHasher {
  return new IdentityKeyHasher(secret === undefined ? randomBytes(32) : Buffer.from(hkdfSync('sha256', secret, '', 'nestjs-apikit identity keys', 32)));
}
