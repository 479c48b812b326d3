import { basicUsername } from './basic-username.reader.js';

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('basicUsername', () => {
  it('reads the username of Basic credentials, never the password', () => {
    expect(basicUsername(basic('octo:hunter2:more'))).toBe('octo');
    expect(basicUsername(`basic  ${Buffer.from('zoë:pw').toString('base64')}`)).toBe('zoë');
  });

  it.each([undefined, ['Basic x'], 'Bearer abc', basic('no-colon'), basic(':empty-user'), basic(`${'a'.repeat(257)}:pw`), 'Basic !!!'])(
    'gives nothing for %j',
    (header) => {
      expect(basicUsername(header)).toBeUndefined();
    },
  );
});
