// The Authorization parser over generated headers (issue 26): it never throws anything but apikit's
// 400/401, accepts exactly well-formed Basic credentials (RFC 7617, stricter where the README says),
// round-trips what it accepts, and never repeats the header in its refusal.
import fc from 'fast-check';
import { basicChallenge, parseBasicAuthorization } from '../../lib/backend-auth/context/authorization-header.parser.js';
import { BackendError } from '../../lib/errors/backend-error.js';
import { basicCredentialsHeader } from '../../lib/http-request/basic-credentials.header.js';
import { anyHeaderBytes, anyText, CANARY, PROPERTY_RUNS } from './property-runs.js';

const CHALLENGE = basicChallenge('svc');
const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The parse, as a value: the credentials, or the refusal (any other throw fails the property). */
function parse(header: string | string[] | undefined, githubUsername = false) {
  try {
    const credentials = parseBasicAuthorization(header, CHALLENGE, undefined, githubUsername);
    return { ok: true as const, credentials };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    return { ok: false as const, error };
  }
}

// Control characters are refused everywhere; C1, bidi and line separators in usernames.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const USERNAME_FORBIDDEN = /[\u0080-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const wellFormed = (text: string) => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

describe('parseBasicAuthorization, over generated input', () => {
  it('answers any header (any bytes, one or several) with credentials or a 400/401 BackendError, never another throw', () => {
    const header = fc.oneof(anyHeaderBytes(), anyText(), fc.constant(undefined), fc.array(anyHeaderBytes(60), { maxLength: 3 }));
    fc.assert(
      fc.property(header, fc.boolean(), (value, github) => {
        const result = parse(value, github);
        if (!result.ok) expect([400, 401]).toContain(result.error.statusCode);
      }),
      PROPERTY_RUNS,
    );
  });

  it('accepts exactly the Basic credentials a client can encode: a non-empty username, no control characters (nor C1 or bidi ones in the username)', () => {
    const part = fc.oneof(anyText(40), fc.string({ maxLength: 20 }));
    fc.assert(
      fc.property(part, part, fc.constantFrom('Basic', 'basic', 'BASIC'), fc.integer({ min: 1, max: 3 }), (username, password, scheme, spaces) => {
        // UTF-8 cannot carry a lone surrogate; RFC 7617's user-id has no colon (the first one splits).
        fc.pre(wellFormed(username) && wellFormed(password) && !username.includes(':'));
        const header = `${scheme}${' '.repeat(spaces)}${encode(`${username}:${password}`)}`;
        const acceptable = username !== '' && !CONTROL.test(username) && !CONTROL.test(password) && !USERNAME_FORBIDDEN.test(username);
        const result = parse(header);
        expect(result.ok).toBe(acceptable);
        if (result.ok) {
          expect([result.credentials.username, result.credentials.password]).toEqual([username, password]);
          // What basic mode forwards is the canonical encoding, which here is the header's own.
          expect(result.credentials.basicAuthorization).toBe(basicCredentialsHeader(username, password));
        } else {
          expect(result.error.statusCode).toBe(401);
        }
      }),
      PROPERTY_RUNS,
    );
  });

  it('decodes to exactly what the header carries whenever it accepts, whatever the encoding quirks', () => {
    // Base64 of any bytes, with the scheme's case and padding varied: what is accepted decodes to `username:password`.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), fc.constantFrom('', '=', '=='), (bytes, extraPadding) => {
        const encoded = Buffer.from(bytes).toString('base64') + extraPadding;
        const result = parse(`Basic ${encoded}`);
        if (!result.ok) return;
        expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe(`${result.credentials.username}:${result.credentials.password}`);
        expect(Buffer.from(`${result.credentials.username}:${result.credentials.password}`, 'utf8').equals(Buffer.from(bytes))).toBe(true);
      }),
      PROPERTY_RUNS,
    );
  });

  it('accepts in bitly-proxy mode only GitHub logins and email addresses, and never a token as the password', () => {
    fc.assert(
      fc.property(anyText(50), fc.string({ maxLength: 30 }), (username, password) => {
        fc.pre(wellFormed(username));
        const result = parse(`Basic ${encode(`${username}:${password}`)}`, true);
        if (!result.ok) return;
        expect(result.credentials.username).toMatch(/^(?:[A-Za-z0-9][A-Za-z0-9-]{0,38}|[\x21-\x7e]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+)$/);
        expect(result.credentials.password).not.toMatch(/^(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]{36,}$/);
      }),
      PROPERTY_RUNS,
    );
  });

  it('never repeats the header, its username or its password in a refusal', () => {
    const planted = fc.tuple(anyText(20), anyText(20)).map(([before, after]) => `${before}${CANARY}${after}`);
    fc.assert(
      fc.property(planted, planted, fc.constantFrom('raw', 'basic', 'bearer'), (username, password, form) => {
        const header = form === 'raw' ? `Basic ${username}:${password}` : form === 'bearer' ? `Bearer ${encode(password)}` : `Basic ${encode(`${username}:${password}`)}`;
        const result = parse(header, true);
        if (result.ok) return;
        const shown = JSON.stringify({ body: result.error.toDict(), message: result.error.message, headers: result.error.headers });
        expect(shown).not.toContain(CANARY);
        expect(shown).not.toContain(encode(password).slice(0, 12));
      }),
      PROPERTY_RUNS,
    );
  });
});
