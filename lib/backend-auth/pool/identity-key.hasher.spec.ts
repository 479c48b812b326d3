import { createHmac, randomBytes } from 'node:crypto';
import { IdentityKeyHasher } from './identity-key.hasher.js';

describe('IdentityKeyHasher', () => {
  it("is HMAC-SHA-256: the same keys as node's createHmac, for any key length up to a block and any text", () => {
    const texts = ['', '5:alice:s3cret', 'user:ÄLICE', '日本語:パスワード', '😀:\u0000:tab\t', 'x'.repeat(200)];
    for (const length of [0, 1, 32, 63, 64]) {
      const key = randomBytes(length);
      const hasher = new IdentityKeyHasher(key);
      for (const text of texts) expect(hasher.keyOf(text)).toBe(createHmac('sha256', key).update(text).digest('base64url'));
    }
  });

  it('refuses a key longer than a block, which HMAC would hash first', () => {
    expect(() => new IdentityKeyHasher(randomBytes(65))).toThrow(RangeError);
  });
});
