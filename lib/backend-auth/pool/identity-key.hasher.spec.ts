import { createHmac, randomBytes } from 'node:crypto';
import { IdentityKeyHasher } from './identity-key.hasher.js';

describe('IdentityKeyHasher', () => {
  it("is HMAC-SHA-256: the same keys as node's createHmac, for any key length up to a block and any text", () => {
    // Lone surrogates (encoded as U+FFFD) and texts longer than the room the hasher starts with.
    const texts = ['', '5:alice:s3cret', 'user:ÄLICE', '日本語:パスワード', '😀:\u0000:tab\t', 'x'.repeat(200), '\ud800:\udfff', '😀'.repeat(2048), 'y'.repeat(20_000), 'short again'];
    for (const length of [0, 1, 32, 63, 64]) {
      const key = randomBytes(length);
      const hasher = new IdentityKeyHasher(key);
      for (const text of texts) expect(hasher.keyOf(text)).toBe(createHmac('sha256', key).update(text).digest('base64url'));
    }
  });

  it('keeps no byte of the text it hashed', () => {
    const hasher = new IdentityKeyHasher(randomBytes(32));
    for (const text of ['5:alice:correct horse', 'ü'.repeat(300)]) {
      hasher.keyOf(text);
      // The buffers the hasher writes into: past the pads, only zeros and the inner digest remain.
      const inner = (hasher as unknown as { inner: Buffer }).inner;
      expect(inner.subarray(64).every((byte) => byte === 0)).toBe(true);
      expect(Buffer.concat([inner, (hasher as unknown as { outer: Buffer }).outer]).includes(Buffer.from(text))).toBe(false);
    }
  });

  it('keeps its message buffer no larger than a header needs, whatever length a password came in', () => {
    const hasher = new IdentityKeyHasher(randomBytes(32));
    hasher.keyOf(`5:alice:${'p'.repeat(1_000_000)}`);
    expect((hasher as unknown as { inner: Buffer }).inner.length).toBeLessThanOrEqual(16 * 1024);
    hasher.keyOf(`5:alice:${'p'.repeat(4096)}`);
    expect((hasher as unknown as { inner: Buffer }).inner.length).toBeGreaterThanOrEqual(64 + 4096 * 3);
  });

  it('refuses a key longer than a block, which HMAC would hash first', () => {
    expect(() => new IdentityKeyHasher(randomBytes(65))).toThrow(RangeError);
  });
});
