import type { Middleware } from 'openapi-fetch';
import { BackendError } from '../errors/backend-error.js';
import { loadOptionalPeer } from '../options/optional-peer.loader.js';

/** A neighbour's OpenAPI 3.1 document, as its `/openapi.json` serves it (the file its client types were written from). */
export interface OpenApiDocument {
  openapi: string;
  paths?: Record<string, unknown>;
  components?: Record<string, unknown>;
}

/** What the validator needs of Ajv 2020 (JSON Schema 2020-12, OpenAPI 3.1's dialect); declared here so ajv stays optional. */
interface Ajv2020Like {
  addSchema(schema: object, key: string): unknown;
  getSchema(ref: string): ((data: unknown) => boolean) | undefined;
}
type Ajv2020Class = new (options: object) => Ajv2020Like;

const DOCUMENT_KEY = 'neighbour';
const SUCCESS = /^2\d\d$/;

/**
 * The `onResponse` middleware that checks each 2xx JSON answer against the response schema the
 * neighbour's document publishes for its operation (path template, method, status, or `2XX`, or
 * `default`). A body that does not match rejects with a 502 BackendError naming the operation, never
 * the body: a neighbour that changed its answers without its document fails loudly, not deep in our code.
 * Ajv (an optional peer) is loaded on the first answer, and each operation's schema compiled once.
 */
export function responseSchemaValidator(document: OpenApiDocument): Middleware {
  if (typeof document !== 'object' || document === null || !/^3\.1\./.test(String(document.openapi))) {
    throw new TypeError("createServiceClient: 'document' must be the neighbour's OpenAPI 3.1 document (its /openapi.json)");
  }
  let ajv: Promise<Ajv2020Like> | undefined;
  return {
    async onResponse({ schemaPath, request, response }) {
      if (!SUCCESS.test(String(response.status)) || !/\bjson\b/i.test(response.headers.get('content-type') ?? '')) return undefined;
      const operation = `${request.method} ${schemaPath}`;
      const pointer = responseSchemaPointer(document, schemaPath, request.method.toLowerCase(), response.status);
      if (pointer === undefined) return undefined; // the document says nothing of this answer's body
      ajv ??= loadAjv(document);
      const validate = (await ajv).getSchema(`${DOCUMENT_KEY}#${pointer}`);
      let body: unknown;
      try {
        body = await response.clone().json();
      } catch {
        throw mismatch(operation, 'is not JSON');
      }
      if (validate !== undefined && !validate(body)) throw mismatch(operation, 'does not match the schema its document publishes');
      return undefined;
    },
  };
}

/** The JSON pointer (URI-encoded, for Ajv's `$ref`) of the operation's response schema for `status`, if any. */
function responseSchemaPointer(document: OpenApiDocument, template: string, method: string, status: number): string | undefined {
  const responses = (document.paths?.[template] as Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }> | undefined)?.[method]?.responses;
  if (responses === undefined) return undefined;
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((candidate) => responses[candidate] !== undefined);
  if (key === undefined) return undefined;
  const mediaType = Object.keys(responses[key].content ?? {}).find((type) => /\bjson\b/i.test(type));
  if (mediaType === undefined || responses[key].content![mediaType].schema === undefined) return undefined;
  return ['', 'paths', template, method, 'responses', key, 'content', mediaType, 'schema']
    .map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1')))
    .join('/');
}

async function loadAjv(document: OpenApiDocument): Promise<Ajv2020Like> {
  const ajvModule = await loadOptionalPeer(
    () => import('ajv/dist/2020.js'),
    'ajv',
    "createServiceClient: validating answers against the neighbour's document",
    (advice) => new Error(advice),
  );
  const Ajv2020 = (ajvModule as unknown as { default: Ajv2020Class }).default;
  // Not strict: OpenAPI adds keywords (example, discriminator, xml) that are no JSON Schema's; formats are not checked.
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
  ajv.addSchema(document, DOCUMENT_KEY);
  return ajv;
}

function mismatch(operation: string, what: string): BackendError {
  return new BackendError('Bad Gateway', 502, `The neighbour's answer to ${operation} ${what}.`);
}
