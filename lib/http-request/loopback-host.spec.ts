import { isLoopbackUrl, isSecureTransport } from './loopback-host.js';

describe('isLoopbackUrl / isSecureTransport', () => {
  it.each(['http://localhost:1/', 'http://127.0.0.1/', 'http://127.9.8.7:80/', 'http://[::1]:5/', 'http://[::ffff:127.0.0.1]:5/'])('%s is loopback', (url) => {
    expect(isLoopbackUrl(new URL(url))).toBe(true);
    expect(isSecureTransport(new URL(url))).toBe(true);
  });

  it.each(['http://10.0.0.1/', 'http://localhost.evil.test/', 'http://127.0.0.1.nip.io/', 'http://[::2]/', 'http://[::ffff:10.0.0.1]/', 'http://github.com/'])(
    '%s is neither loopback nor secure',
    (url) => {
      expect(isLoopbackUrl(new URL(url))).toBe(false);
      expect(isSecureTransport(new URL(url))).toBe(false);
    },
  );

  it('takes any https URL as secure', () => {
    expect(isSecureTransport(new URL('https://ghe.example.org/'))).toBe(true);
  });
});
