// Longer is no username a log needs (GitHub's are 39 characters at most); it is left out rather than cut.
const MAX_LOGGED_USERNAME = 256;
const BASIC = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;

/**
 * The username of an `Authorization: Basic` header (RFC 7617, UTF-8), for a log line: never the password,
 * which is not even copied out of the decoded text. `undefined` for anything else.
 */
export function basicUsername(authorization: unknown): string | undefined {
  if (typeof authorization !== 'string') return undefined;
  const encoded = BASIC.exec(authorization)?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && colon <= MAX_LOGGED_USERNAME ? decoded.slice(0, colon) : undefined;
}
