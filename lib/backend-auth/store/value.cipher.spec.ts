import { ValueCipher } from './value.cipher.js';
import { StoredIdentityKeyDeriver } from './stored-identity.keys.js';

describe('ValueCipher', () => {
  const cipher = new ValueCipher(Buffer.alloc(32, 7));
  const value = { cookies: ['_oauth2_proxy=s3cr3t-cookie'] };
  const key = Buffer.alloc(32, 1);
  const otherKey = Buffer.alloc(32, 2);

  it('opens what it sealed, with the same store key, version and value key only', () => {
    const sealed = cipher.seal('k1', 'v1', key, value);
    expect(sealed).not.toContain('s3cr3t');
    expect(cipher.open('k1', 'v1', key, sealed)).toEqual(value);
    expect(cipher.open('k1', 'v1', otherKey, sealed)).toBeUndefined();
    expect(cipher.open('k2', 'v1', key, sealed)).toBeUndefined();
    expect(new ValueCipher(Buffer.alloc(32, 8)).open('k1', 'v1', key, sealed)).toBeUndefined();
  });

  it('authenticates the version: a value under another version tag does not open', () => {
    const sealed = cipher.seal('k1', 'v1', key, value);
    expect(cipher.open('k1', 'v2', key, sealed)).toBeUndefined();
  });

  it('refuses a tampered or foreign value', () => {
    const sealed = cipher.seal('k1', 'v1', key, value);
    const flipped = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
    expect(cipher.open('k1', 'v1', key, flipped)).toBeUndefined();
    expect(cipher.open('k1', 'v1', key, 'junk')).toBeUndefined();
  });
});

describe('StoredIdentityKeyDeriver', () => {
  const deriver = new StoredIdentityKeyDeriver(Buffer.alloc(32, 7));

  it('names and keys an identity alike every time, and another password or username otherwise', async () => {
    const a = await deriver.derive('alice', 'pw');
    expect(await deriver.derive('alice', 'pw')).toEqual(a);
    const otherPassword = await deriver.derive('alice', 'pw2');
    const otherUser = await deriver.derive('bob', 'pw');
    expect(otherPassword.storeKey).not.toBe(a.storeKey);
    expect(otherUser.storeKey).not.toBe(a.storeKey);
    expect(otherPassword.valueKey.equals(a.valueKey)).toBe(false);
    expect(a.storeKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('depends on the secret: another secret, other keys', async () => {
    const other = await new StoredIdentityKeyDeriver(Buffer.alloc(32, 8)).derive('alice', 'pw');
    expect(other.storeKey).not.toBe((await deriver.derive('alice', 'pw')).storeKey);
  });
});
