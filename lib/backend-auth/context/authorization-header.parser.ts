import { validateHeaderValue } from 'node:http';
import { BackendError } from '../../errors/backend-error.js';
import { BackendCredentials } from './backend-credentials.js';

/** Longer `Authorization` headers are refused: no real Basic credential needs more. */
export const MAX_AUTHORIZATION_HEADER_LENGTH = 4096;

// Bytes below 0x20 and DEL: never in a sane header or credential, and they forge log lines.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
// In a username (logged, shown in consoles): C1 controls, line and paragraph separators, and the bidi
// controls that reorder what a reader sees (Trojan Source). The login-or-email rule below refuses
// them too; this check names them.
const USERNAME_FORBIDDEN = /[\u0080-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** A GitHub login: letters, digits and hyphens, at most 39, the first not a hyphen. */
const GITHUB_LOGIN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
// An email address, which GitHub also signs in with: a dot-atom of RFC 5322 `atext` before the `@`,
// LDH labels (RFC 1035) with at least one dot after it. ASCII only: GitHub matches the address as
// given, and other scripts would make homoglyphs (a Cyrillic `а` for `a`) identities and throttle buckets of their own.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL_ADDRESS = new RegExp(`^${ATEXT}(?:\\.${ATEXT})*@${LABEL}(?:\\.${LABEL})+$`);
/** RFC 5321's bounds: 64 characters before the `@`, 254 in all. */
const MAX_LOCAL_PART_LENGTH = 64;
const MAX_EMAIL_LENGTH = 254;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/**
 * A token where a GitHub password belongs. GitHub's (github.blog, 2021-03-31 and "Behind GitHub's new
 * authentication token formats"): a type prefix, then base62 (30 random characters and a 6-character
 * CRC32 checksum today, up to 255 in all announced); fine-grained PATs `github_pat_` + 22 + `_` + 59.
 * A JWT (GitHub Actions' OIDC token, an IdP's ID token): base64url of `{"...` twice, then a signature.
 */
const TOKEN_AS_PASSWORD = /^(?:gh[pousr]_[A-Za-z0-9_]{36,251}|github_pat_[A-Za-z0-9_]{82,244}|eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*)$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The caller's Basic credentials from the request's `Authorization` headers (every one received:
 * node keeps only the first in `req.headers`), or a `BackendError` saying what is wrong, never
 * echoing the header: 400 for several headers, else 401 with `challenge` as `WWW-Authenticate`.
 * `githubUsername`: the username must be a GitHub login or an email address (`bitly-proxy`, where it
 * signs in to GitHub); `basic` forwards whatever its backend accepts.
 */
export function parseBasicAuthorization(
  header: string | readonly string[] | undefined,
  challenge: string,
  otp?: string,
  githubUsername = false,
): BackendCredentials {
  const refuse = (content: string): BackendError => new BackendError('Unauthorized', 401, content, { 'WWW-Authenticate': challenge });
  if (typeof header !== 'string' && header !== undefined) {
    // Two credentials in one request: which one a proxy in front of us checked is anyone's guess.
    if (header.length > 1) throw new BackendError('Bad Request', 400, 'More than one Authorization header was sent.');
    header = header[0];
  }
  if (header === undefined || header === '') throw refuse('No authorization provided.');
  if (header.length > MAX_AUTHORIZATION_HEADER_LENGTH) {
    throw refuse(`Authorization header is longer than ${MAX_AUTHORIZATION_HEADER_LENGTH} characters.`);
  }
  if (CONTROL_CHARS.test(header)) throw refuse('Authorization header contains control characters.');
  const { scheme, encoded } = splitScheme(header.trim());
  if (scheme.toLowerCase() !== 'basic') {
    throw refuse('Unsupported authorization scheme: use Basic credentials.');
  }
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
  if (USERNAME_FORBIDDEN.test(username)) throw refuse('Malformed Basic credentials: the username contains control or bidi characters.');
  if (githubUsername && !isGitHubLoginOrEmail(username)) throw refuse('Malformed Basic credentials: the username is not a GitHub login or an email address.');
  const password = decoded.slice(colon + 1);
  // Posted to GitHub's login form a token only counts as a failed sign-in of the account.
  if (githubUsername && TOKEN_AS_PASSWORD.test(password)) {
    throw refuse(
      "This service needs your GitHub password, not a token: tokens work with oauth2-proxy's --skip-jwt-bearer-tokens (JWTs) or the basic type behind --htpasswd-file.",
    );
  }
  return hasCanonicalPadding(encoded)
    ? BackendCredentials.fromCanonicalBasic(username, password, otp, encoded)
    : new BackendCredentials(username, password, otp);
}

/**
 * One spelling per account, so that ` alice`, `ali\u200bce` or `alice\u00a0` are refused here rather
 * than each counted by GitHub and by the throttles as a username of its own.
 */
function isGitHubLoginOrEmail(username: string): boolean {
  if (GITHUB_LOGIN.test(username)) return true;
  const at = username.lastIndexOf('@');
  return at > 0 && at <= MAX_LOCAL_PART_LENGTH && username.length <= MAX_EMAIL_LENGTH && EMAIL_ADDRESS.test(username);
}

/**
 * `<scheme> <credentials>`: the scheme up to the first space, the credentials after the run of spaces
 * that follows it (RFC 9110 allows several). Any space left inside fails the base64 check. By index,
 * not `split` and `join`: ~0.13 µs less per request.
 */
function splitScheme(header: string): { scheme: string; encoded: string } {
  const space = header.indexOf(' ');
  if (space < 0) return { scheme: header, encoded: '' };
  let start = space + 1;
  while (header.charCodeAt(start) === 0x20) start++;
  return { scheme: header.slice(0, space), encoded: header.slice(start) };
}

// The last character before `=` padding carries bits no byte uses: 4 of them before `==`, 2 before
// `=`. Encoders write them as zeros, decoders ignore them; only when they are zero does encoding the
// decoded bytes give back the same text (strict UTF-8 already makes the bytes round-trip).
const ZERO_LOW_4_BITS = 'AQgw';
const ZERO_LOW_2_BITS = 'AEIMQUYcgkosw048';

/** True when `encoded` (valid base64, by the regex above) is exactly what re-encoding its bytes gives. */
function hasCanonicalPadding(encoded: string): boolean {
  if (encoded.endsWith('==')) return ZERO_LOW_4_BITS.includes(encoded.charAt(encoded.length - 3));
  if (encoded.endsWith('=')) return ZERO_LOW_2_BITS.includes(encoded.charAt(encoded.length - 2));
  return true;
}

/**
 * `Basic realm="<service name>"`, quoted per RFC 7235 (quotes and backslashes escaped). A header holds
 * Latin-1 at most (node throws on more, turning every 401 into a 500): a name beyond printable ASCII
 * gets an ASCII fallback (`?` for each other character) and its exact form as `realm*` (RFC 8187).
 * Checked as a header value, so a bad service name fails at boot, where this is first built.
 */
export function basicChallenge(realm: string): string {
  const printable = realm.replace(/[\u0000-\u001f\u007f]/g, ''); // eslint-disable-line no-control-regex
  const ascii = printable.replace(/[^\u0020-\u007e]/gu, '?');
  const quoted = `Basic realm="${ascii.replace(/["\\]/g, '\\$&')}"`;
  const challenge = ascii === printable ? quoted : `${quoted}, realm*=UTF-8''${encodeRfc8187(printable)}, charset="UTF-8"`;
  validateHeaderValue('WWW-Authenticate', challenge);
  return challenge;
}

/** RFC 8187 `value-chars`: attr-chars as they are, every other UTF-8 byte percent-encoded. */
function encodeRfc8187(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** GitHub's codes: 6 to 8 digits (app, SMS, device verification), or a recovery code such as `a1b2c-3d4e5`. */
const ONE_TIME_CODE = /^[0-9A-Za-z]{4,16}(?:-[0-9A-Za-z]{4,16})?$/;

/** The caller's `X-GitHub-OTP` header: absent, or one well-formed code (never echoed), else a 400. */
export function parseOneTimeCode(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !ONE_TIME_CODE.test(header.trim())) {
    throw new BackendError('Bad Request', 400, 'Malformed X-GitHub-OTP header: send one code, digits or a recovery code.');
  }
  return header.trim();
}
