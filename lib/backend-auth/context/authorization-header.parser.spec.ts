import { inspect } from 'node:util';
import { BackendError } from '../../errors/backend-error.js';
import { basicChallenge, parseBasicAuthorization } from './authorization-header.parser.js';

const header = (text: string): string => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('parseBasicAuthorization', () => {
  it('returns the credentials, the password split at the first colon only', () => {
    const credentials = parseBasicAuthorization(header('ünïcode:pa:ss'), 'svc');
    expect([credentials.username, credentials.password]).toEqual(['ünïcode', 'pa:ss']);
  });

  it('never shows the password when printed or serialised', () => {
    const credentials = parseBasicAuthorization(header('user:hunter2'), 'svc');
    expect(JSON.stringify(credentials)).not.toContain('hunter2');
    expect(inspect(credentials)).not.toContain('hunter2');
    expect(Object.keys(credentials)).toEqual(['username']);
  });

  it('refuses with a 401 BackendError carrying the challenge', () => {
    let error: unknown;
    try {
      parseBasicAuthorization(['a', 'b'], 'svc');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).toDict()).toEqual({
      reason: 'Unauthorized',
      status_code: 401,
      error_content: 'More than one Authorization header was sent.',
    });
    expect((error as BackendError).headers).toEqual({ 'WWW-Authenticate': 'Basic realm="svc"' });
  });

  it('quotes the realm safely', () => {
    expect(basicChallenge('my "svc"\\\n')).toBe('Basic realm="my \\"svc\\"\\\\"');
  });
});
