import type { ResponseObject, SchemaObject } from '@nestjs/swagger';
import { AUTH_TYPES } from '../options/apikit-options.schema.js';

export const SERVICE_METADATA_SCHEMA_NAME = 'ServiceMetadata';
export const ERROR_BODY_SCHEMA_NAME = 'ApiKitErrorBody';

/** The metadata body: exactly apikit's six string keys. */
export const SERVICE_METADATA_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['name', 'version', 'repository', 'description', 'api_version', 'auth'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    version: { type: 'string' },
    repository: { type: 'string' },
    description: { type: 'string' },
    api_version: { type: 'string' },
    auth: { type: 'string', enum: [...AUTH_TYPES] },
  },
};

/** apikit's error body (`BackendError.toDict()`); `error_content` is `null` when the error has none. */
export const ERROR_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['reason', 'status_code', 'error_content'],
  properties: {
    reason: { type: 'string' },
    status_code: { type: 'integer' },
    // OpenAPI 3.1 is JSON Schema: a null is a type, not `nullable`.
    error_content: { type: ['string', 'null'] },
  },
};

export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** An error answer whose body is apikit's error body. */
export function errorResponse(description: string, headers?: ResponseObject['headers']): ResponseObject {
  return {
    description,
    ...(headers === undefined ? {} : { headers }),
    content: { 'application/json': { schema: schemaRef(ERROR_BODY_SCHEMA_NAME) } },
  };
}
