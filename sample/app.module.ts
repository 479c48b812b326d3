import { Module, type DynamicModule } from '@nestjs/common';
import { ApiKitModule } from 'nestjs-apikit';
import { createApiKitOptions } from './apikit-options.factory.js';
import { BackendModule } from './backend/backend.module.js';
import { BackendTarget } from './backend/backend-target.js';
import type { ServiceConfig } from './config/service-config.js';
import { MetricController } from './metric/metric.controller.js';

/** The technote's `uservice-mymicroservice`: apikit metadata + health, and the metric route. */
@Module({})
export class AppModule {
  static register(config: ServiceConfig): DynamicModule {
    // One module object, imported twice: Nest then builds one BackendTarget (one demo stack).
    const backend = BackendModule.register(config);
    return {
      module: AppModule,
      imports: [
        backend,
        // Async: the auth endpoint is known only once the backend target (maybe the demo) exists.
        ApiKitModule.forRootAsync({
          imports: [backend],
          inject: [BackendTarget],
          useFactory: (target: BackendTarget) => createApiKitOptions(config, target),
        }),
      ],
      controllers: [MetricController],
    };
  }
}
