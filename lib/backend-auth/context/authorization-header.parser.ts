import { BackendError } from '../../errors/backend-error.js';
import { BackendCredentials } from './backend-credentials.js';

/** Longer `Authorization` headers are refused: no real Basic credential needs more. */
export const MAX_AUTHORIZATION_HEADER_LENGTH = 4096;

// Bytes below 0x20 and DEL: never in a sane header or credential, and they forge log lines.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The caller's Basic credentials from `req.headers.authorization`, or a 401 `BackendError`
 * saying what is wrong (never echoing the header) with `WWW-Authenticate: Basic realm`.
 */
export function parseBasicAuthorization(header: string | string[] | undefined, realm: string): BackendCredentials {
  const refuse = (content: string): BackendError =>
    new BackendError('Unauthorized', 401, content, { 'WWW-Authenticate': basicChallenge(realm) });
  if (header === undefined || header === '') throw refuse('No authorization provided.');
  if (typeof header !== 'string') throw refuse('More than one Authorization header was sent.');
  if (header.length > MAX_AUTHORIZATION_HEADER_LENGTH) {
    throw refuse(`Authorization header is longer than ${MAX_AUTHORIZATION_HEADER_LENGTH} characters.`);
  }
  if (CONTROL_CHARS.test(header)) throw refuse('Authorization header contains control characters.');
  const [scheme, ...rest] = header.trim().split(/ +/);
  if (scheme.toLowerCase() !== 'basic') {
    throw refuse('Unsupported authorization scheme: use Basic credentials.');
  }
  const encoded = rest.join(' ');
  if (encoded === '') throw refuse('Malformed Basic credentials: none given after the scheme.');
  if (!BASE64.test(encoded)) throw refuse('Malformed Basic credentials: not valid base64.');
  let decoded: string;
  try {
    decoded = strictUtf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw refuse('Malformed Basic credentials: not valid UTF-8.');
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) throw refuse("Malformed Basic credentials: no ':' between username and password.");
  if (CONTROL_CHARS.test(decoded)) throw refuse('Malformed Basic credentials: they contain control characters.');
  const username = decoded.slice(0, colon);
  if (username === '') throw refuse('Malformed Basic credentials: the username is empty.');
  return new BackendCredentials(username, decoded.slice(colon + 1));
}

/** `Basic realm="<service name>"`, quoted per RFC 7235 (quotes and backslashes escaped). */
export function basicChallenge(realm: string): string {
  const safe = realm.replace(/[\u0000-\u001f\u007f]/g, '').replace(/["\\]/g, '\\$&'); // eslint-disable-line no-control-regex
  return `Basic realm="${safe}"`;
}
