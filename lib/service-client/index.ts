// Typed clients of neighbouring services (`createServiceClient<paths>(caller, baseUrl)`), over openapi-fetch,
// every call sent through a BackendCaller.
export { createServiceClient, type ServiceClientOptions, type UnvalidatedPaths } from './service-client.factory.js';
export type { OpenApiDocument } from './response-schema.validator.js';
