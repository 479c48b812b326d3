import createClient, { type Client } from 'openapi-fetch';
import type { BackendCaller } from '../backend-auth/backend-caller.js';
import { fetchThrough } from './backend-caller.fetch.js';
import { type OpenApiDocument, responseSchemaValidator } from './response-schema.validator.js';

/** What a neighbour's answers are typed as when its document is not given: its JSON bodies `unknown`, to be checked by the caller. */
export type UnvalidatedPaths<Paths> = { [Path in keyof Paths]: { [Method in keyof Paths[Path]]: WithUnknownBodies<Paths[Path][Method]> } };
type WithUnknownBodies<Operation> = Operation extends { responses: infer Responses }
  ? Omit<Operation, 'responses'> & { responses: { [Status in keyof Responses]: WithUnknownContent<Responses[Status]> } }
  : Operation;
type WithUnknownContent<Response> = Response extends { content: infer Content } ? Omit<Response, 'content'> & { content: { [Type in keyof Content]: unknown } } : Response;

export interface ServiceClientOptions {
  /**
   * The neighbour's OpenAPI 3.1 document (the `/openapi.json` its `paths` type was written from): every 2xx
   * JSON answer is validated against it (needs the optional peer ajv), so `data` is what the type says.
   */
  document: OpenApiDocument;
}

/**
 * A typed client of a neighbouring service (klue's `ApiPool.<api>.client`), from the `paths` type that
 * `openapi-typescript` writes from its `/openapi.json`: `client.GET('/weather/{city}', { params: { path: { city } } })`
 * is checked by the compiler, and sent through `caller` (a `@CallerSession()` parameter or the
 * `BitlyProxySession`), so as the caller, with the request id carried on.
 *
 * Answers come back as openapi-fetch's `{ data, error, response }`; an error in apikit's body rejects
 * with the neighbour's `BackendError` instead (its status, reason and content), which the error filter
 * hands to our own caller as is. A body is never trusted silently: with `{ document }` every 2xx JSON
 * answer is validated against the neighbour's schema (a mismatch rejects with a 502 BackendError) and
 * typed by it; without, its type is `unknown`.
 */
export function createServiceClient<Paths extends object>(caller: BackendCaller, baseUrl: string, options: ServiceClientOptions): Client<Paths, `${string}/${string}`>;
export function createServiceClient<Paths extends object>(caller: BackendCaller, baseUrl: string): Client<UnvalidatedPaths<Paths>, `${string}/${string}`>;
export function createServiceClient<Paths extends object>(caller: BackendCaller, baseUrl: string, options?: ServiceClientOptions): Client<Paths, `${string}/${string}`> {
  const client = createClient<Paths>({ baseUrl, fetch: fetchThrough(caller) });
  if (options !== undefined) client.use(responseSchemaValidator(options.document));
  return client;
}
