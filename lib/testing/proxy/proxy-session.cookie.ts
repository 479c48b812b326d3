import { serializeSetCookie } from '../http/cookie.codec.js';
import { randomToken } from '../http/random-token.js';

export const SESSION_COOKIE = '_oauth2_proxy';
export const CSRF_COOKIE = '_oauth2_proxy_csrf';
/** oauth2-proxy splits a cookie value above ~4 KB into numbered parts. */
const SPLIT_CHUNK = 4000;
const MAX_PARTS = 8;

export interface SessionCookieOptions {
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
    return { value, setCookies: [serializeSetCookie(SESSION_COOKIE, value, attributes)] };
  }
  const value = `${randomToken(32)}.${randomToken(3600)}`;
  const setCookies: string[] = [];
  for (let i = 0; i * SPLIT_CHUNK < value.length; i += 1) {
    setCookies.push(serializeSetCookie(`${SESSION_COOKIE}_${i}`, value.slice(i * SPLIT_CHUNK, (i + 1) * SPLIT_CHUNK), attributes));
  }
  return { value, setCookies };
}

/** The session value a request presents: `_oauth2_proxy`, or its parts `_0`, `_1`... joined in order. */
export function readSessionCookie(cookies: Map<string, string>): { value?: string; names: string[] } {
  const whole = cookies.get(SESSION_COOKIE);
  if (whole !== undefined) return { value: whole, names: [SESSION_COOKIE] };
  const names: string[] = [];
  let value = '';
  for (let i = 0; i < MAX_PARTS && cookies.has(`${SESSION_COOKIE}_${i}`); i += 1) {
    names.push(`${SESSION_COOKIE}_${i}`);
    value += cookies.get(`${SESSION_COOKIE}_${i}`);
  }
  return names.length > 0 ? { value, names } : { names };
}

/** `Set-Cookie` headers that delete the named cookies (oauth2-proxy clears a session it cannot use). */
export function clearCookies(names: string[], secure: boolean): string[] {
  return names.map((name) => serializeSetCookie(name, '', { maxAgeMs: 0, httpOnly: true, secure }));
}
