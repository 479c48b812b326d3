import { BackendError, type BackendErrorBody } from '../errors/backend-error.js';

/**
 * A neighbour's error answer in apikit's body (`{ reason, status_code, error_content }`) as the
 * `BackendError` it was, with the neighbour's status: thrown, it reaches our own caller in the same
 * shape. `undefined` for any other body, which the client then returns as the call's `error`.
 */
export function apikitErrorOf(status: number, body: Uint8Array): BackendError | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isApiKitErrorBody(parsed)) return undefined;
  return new BackendError(parsed.reason, status, parsed.error_content);
}

function isApiKitErrorBody(value: unknown): value is BackendErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return (
    typeof body.reason === 'string' &&
    Number.isInteger(body.status_code) &&
    (typeof body.error_content === 'string' || body.error_content === null)
  );
}
