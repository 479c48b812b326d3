import type { Duplex } from 'node:stream';
import { httpLayerError } from '../errors/http-layer-error.js';

/**
 * The status of each error node's parser raises before a request exists (`clientError`), as node's own
 * default answer chooses it; any other parse error (a garbage request line, an unknown method, a bad
 * header) is a 400.
 */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/** Raw HTTP/1.1 answers, built once: a client error has no response object, only its socket. */
const ANSWERS = new Map([400, 408, 413, 431].map((status) => [status, rawAnswer(status)]));

/**
 * A `clientError` listener that answers in apikit's body, with `Connection: close`, where node (a bare
 * `400 Bad Request`) and Fastify (`{"error":...,"message":"Client Error"}`) answer their own way. Like
 * node: nothing is written to a socket already reset or closed, nor over an answer already begun on it
 * (a pipelined request that broke while the one before it was answered); the socket is then destroyed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code !== 'ECONNRESET' && socket.writable && !answerBegunOn(socket)) {
    socket.write(ANSWERS.get(STATUS_OF_CODE[error.code ?? ''] ?? 400));
  }
  socket.destroy();
}

/** Node keeps the response in flight on its socket as `_httpMessage`, which its own default answer checks too. */
function answerBegunOn(socket: Duplex): boolean {
  return (socket as { _httpMessage?: { headersSent?: boolean } | null })._httpMessage?.headersSent === true;
}

function rawAnswer(status: number): Buffer {
  const error = httpLayerError(status);
  const body = Buffer.from(JSON.stringify(error.toDict()), 'utf8');
  const head = `HTTP/1.1 ${status} ${error.reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
