import { REDACTED, redactSecrets } from './log-redaction.formatter.js';

describe('redactSecrets', () => {
  it('replaces password, authorization and cookie fields at any depth and in any case, without touching the input', () => {
    const input = {
      user: 'bot',
      Password: 'p1',
      headers: { Authorization: 'Basic abc', cookie: 'a=b', 'Set-Cookie': ['c=d'], accept: '*/*' },
      list: [{ dbPassword: 'p2', 'PROXY-AUTHORIZATION': 'x' }],
    };
    expect(redactSecrets(input)).toEqual({
      user: 'bot',
      Password: REDACTED,
      headers: { Authorization: REDACTED, cookie: REDACTED, 'Set-Cookie': REDACTED, accept: '*/*' },
      list: [{ dbPassword: REDACTED, 'PROXY-AUTHORIZATION': REDACTED }],
    });
    expect(input.Password).toBe('p1');
  });

  it('replaces one-time codes, device tokens, secrets and tokens too, in any style', () => {
    const input = {
      headers: { 'X-GitHub-OTP': '123456', 'x-apikit-device': 'dev-tok', 'x-request-id': 'r1' },
      secret: 's1',
      clientSecret: 's2',
      client_secret: 's3',
      token: 't1',
      accessToken: 't2',
      refresh_token: 't3',
      tokens: 3,
      secretive: false,
    };
    expect(redactSecrets(input)).toEqual({
      headers: { 'X-GitHub-OTP': REDACTED, 'x-apikit-device': REDACTED, 'x-request-id': 'r1' },
      secret: REDACTED,
      clientSecret: REDACTED,
      client_secret: REDACTED,
      token: REDACTED,
      accessToken: REDACTED,
      refresh_token: REDACTED,
      tokens: 3,
      secretive: false,
    });
  });

  it('walks class instances and toJSON results as they would be serialised', () => {
    class Credentials {
      constructor(
        readonly username: string,
        readonly password: string,
      ) {}
    }
    const withJson = { toJSON: () => ({ authorization: 'Bearer t' }) };
    expect(redactSecrets({ creds: new Credentials('u', 's'), withJson })).toEqual({
      creds: { username: 'u', password: REDACTED },
      withJson: { authorization: REDACTED },
    });
  });

  it('keeps an Error readable and survives cycles, repeated references and depth', () => {
    const shared = { a: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    expect(redactSecrets(cyclic)).toEqual({ shared: { a: 1 }, again: { a: 1 }, self: '[Circular]' });
    expect(redactSecrets(new TypeError('bad'))).toMatchObject({ type: 'TypeError', message: 'bad' });
    let deep: Record<string, unknown> = { password: 'x' };
    for (let i = 0; i < 40; i++) deep = { deep };
    expect(JSON.stringify(redactSecrets(deep))).not.toContain('"x"');
  });

  it('leaves primitives alone', () => {
    expect([redactSecrets('password'), redactSecrets(3), redactSecrets(null)]).toEqual(['password', 3, null]);
  });
});
