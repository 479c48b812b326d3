import { STATUS_CODES } from 'node:http';
import { BackendError } from './backend-error.js';
import { MAX_ERROR_CONTENT_BYTES, readResponseText } from './response-text.reader.js';

/**
 * Returns when `res.status < 400`; otherwise throws `BackendError(statusText, status, body)`:
 * apikit's `raise_from_response`, for a fetch `Response`. Async because the body is read
 * (at most `maxContentBytes` of it, see `readResponseText`).
 */
export async function raiseFromResponse(res: Response, maxContentBytes = MAX_ERROR_CONTENT_BYTES): Promise<void> {
  if (res.status < 400) return;
  const content = await readResponseText(res, maxContentBytes);
  throw new BackendError(responseReason(res), res.status, content);
}

/** HTTP/2 has no reason phrase (empty `statusText`): fall back to the standard one, as `requests` shows it. */
export function responseReason(res: Response): string {
  return res.statusText || STATUS_CODES[res.status] || '';
}
