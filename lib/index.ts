// Core module: options, metadata routes, health check
export { ApiKitModule } from './apikit.module.js';
export {
  APIKIT_MODULE_OPTIONS,
  type ApiKitForRootAsyncOptions,
  type ApiKitForRootOptions,
  type ApiKitModuleExtras,
  type ApiKitOptionsFactory,
} from './apikit.module-definition.js';
export { APIKIT_RESOLVED_OPTIONS, DEFAULT_API_VERSION } from './apikit.constants.js';
export type {
  ApiKitModuleOptions,
  AuthOption,
  AuthOptionObject,
  AuthType,
  BitlyProxyAuthData,
  ResolvedApiKitOptions,
  ServiceMetadata,
} from './options/apikit-options.interface.js';
export { ApiKitOptionsError } from './options/apikit-options.error.js';
export { resolveApiKitOptions } from './options/apikit-options.resolver.js';
export { MetadataRoutes } from './metadata/metadata-routes.service.js';
export { HEALTH_CHECK_PATH } from './health/health-check.response.js';

// Backend authentication: BitlyProxySession, @UseBackendAuth(), auth strategies
export { BitlyProxySession } from './backend-auth/bitly-proxy.session.js';
export { BackendCaller } from './backend-auth/backend-caller.js';
export { BackendResponse, type ResponseHeaders } from './backend-auth/http/backend-response.js';
export type {
  BackendBody,
  BackendBodyCallOptions,
  BackendCallOptions,
  QueryValue,
} from './backend-auth/backend-call-options.interface.js';
export { UseBackendAuth } from './backend-auth/use-backend-auth.decorator.js';
export { BackendAuthInterceptor } from './backend-auth/backend-auth.interceptor.js';
export type { BackendSessionOptions } from './backend-auth/backend-session-options.interface.js';
export {
  DEFAULT_BACKEND_SESSION_OPTIONS,
  type ResolvedBackendSessionOptions,
} from './backend-auth/backend-session-options.resolver.js';
export type { BackendAuthStrategy } from './backend-auth/strategies/backend-auth-strategy.interface.js';
export { BACKEND_AUTH_STRATEGY_TYPES } from './backend-auth/strategies/backend-auth-strategy.registry.js';
export type { BackendAuthConfig } from './backend-auth/backend-auth-config.interface.js';
export type { CallerContext } from './backend-auth/context/caller-context.storage.js';
export type { HttpHop } from './backend-auth/http/backend-http.client.js';
export type { CallDeadline } from './backend-auth/http/call-deadline.js';
export { BackendCredentials } from './backend-auth/context/backend-credentials.js';
export {
  BACKEND_AUTH_CONFIG,
  BACKEND_AUTH_LOGGER_CONTEXT,
  BACKEND_AUTH_STRATEGY,
  USE_BACKEND_AUTH_METADATA,
} from './backend-auth/backend-auth.constants.js';

// Errors, helpers and logging: BackendError and its filter, raiseIse/raiseFromResponse, retryRequest, ApiKitLogger
export { BackendError, type BackendErrorBody } from './errors/backend-error.js';
export { BackendErrorFilter } from './errors/backend-error.filter.js';
export { raiseIse } from './errors/raise-ise.js';
export { raiseFromResponse } from './errors/raise-from-response.js';
export { MAX_ERROR_CONTENT_BYTES } from './errors/response-text.reader.js';
export { retryRequest } from './retry/retry-request.js';
export type { RetryAttempt, RetryMethod, RetryQueryValue, RetryRequestOptions } from './retry/retry-request.interface.js';
export { ApiKitLogger } from './logging/apikit-logger.service.js';
export type { ApiKitLoggerOptions, LogDestination } from './logging/apikit-logger.interface.js';
export { type ApiKitLogLevel, type LogConfig, type LogEnvironment, LOG_LEVELS, logConfigFromEnv } from './logging/log-level.config.js';
export { REDACTED } from './logging/log-redaction.formatter.js';
