import type { AddressInfo } from 'node:net';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory, type AbstractHttpAdapter } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { BackendTarget } from './backend/backend-target.js';
import type { ServiceConfig } from './config/service-config.js';
import { demoInstructions } from './demo/demo-instructions.js';

/** A listening service. */
export interface RunningService {
  app: INestApplication;
  /** Base URL to reach it, e.g. `http://localhost:5000`. */
  url: string;
  isDemo: boolean;
}

/**
 * The technote's `server()`: builds the application from the configuration, listens, and says
 * where (in demo mode: exactly what to try). On SIGTERM/SIGINT it stops accepting connections,
 * lets in-flight requests finish, stops the demo backend and exits 0.
 */
export async function server(config: ServiceConfig, logger: LoggerService): Promise<RunningService> {
  const adapter = await createHttpAdapter(config.httpAdapter);
  // abortOnError off: a failing boot rejects (and is reported) instead of aborting the process.
  const app = await NestFactory.create(AppModule.register(config), adapter, { logger, abortOnError: false });
  // process.exit(0) once closed, rather than re-raising the signal (which would exit 143); ApiKitModule
  // closes kept-alive connections as their last responses finish, so the exit follows the last request.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://${displayHost(config.host)}:${port}`;
  const isDemo = app.get(BackendTarget).isDemo;
  logger.log({ event: 'uservice-mymicroservice listening', url, httpAdapter: config.httpAdapter, demo: isDemo }, 'Bootstrap');
  if (isDemo) process.stdout.write(demoInstructions(url, config.authType));
  return { app, url, isDemo };
}

/** The package and class of each HTTP platform. */
const PLATFORMS = {
  express: ['@nestjs/platform-express', 'ExpressAdapter'],
  fastify: ['@nestjs/platform-fastify', 'FastifyAdapter'],
} as const;

/**
 * The HTTP platform, imported only when chosen: a service depends on the one it uses, and switching
 * HTTP_ADAPTER to the other needs only that package installed. (A computed specifier, so that the
 * compiler does not require the platform that is not installed.)
 */
async function createHttpAdapter(name: ServiceConfig['httpAdapter']): Promise<AbstractHttpAdapter> {
  const [packageName, className] = PLATFORMS[name];
  let platform: Record<string, new () => AbstractHttpAdapter>;
  try {
    platform = (await import(packageName as string)) as typeof platform;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(`HTTP_ADAPTER=${name} needs ${packageName}: npm install ${packageName}`, { cause: error });
  }
  return new platform[className]();
}

/** What a person can paste: the wildcard addresses are reached as localhost. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
