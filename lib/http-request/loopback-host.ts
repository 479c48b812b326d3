import { isIP } from 'node:net';

/** Whether `url` points at this machine's loopback interface (localhost, 127.0.0.0/8, ::1): the one place plain http may carry a secret. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** https, or http to loopback: where a password may travel. */
export function isSecureTransport(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url));
}
