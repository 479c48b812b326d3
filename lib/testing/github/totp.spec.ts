import { totp, totpMatches } from './totp.js';

describe('totp', () => {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", last 6 digits of the 8-digit vectors.
  it.each([
    [59_000, '287082'],
    [1_111_111_109_000, '081804'],
    [1_234_567_890_000, '005924'],
    [2_000_000_000_000, '279037'],
  ])('at %i ms gives %s', (at, code) => {
    expect(totp(Buffer.from('12345678901234567890'), at)).toBe(code);
  });

  it('accepts the previous window, not older ones', () => {
    const secret = Buffer.from('s3cret-s3cret');
    const now = 1_800_000_000_000;
    expect(totpMatches(secret, totp(secret, now - 30_000), now)).toBe(true);
    expect(totpMatches(secret, totp(secret, now - 60_000), now)).toBe(false);
  });
});
