import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v2';

/**
 * AES-256-GCM for what a shared store keeps of a caller (cookies, a half-done login). The key comes
 * from the service's secret *and* the identity's value key (scrypt of its password, `StoredIdentityKeyDeriver`),
 * and the store key and the entry's version are authenticated data: a copy of the store alone, or with
 * the secret but not the password, decrypts nothing, a value moved to another key does not decrypt, and
 * a version swapped in front of a value does not either.
 */
export class ValueCipher {
  constructor(private readonly secret: Buffer) {}

  seal(storeKey: string, version: string, valueKey: Buffer, value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(storeKey, valueKey), iv);
    cipher.setAAD(Buffer.from(`${storeKey}|${version}`));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
  }

  /** The value, or undefined when it does not open with this key (another password, tampered, unknown format). */
  open<T>(storeKey: string, version: string, valueKey: Buffer, sealed: string): T | undefined {
    const [format, iv, tag, data] = sealed.split('.');
    if (format !== VERSION || data === undefined) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keyFor(storeKey, valueKey), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`${storeKey}|${version}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  private keyFor(storeKey: string, valueKey: Buffer): Buffer {
    const material = Buffer.concat([this.secret, Buffer.from([0]), valueKey]);
    return Buffer.from(hkdfSync('sha256', material, storeKey, 'nestjs-apikit shared login state', 32));
  }
}
