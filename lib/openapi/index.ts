// The service's OpenAPI document (`ApiKitModule.forRoot({ openapi })`): @nestjs/swagger's view of the app's
// routes plus what the library answers and adds. Internal: the public barrel exports only the option's types.
export { openApiEndpointProvider, OPENAPI_ENDPOINT } from './openapi.providers.js';
export type { OpenApiEndpoint } from './openapi.endpoint.js';
