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
