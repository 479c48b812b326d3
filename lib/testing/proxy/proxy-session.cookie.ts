import { createHash } from 'node:crypto';
import { serializeSetCookie } from '../http/cookie.codec.js';
import { randomToken } from '../http/random-token.js';

/**
 * oauth2-proxy's CSRF cookie: `<name>_csrf`, or with `--cookie-csrf-per-request` `<name>_<8 chars>_csrf`,
 * the characters derived from the login's state so that parallel logins do not overwrite each other.
 */
export function csrfCookieName(cookieName: string, perRequest: boolean, nonce: string): string {
  if (!perRequest) return `${cookieName}_csrf`;
  return `${cookieName}_${createHash('sha256').update(nonce).digest('base64url').slice(0, 8)}_csrf`;
}
/** oauth2-proxy splits a cookie value above ~4 KB into numbered parts. */
const SPLIT_CHUNK = 4000;
const MAX_PARTS = 8;

export interface SessionCookieOptions {
  /** `--cookie-name`. */
  name: string;
  lifetimeMs: number;
  secure: boolean;
  split: boolean;
}

/**
 * A new opaque session value and its `Set-Cookie` headers. When split, the value is padded past
 * 4 KB the way a large encrypted session is, so it really needs `_0`, `_1`.
 */
export function issueSessionCookie(options: SessionCookieOptions): { value: string; setCookies: string[] } {
  const attributes = { maxAgeMs: options.lifetimeMs, httpOnly: true, secure: options.secure };
  if (!options.split) {
    const value = randomToken(32);
    return { value, setCookies: [serializeSetCookie(options.name, value, attributes)] };
  }
  const value = `${randomToken(32)}.${randomToken(3600)}`;
  const setCookies: string[] = [];
  for (let i = 0; i * SPLIT_CHUNK < value.length; i += 1) {
    setCookies.push(serializeSetCookie(`${options.name}_${i}`, value.slice(i * SPLIT_CHUNK, (i + 1) * SPLIT_CHUNK), attributes));
  }
  return { value, setCookies };
}

/** The session value a request presents: `<name>`, or its parts `_0`, `_1`... joined in order. */
export function readSessionCookie(cookies: Map<string, string>, name: string): { value?: string; names: string[] } {
  const whole = cookies.get(name);
  if (whole !== undefined) return { value: whole, names: [name] };
  const names: string[] = [];
  let value = '';
  for (let i = 0; i < MAX_PARTS && cookies.has(`${name}_${i}`); i += 1) {
    names.push(`${name}_${i}`);
    value += cookies.get(`${name}_${i}`);
  }
  return names.length > 0 ? { value, names } : { names };
}

/** `Set-Cookie` headers that delete the named cookies (oauth2-proxy clears a session it cannot use). */
export function clearCookies(names: string[], secure: boolean): string[] {
  return names.map((name) => serializeSetCookie(name, '', { maxAgeMs: 0, httpOnly: true, secure }));
}
