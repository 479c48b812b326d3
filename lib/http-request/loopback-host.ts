import { isIP } from 'node:net';

/** Whether `url` points at this machine's loopback interface (localhost, 127.0.0.0/8, ::1): the one place plain http may carry a secret. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  // An IPv4-mapped IPv6 address, which the URL parser writes in hex: [::ffff:127.0.0.1] is [::ffff:7f00:1].
  const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(host);
  if (mapped) return parseInt(mapped[1], 16) >> 8 === 127;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** https, or http to loopback: where a password may travel. */
export function isSecureTransport(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url));
}
