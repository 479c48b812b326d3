import type { BackendCaller } from '../backend-auth/backend-caller.js';
import type { BackendResponse } from '../backend-auth/http/backend-response.js';
import { apikitErrorOf } from './apikit-error.reader.js';

// Statuses whose Response may not have a body (the fetch standard throws on one).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A `fetch` for openapi-fetch that sends each request through `caller`: as the caller (their
 * session, their login), with the request id carried on. Rejects with the neighbour's `BackendError`
 * when it answers an error in apikit's body.
 */
export function fetchThrough(caller: BackendCaller): (request: Request) => Promise<Response> {
  return async (request) => {
    const bytes = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    const answer = await caller.request(request.method, request.url, {
      headers: Object.fromEntries(request.headers),
      ...(bytes === undefined ? {} : { body: bytes }),
      signal: request.signal,
    });
    if (answer.status >= 400) {
      const error = apikitErrorOf(answer.status, answer.bytes);
      if (error !== undefined) throw error;
    }
    return asFetchResponse(answer);
  };
}

function asFetchResponse(answer: BackendResponse): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  const body = NULL_BODY_STATUSES.has(answer.status) ? null : new Uint8Array(answer.bytes);
  return new Response(body, { status: answer.status, headers });
}
