// The public API of nestjs-apikit: exactly what README.md's API section documents (pinned by test/public-api.spec.ts).

// Core module: options, metadata routes, health check, readiness
export { ApiKitModule } from './apikit.module.js';
export type { ApiKitOptionsFactory } from './apikit.module-definition.js';
export type { ApiKitModuleOptions, AuthOption, AuthType, ErrorBodyStyle, ServiceMetadata } from './options/apikit-options.interface.js';
export type { BackendSessionOptions } from './options/backend-options.interface.js';
export type { MetricsOptions } from './options/metrics-options.interface.js';
export type { OpenApiOptions } from './options/openapi-options.interface.js';
export { ApiKitOptionsError } from './options/apikit-options.error.js';
export { MetadataRoutes } from './routes/metadata-routes.service.js';
export { RequestId } from './http-request/request-id.decorator.js';
export { ApiKitHealthIndicator } from './readiness/index.js';

// Backend authentication: BitlyProxySession, @UseBackendAuth() and @CallerSession()
export { BitlyProxySession } from './backend-auth/bitly-proxy.session.js';
export { UseBackendAuth } from './backend-auth/use-backend-auth.decorator.js';
export { CallerSession } from './backend-auth/caller-session.decorator.js';
export type { BackendCaller } from './backend-auth/backend-caller.js';
export type { BackendBody, BackendBodyCallOptions, BackendCallOptions } from './backend-auth/backend-call-options.interface.js';
export type { QueryValue } from './http-request/query-params.appender.js';
export { BackendResponse, type ResponseHeaders } from './backend-auth/http/backend-response.js';

// Typed clients of neighbouring services (openapi-typescript's `paths`), called as the caller
export { createServiceClient, type OpenApiDocument, type ServiceClientOptions, type UnvalidatedPaths } from './service-client/index.js';

// Errors and helpers: BackendError and its filters, raiseIse/raiseFromResponse, retryRequest
export { BackendError, type BackendErrorBody } from './errors/backend-error.js';
export { BackendErrorFilter } from './errors/backend-error.filter.js';
export { ApiKitErrorBodyFilter } from './errors/apikit-error-body.filter.js';
export { raiseIse } from './errors/raise-ise.js';
export { raiseFromResponse } from './errors/raise-from-response.js';
export { retryRequest } from './retry/retry-request.js';
export type { RetryAttempt, RetryMethod, RetryRequestOptions } from './retry/retry-request.interface.js';

// Logging
export { ApiKitLogger } from './logging/index.js';
export type { ApiKitLoggerOptions, LogDestination } from './logging/index.js';
