import { Inject, Module, type NestModule, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APIKIT_MODULE_OPTIONS, ApiKitConfigurableModule } from './apikit.module-definition.js';
import { BitlyProxySession } from './backend-auth/bitly-proxy.session.js';
import { backendAuthProviders } from './backend-auth/backend-auth.providers.js';
import { ApiKitBootReport } from './boot-report/index.js';
import { installHttpLayerErrorBodies } from './http-layer-errors/index.js';
import { DebugLines, installAccessLog } from './logging/index.js';
import { metricsEndpointProvider } from './metrics/index.js';
import { OPENAPI_ENDPOINT, openApiEndpointProvider, type OpenApiEndpoint } from './openapi/index.js';
import { ApiKitHealthIndicator, readinessProviders } from './readiness/index.js';
import { APIKIT_RESOLVED_OPTIONS } from './options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from './options/apikit-options.interface.js';
import { resolveApiKitOptions } from './options/apikit-options.resolver.js';
import { installRequestHooks } from './apikit-request.hooks.js';
import { ApiKitRoutesResponder } from './routes/apikit-routes.responder.js';
import { HEALTH_CHECK_PATH } from './routes/health-check.response.js';
import { metadataPathsOf } from './routes/metadata-paths.js';
import { MetadataRoutes } from './routes/metadata-routes.service.js';
import { KeepAliveDrainer } from './shutdown/keep-alive.drainer.js';
import { tracingProvider } from './tracing/index.js';

/**
 * apikit for NestJS: service metadata routes, the `GET /` health check, the global `BackendError`
 * filter, the backend session, with `metrics` the Prometheus route, with `readiness` the readiness route and with `openapi` the service's OpenAPI document. `ApiKitModule.forRoot({...})` or `forRootAsync({ useFactory, inject })`.
 */
@Module({
  providers: [
    { provide: APIKIT_RESOLVED_OPTIONS, useFactory: resolveApiKitOptions, inject: [APIKIT_MODULE_OPTIONS] },
    MetadataRoutes,
    ApiKitRoutesResponder,
    KeepAliveDrainer,
    ...backendAuthProviders,
    metricsEndpointProvider,
    openApiEndpointProvider,
    tracingProvider,
    ...readinessProviders,
    DebugLines,
    ApiKitBootReport,
  ],
  // Providers read the resolved options only; the raw ones (APIKIT_MODULE_OPTIONS) feed the resolver alone.
  exports: [BitlyProxySession, MetadataRoutes, ApiKitHealthIndicator],
})
export class ApiKitModule extends ApiKitConfigurableModule implements NestModule, OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly responder: ApiKitRoutesResponder,
    private readonly session: BitlyProxySession,
    private readonly metadataRoutes: MetadataRoutes,
    @Inject(APIKIT_RESOLVED_OPTIONS) private readonly options: ResolvedApiKitOptions,
    @Inject(OPENAPI_ENDPOINT) private readonly openapi: OpenApiEndpoint | null,
  ) {
    super();
  }

  /**
   * Installs the request hooks (`installRequestHooks`) when Nest registers module middleware: after the
   * user's own `app.use(...)` and before any controller route, whatever the import order. Through the
   * adapter rather than `consumer.forRoutes()`, because Nest mounts the latter under
   * `app.setGlobalPrefix()`: the paths here are absolute (exactly `route` + `/metadata`), the global
   * prefix does not move them (put it into `route` to serve `/api/metadata`), and the health check
   * stays at `GET /`, where the ingress probes it. Under `errorBody: 'apikit'`, the HTTP layer's own
   * error answers too (`installHttpLayerErrorBodies`).
   */
  configure(): void {
    const httpAdapter = this.adapterHost.httpAdapter as typeof this.adapterHost.httpAdapter | undefined;
    if (httpAdapter === undefined) return; // not an HTTP application: nothing to serve
    // First, so that the access log sees the requests the routes' hooks answer.
    if (this.options.accessLog) installAccessLog(httpAdapter);
    installRequestHooks(httpAdapter, this.responder, this.session);
    if (this.options.errorBody === 'apikit') installHttpLayerErrorBodies(httpAdapter);
  }

  /** Builds the OpenAPI document, when on: every controller and metadata prefix is known by now. */
  onApplicationBootstrap(): void {
    if (this.openapi === null || (this.adapterHost.httpAdapter as unknown) === undefined) return;
    const { metadata, healthCheck } = this.options;
    this.openapi.publish({
      metadataPaths: this.metadataRoutes.routePrefixes.flatMap((prefix) => metadataPathsOf(prefix, metadata.api_version)),
      healthCheckPath: healthCheck ? HEALTH_CHECK_PATH : undefined,
    });
  }
}
