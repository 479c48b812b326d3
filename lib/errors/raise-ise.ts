import { BackendError } from './backend-error.js';

/**
 * Throws the `500 Internal Server Error` BackendError with `text` as its content:
 * apikit's `raise_ise`, for reflecting a failure further back as a failure of this service.
 * Given an Error, its message is the content (not its stack: that stays out of responses).
 */
export function raiseIse(textOrError: string | Error): never {
  const content = textOrError instanceof Error ? textOrError.message : textOrError;
  throw new BackendError('Internal Server Error', 500, content);
}
