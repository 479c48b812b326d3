import { ValueCipher } from './value.cipher.js';

describe('ValueCipher', () => {
  const cipher = new ValueCipher(Buffer.alloc(32, 7));
  const value = { cookies: ['_oauth2_proxy=s3cr3t-cookie'] };

  it('opens what it sealed, with the same key and password only', () => {
    const sealed = cipher.seal('k1', 'pw', value);
    expect(sealed).not.toContain('s3cr3t');
    expect(cipher.open('k1', 'pw', sealed)).toEqual(value);
    expect(cipher.open('k1', 'other-pw', sealed)).toBeUndefined();
    expect(cipher.open('k2', 'pw', sealed)).toBeUndefined();
    expect(new ValueCipher(Buffer.alloc(32, 8)).open('k1', 'pw', sealed)).toBeUndefined();
  });

  it('refuses a tampered or foreign value', () => {
    const sealed = cipher.seal('k1', 'pw', value);
    const flipped = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
    expect(cipher.open('k1', 'pw', flipped)).toBeUndefined();
    expect(cipher.open('k1', 'pw', 'junk')).toBeUndefined();
  });
});
