import { Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { BackendError } from '../../errors/backend-error.js';
import { logEvent } from '../../logging/index.js';
import { BACKEND_AUTH_LOGGER_CONTEXT } from '../backend-auth.constants.js';

const logger = new Logger(BACKEND_AUTH_LOGGER_CONTEXT);

/**
 * A failure of the proxy, GitHub or the backend, as the caller sees it: a plain reason and the request
 * id. The details (internal origins, paths, ports) go to the log under that request id only: an
 * error body must not map the service's private network for whoever calls it.
 */
export function upstreamFailure(status: 502 | 503 | 504, publicText: string, detail: string, requestId: string | undefined): BackendError {
  const id = requestId ?? 'none';
  logEvent(logger, 'warn', 'upstream.failed', 'The proxy, GitHub or the backend failed the call', { requestId, status, answer: publicText, detail });
  return new BackendError(STATUS_CODES[status] ?? 'Bad Gateway', status, `${publicText} (request ${id})`);
}

/** Socket-level codes of a peer that hung up on a request it had begun to read. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** A 502 for a peer that could not be reached or hung up, keeping the socket error's code for the caller's decisions. */
export class UpstreamConnectionError extends BackendError {
  constructor(
    readonly code: string,
    error: BackendError,
  ) {
    super(error.reason, error.statusCode, error.content);
  }

  /** The peer closed the connection on our request (it may have refused our headers), rather than never accepting it. */
  get isReset(): boolean {
    return RESET_CODES.has(this.code);
  }
}
