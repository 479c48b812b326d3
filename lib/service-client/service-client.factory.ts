import createClient, { type Client } from 'openapi-fetch';
import type { BackendCaller } from '../backend-auth/backend-caller.js';
import { fetchThrough } from './backend-caller.fetch.js';

/**
 * A typed client of a neighbouring service (klue's `ApiPool.<api>.client`), from the `paths` type that
 * `openapi-typescript` writes from its `/openapi.json`: `client.GET('/weather/{city}', { params: { path: { city } } })`
 * is checked by the compiler, and sent through `caller` (a `@CallerSession()` parameter or the
 * `BitlyProxySession`), so as the caller, with the request id carried on.
 *
 * Answers come back as openapi-fetch's `{ data, error, response }`; an error in apikit's body rejects
 * with the neighbour's `BackendError` instead (its status, reason and content), which the error filter
 * hands to our own caller as is. Bodies are typed, not validated: `data` is what the neighbour sent.
 */
export function createServiceClient<Paths extends object>(caller: BackendCaller, baseUrl: string): Client<Paths, `${string}/${string}`> {
  return createClient<Paths>({ baseUrl, fetch: fetchThrough(caller) });
}
