import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APIKIT_RESOLVED_OPTIONS } from './apikit.constants.js';
import { APIKIT_MODULE_OPTIONS, ApiKitConfigurableModule } from './apikit.module-definition.js';
import { backendAuthExports, backendAuthProviders } from './backend-auth/backend-auth.providers.js';
import { ApiKitRoutesMiddleware } from './metadata/apikit-routes.middleware.js';
import { MetadataRoutes } from './metadata/metadata-routes.service.js';
import { resolveApiKitOptions } from './options/apikit-options.resolver.js';

/**
 * apikit for NestJS: service metadata routes, the `GET /` health check, the global `BackendError`
 * filter and the backend session. `ApiKitModule.forRoot({...})` or `forRootAsync({ useFactory, inject })`.
 *
 * Paths are absolute: `app.setGlobalPrefix(G)` does not move them, but Nest mounts module middleware
 * under G, so with a global prefix the routes answer only for requests under G. Put G into `route`
 * (`route: G` serves `/G/metadata`) and, to keep the health check, exclude the root from the prefix:
 * `app.setGlobalPrefix(G, { exclude: [{ path: '/', method: RequestMethod.GET }] })`.
 */
@Module({
  providers: [
    { provide: APIKIT_RESOLVED_OPTIONS, useFactory: resolveApiKitOptions, inject: [APIKIT_MODULE_OPTIONS] },
    MetadataRoutes,
    ...backendAuthProviders,
  ],
  exports: [APIKIT_RESOLVED_OPTIONS, MetadataRoutes, ...backendAuthExports],
})
export class ApiKitModule extends ApiKitConfigurableModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ApiKitRoutesMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
