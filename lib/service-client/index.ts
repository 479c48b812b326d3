// Typed clients of neighbouring services (`createServiceClient<paths>(caller, baseUrl)`), over openapi-fetch,
// every call sent through a BackendCaller.
export { createServiceClient } from './service-client.factory.js';
