import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { SampleConfig } from '../config/sample-config.js';
import { startDemoBackend } from '../demo/demo-backend.js';
import { BackendTarget } from './backend-target.js';

/** Provides the `BackendTarget`: the real backend, or (no `BACKEND_URL`) the in-process demo. */
@Module({})
export class BackendModule {
  static register(config: SampleConfig): DynamicModule {
    return {
      module: BackendModule,
      providers: [{ provide: BackendTarget, useFactory: () => resolveBackendTarget(config) }],
      exports: [BackendTarget],
    };
  }
}

async function resolveBackendTarget(config: SampleConfig): Promise<BackendTarget> {
  if (config.backendUrl !== undefined) return new BackendTarget(config.backendUrl, config.proxyStartUrl, config.githubUrl);
  const logger = new Logger('DemoBackend');
  const stack = await startDemoBackend({
    delayMs: config.demoBackendDelayMs,
    onRequest: ({ user, job, metric }) => logger.debug(`demo backend request user=${user} job=${job} metric=${metric}`),
  });
  logger.log(`demo mode: simulated oauth2-proxy at ${stack.proxyUrl}, GitHub at ${stack.githubUrl}`);
  return new BackendTarget(stack.proxyUrl, stack.startUrl, stack.githubUrl, stack);
}
