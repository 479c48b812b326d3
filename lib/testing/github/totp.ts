import { createHmac } from 'node:crypto';

const STEP_MS = 30_000;

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits), as authenticator apps compute it. */
export function totp(secret: Buffer, at = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / STEP_MS)));
  const digest = createHmac('sha1', secret).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Whether `code` is the current code or the previous one (GitHub allows for clock drift). */
export function totpMatches(secret: Buffer, code: string, at = Date.now()): boolean {
  return code === totp(secret, at) || code === totp(secret, at - STEP_MS);
}
