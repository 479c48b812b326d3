import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Bounded and log-safe: no spaces, quotes or control characters a log line could be forged with. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The inbound `X-Request-Id` when it is sane, else a fresh UUID. */
export function resolveRequestId(inbound: unknown): string {
  return typeof inbound === 'string' && SANE_REQUEST_ID.test(inbound) ? inbound : randomUUID();
}
