import { inspect } from 'node:util';
import { BackendError } from '../../errors/backend-error.js';
import { basicCredentialsHeader } from '../../http-request/basic-credentials.header.js';
import { basicChallenge, parseBasicAuthorization } from './authorization-header.parser.js';

const header = (text: string): string => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('parseBasicAuthorization', () => {
  it('returns the credentials, the password split at the first colon only', () => {
    const credentials = parseBasicAuthorization(header('ünïcode:pa:ss'), basicChallenge('svc'));
    expect([credentials.username, credentials.password]).toEqual(['ünïcode', 'pa:ss']);
  });

  it('never shows the password when printed or serialised', () => {
    const credentials = parseBasicAuthorization(header('user:hunter2'), basicChallenge('svc'));
    expect(JSON.stringify(credentials)).not.toContain('hunter2');
    expect(inspect(credentials)).not.toContain('hunter2');
    expect(Object.keys(credentials)).toEqual(['username']);
  });

  it('keeps the header for basic mode to forward only when it is exactly what encoding again gives', () => {
    // Seeded credentials of every length mod 3 (both paddings), ASCII to astral, no control characters.
    let seed = 11;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const paddings = new Set<string>();
    for (let n = 0; n < 300; n++) {
      let password = '';
      for (let i = next() % 16; i > 0; i--) {
        const pick = next() % 4;
        const code = pick === 0 ? 0x20 + (next() % 95) : pick === 1 ? 0xa0 + (next() % 96) : pick === 2 ? 0x100 + (next() % 0xd700) : 0x10000 + (next() % 0xfffff);
        password += String.fromCodePoint(code);
      }
      const username = `user${n}`;
      const inbound = header(`${username}:${password}`);
      paddings.add(/=*$/.exec(inbound)![0]);
      const credentials = parseBasicAuthorization(inbound, basicChallenge('svc'));
      expect(credentials.basicAuthorization).toBe(basicCredentialsHeader(username, password));
      expect(credentials.basicAuthorization).toBe(inbound);
    }
    expect([...paddings].sort()).toEqual(['', '=', '==']);
  });

  it('encodes again what differs from the canonical form: padding bits set, the scheme written otherwise', () => {
    // "u:ab" is dTphYg== and "u:abc" dTphYmM=; Y and N differ from g and M only in bits decoders ignore.
    const cases: Array<[string, string]> = [
      ['Basic dTphYh==', 'Basic dTphYg=='],
      ['Basic dTphYmN=', 'Basic dTphYmM='],
      ['basic   dTphYg==', 'Basic dTphYg=='],
    ];
    for (const [inbound, forwarded] of cases) {
      const credentials = parseBasicAuthorization(inbound, basicChallenge('svc'));
      expect(credentials.username).toBe('u');
      expect(credentials.basicAuthorization).toBe(forwarded);
    }
  });

  it('never shows the header it keeps either', () => {
    const inbound = header('user:hunter2');
    const credentials = parseBasicAuthorization(inbound, basicChallenge('svc'));
    expect(credentials.basicAuthorization).toBe(inbound);
    const encoded = inbound.slice('Basic '.length);
    expect(JSON.stringify(credentials)).not.toContain(encoded);
    expect(inspect(credentials)).not.toContain(encoded);
    expect(JSON.stringify({ ...credentials })).not.toContain(encoded);
  });

  it('splits the scheme from the credentials as split-on-spaces-and-join did (differential, seeded)', () => {
    // The former parsing, as the oracle: the scheme before the first run of spaces, the rest joined with one.
    const formerly = (text: string): string => {
      const [scheme, ...rest] = text.trim().split(/ +/);
      if (scheme.toLowerCase() !== 'basic') return 'scheme';
      const encoded = rest.join(' ');
      if (encoded === '') return 'none';
      const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(encoded);
      return base64 ? now(`Basic ${encoded}`) : 'Malformed Basic credentials: not valid base64.';
    };
    const now = (text: string): string => {
      try {
        const { username, password } = parseBasicAuthorization(text, basicChallenge('svc'));
        return `${username}:${password}`;
      } catch (error) {
        const content = String((error as BackendError).content);
        return content.startsWith('Unsupported') ? 'scheme' : content.includes('none given') ? 'none' : content;
      }
    };
    const pieces = ['Basic', 'basic', 'BASIC', 'Bearer', 'Basicx', ' ', ' ', '   ', '\u00a0', '\u2003', 'dTpw', 'dTpwdw==', 'dXNlcjpwYXNz', '=', 'x'];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 2000; n++) {
      let text = '';
      for (let i = 1 + (next() % 5); i > 0; i--) text += pieces[next() % pieces.length];
      expect([text, now(text)]).toEqual([text, formerly(text)]);
    }
  });

  it('refuses with a 401 BackendError carrying the challenge', () => {
    const error = refusal(() => parseBasicAuthorization(header('nocolon'), basicChallenge('svc')));
    expect(error.toDict()).toEqual({ reason: 'Unauthorized', status_code: 401, error_content: "Malformed Basic credentials: no ':' between username and password." });
    expect(error.headers).toEqual({ 'WWW-Authenticate': 'Basic realm="svc"' });
  });

  it('refuses two Authorization headers with a 400: which one a proxy in front checked is unknowable', () => {
    const error = refusal(() => parseBasicAuthorization([header('a:1'), header('b:2')], basicChallenge('svc')));
    expect(error.toDict()).toEqual({ reason: 'Bad Request', status_code: 400, error_content: 'More than one Authorization header was sent.' });
  });

  it.each([
    ['a C1 control', 'ali\u0085ce'],
    ['a line separator', 'ali\u2028ce'],
    ['a paragraph separator', 'ali\u2029ce'],
    ['a right-to-left override', 'ali\u202ece'],
    ['a bidi isolate', 'ali\u2067ce'],
  ])('refuses a username holding %s', (_, username) => {
    expect(refusal(() => parseBasicAuthorization(header(`${username}:pw`), basicChallenge('svc'))).content).toBe(
      'Malformed Basic credentials: the username contains control or bidi characters.',
    );
  });

  it.each([
    ['a GitHub login', 'alice'],
    ['a login of 39 characters with hyphens', `a-${'b'.repeat(36)}-`],
    ['an email address', 'alice.smith+ci@mail.example.org'],
    ['an email address with every atext symbol', "a!#$%&'*/=?^_`{|}~-b@x.example"],
    ['an email address of 254 characters', `${'l'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(61)}`],
  ])('takes %s as a GitHub username', (_, username) => {
    expect(parseBasicAuthorization(header(`${username}:pw`), basicChallenge('svc'), undefined, true).username).toBe(username);
  });

  it.each([
    ['a leading space', ' alice'],
    ['a trailing space', 'alice '],
    ['an inner space', 'al ice'],
    ['a zero-width space', 'ali\u200bce'],
    ['a no-break space', 'alice\u00a0'],
    ['a Cyrillic a', '\u0430lice'],
    ['a fullwidth letter', '\uff41lice'],
    ['a leading hyphen', '-alice'],
    ['an underscore', 'al_ice'],
    ['40 characters', 'a'.repeat(40)],
    ['an email address beyond ASCII', 'alice@exämple.org'],
    ['an email address without a dot in its domain', 'alice@localhost'],
    ['an email address with a label ending in a hyphen', 'alice@example-.org'],
    ['an email address with two dots in a row', 'alice..smith@example.org'],
    ['an email address with two @', 'alice@smith@example.org'],
    ['an email address with 65 characters before the @', `${'l'.repeat(65)}@example.org`],
    ['an email address of 255 characters', `${'l'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(62)}`],
  ])('refuses a GitHub username with %s (401), without echoing it; basic mode forwards it', (_, username) => {
    expect(parseBasicAuthorization(header(`${username}:pw`), basicChallenge('svc')).username).toBe(username);
    const error = refusal(() => parseBasicAuthorization(header(`${username}:pw`), basicChallenge('svc'), undefined, true));
    expect(error.toDict()).toEqual({
      reason: 'Unauthorized',
      status_code: 401,
      error_content: 'Malformed Basic credentials: the username is not a GitHub login or an email address.',
    });
    expect(error.headers).toEqual({ 'WWW-Authenticate': 'Basic realm="svc"' });
  });

  const ALNUM = 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6A7b8C9d0E1f2G3h4I5j6K7l8M9n0O1p2Q3r4';
  it.each([
    ...['ghp', 'gho', 'ghu', 'ghs', 'ghr'].map((prefix) => [`a ${prefix}_ token`, `${prefix}_${ALNUM.slice(0, 36)}`]),
    ['a longer token of a future format', `ghs_${ALNUM}${ALNUM}`],
    ['a fine-grained personal access token', `github_pat_${ALNUM.slice(0, 22)}_${ALNUM.slice(0, 59)}`],
    ['a JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl-_x'],
    ['an unsigned JWT', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.'],
  ])('refuses %s as a GitHub password (401), never echoing it; basic mode forwards it', (_, token) => {
    expect(parseBasicAuthorization(header(`alice:${token}`), basicChallenge('svc')).password).toBe(token);
    const error = refusal(() => parseBasicAuthorization(header(`alice:${token}`), basicChallenge('svc'), undefined, true));
    expect(error.toDict()).toEqual({
      reason: 'Unauthorized',
      status_code: 401,
      error_content:
        "This service needs your GitHub password, not a token: tokens work with oauth2-proxy's --skip-jwt-bearer-tokens (JWTs) or the basic type behind --htpasswd-file.",
    });
    expect(error.headers).toEqual({ 'WWW-Authenticate': 'Basic realm="svc"' });
  });

  it.each([
    ['a prefix and a short rest', 'ghp_hunter2hunter2'],
    ['a prefix with a space', `ghp_${ALNUM.slice(0, 20)} ${ALNUM.slice(0, 20)}`],
    ['an unknown prefix', `ghx_${ALNUM.slice(0, 36)}`],
    ['a JWT-like start', 'eyJ.eyJ'],
    ['a password holding a token', `my ghp_${ALNUM.slice(0, 36)}`],
  ])('sends GitHub a password that only looks like a token: %s', (_, password) => {
    expect(parseBasicAuthorization(header(`alice:${password}`), basicChallenge('svc'), undefined, true).password).toBe(password);
  });

  it('quotes the realm safely', () => {
    expect(basicChallenge('my "svc"\\\n')).toBe('Basic realm="my \\"svc\\"\\\\"');
  });

  it('gives a realm beyond ASCII an ASCII fallback and its exact form (RFC 8187), valid as a header', () => {
    expect(basicChallenge('café ☕')).toBe(`Basic realm="caf? ?", realm*=UTF-8''caf%C3%A9%20%E2%98%95, charset="UTF-8"`);
  });
});

function refusal(parse: () => unknown): BackendError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(BackendError);
    return error as BackendError;
  }
  throw new Error('expected a BackendError, the credentials were accepted');
}
