import type { INestApplication } from '@nestjs/common';
import type { AbstractHttpAdapter, ApplicationConfig, ModulesContainer } from '@nestjs/core';

/**
 * The parts of an application that `SwaggerModule.createDocument(app)` reads (its module container, its
 * config for the global prefix, its adapter type), from what a module can inject: ApiKitModule is
 * never handed the application object itself.
 */
export function swaggerAppView(modules: ModulesContainer, config: ApplicationConfig, adapter: AbstractHttpAdapter): INestApplication {
  const container = {
    getModules: () => modules,
    getModuleTokenFactory: () => {
      throw new Error('apikit openapi: deepScanRoutes is not supported');
    },
  };
  return { container, config, getHttpAdapter: () => adapter } as unknown as INestApplication;
}
