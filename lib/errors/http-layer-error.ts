import { STATUS_CODES } from 'node:http';
import { BackendError } from './backend-error.js';

/**
 * Under `errorBody: 'apikit'`, what the body says of an error the HTTP layer raised (node's parser, the
 * router, a body reader): a fixed text per status, never the layer's own message, which quotes the
 * request (`'/%zz' is not a valid url component`, `Unexpected token 'a', "abc" is not valid JSON`,
 * `Unsupported Media Type: <the header>`).
 */
const HTTP_LAYER_TEXTS: Readonly<Partial<Record<number, string>>> = {
  400: 'The request is malformed: its request line, URL, headers or body could not be read.',
  408: 'The request was not received in time.',
  413: 'The request is larger than this service accepts.',
  414: 'The request URL is longer than this service accepts.',
  415: "The request body's media type is not one this service reads.",
  431: "The request's header fields are larger than this service accepts.",
};

/** apikit's error for a status the HTTP layer answered, with the fixed text (the reason phrase for others). */
export function httpLayerError(status: number): BackendError {
  const reason = STATUS_CODES[status] ?? 'Error';
  return new BackendError(reason, status, HTTP_LAYER_TEXTS[status] ?? `${reason}.`);
}

/** A method as node's parser lets it through (its fixed list): safe to name; anything else is not named. */
const PARSED_METHOD = /^[A-Z][A-Z-]{0,15}$/;

/** The 404 of no route. Nest's own says `Cannot GET /the/path`, quoting the caller's path; this one does not. */
export function noRouteError(method: string): BackendError {
  return new BackendError('Not Found', 404, `No route answers ${PARSED_METHOD.test(method) ? method : 'this method'} at this path.`);
}
