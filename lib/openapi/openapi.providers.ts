import type { Provider } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { APIKIT_RESOLVED_OPTIONS } from '../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../options/apikit-options.interface.js';
import { callerOperationIds } from './guarded-handlers.finder.js';
import { createOpenApiDocument } from './openapi-document.factory.js';
import { OpenApiEndpoint } from './openapi.endpoint.js';
import { swaggerAppView } from './swagger-app.view.js';
import { swaggerUiResponses } from './swagger-ui.assets.js';
import { loadSwagger } from './swagger.loader.js';

/** Injection token of the app's `OpenApiEndpoint`, `null` when `openapi` is off (or not an HTTP app). */
export const OPENAPI_ENDPOINT = Symbol('OPENAPI_ENDPOINT');

/**
 * With `openapi` on: @nestjs/swagger loaded (an ApiKitOptionsError at boot when it is not installed) and
 * the UI files read. Off: nothing imported.
 */
export const openApiEndpointProvider: Provider = {
  provide: OPENAPI_ENDPOINT,
  useFactory: startOpenApi,
  inject: [APIKIT_RESOLVED_OPTIONS, ModulesContainer, ApplicationConfig, HttpAdapterHost],
};

async function startOpenApi(
  options: ResolvedApiKitOptions,
  modules: ModulesContainer,
  config: ApplicationConfig,
  adapterHost: HttpAdapterHost,
): Promise<OpenApiEndpoint | null> {
  const { openapi } = options;
  if (openapi === undefined) return null;
  const swagger = await loadSwagger();
  const uiFiles = openapi.ui === undefined ? new Map() : await swaggerUiResponses(openapi.ui, openapi.path, `${options.metadata.name} API`);
  return new OpenApiEndpoint(
    openapi.path,
    (routes) =>
      createOpenApiDocument({
        swagger,
        app: swaggerAppView(modules, config, adapterHost.httpAdapter),
        options,
        routes,
        callerOperations: callerOperationIds(modules),
      }),
    uiFiles,
  );
}
