import type { IncomingMessage } from 'node:http';

const MAX_COOKIES = 64;

/** Parses the `Cookie` header; malformed pairs are skipped and the first of duplicate names wins. */
export function parseCookieHeader(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  const header = req.headers.cookie;
  if (typeof header !== 'string') return cookies;
  for (const pair of header.split(';').slice(0, MAX_COOKIES)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (name && !cookies.has(name)) cookies.set(name, pair.slice(eq + 1).trim());
  }
  return cookies;
}

export interface SetCookieAttributes {
  /** Lifetime in ms; 0 deletes the cookie; undefined makes a browser-session cookie. */
  maxAgeMs?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'Lax' | 'Strict';
}

/** Serialises one `Set-Cookie` value with `Path=/`, and both `Expires` and `Max-Age` like oauth2-proxy. */
export function serializeSetCookie(name: string, value: string, attributes: SetCookieAttributes): string {
  const parts = [`${name}=${value}`, 'Path=/'];
  if (attributes.maxAgeMs !== undefined) {
    const seconds = Math.max(0, Math.floor(attributes.maxAgeMs / 1000));
    const expires = seconds === 0 ? new Date(0) : new Date(Date.now() + seconds * 1000);
    parts.push(`Expires=${expires.toUTCString()}`, `Max-Age=${seconds}`);
  }
  if (attributes.httpOnly) parts.push('HttpOnly');
  if (attributes.secure) parts.push('Secure');
  if (attributes.sameSite) parts.push(`SameSite=${attributes.sameSite}`);
  return parts.join('; ');
}
