import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { ServiceConfig } from '../config/service-config.js';
import { startDemoBackend } from '../demo/demo-backend.js';
import { BackendTarget } from './backend-target.js';

/** Provides the `BackendTarget`: the real backend, or (no `BACKEND_URL`) the in-process demo. */
@Module({})
export class BackendModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: BackendModule,
      providers: [{ provide: BackendTarget, useFactory: () => resolveBackendTarget(config) }],
      exports: [BackendTarget],
    };
  }
}

async function resolveBackendTarget(config: ServiceConfig): Promise<BackendTarget> {
  if (config.backendUrl !== undefined) return new BackendTarget(config.backendUrl, config.proxyStartUrl, config.githubUrl);
  const logger = new Logger('DemoBackend');
  const demo = await startDemoBackend(config.authType, {
    delayMs: config.demoBackendDelayMs,
    onRequest: ({ user, job, metric }) => logger.debug(`demo backend request user=${user} job=${job} metric=${metric}`),
  });
  logger.log(`demo mode: ${demo.describe}`);
  return new BackendTarget(demo.url, demo.startUrl, demo.githubUrl, demo);
}
