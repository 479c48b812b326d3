import { randomBytes } from 'node:crypto';

/** An unguessable URL- and cookie-safe token. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
