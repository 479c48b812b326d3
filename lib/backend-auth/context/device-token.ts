import { BackendError } from '../../errors/backend-error.js';

/**
 * The header of a caller's device token: what a browser's device cookie is to GitHub. Given in the answer
 * of a login that needed a code, sent back by the caller with later requests.
 */
export const DEVICE_HEADER = 'X-ApiKit-Device';

const DEVICE_TOKEN = /^[A-Za-z0-9_-]{22,64}$/;

/** The caller's `X-ApiKit-Device` header: absent, or one well-formed token (never echoed), else a 400. */
export function parseDeviceToken(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !DEVICE_TOKEN.test(header.trim())) {
    throw new BackendError('Bad Request', 400, `Malformed ${DEVICE_HEADER} header: send the token a login gave, as it was given.`);
  }
  return header.trim();
}
