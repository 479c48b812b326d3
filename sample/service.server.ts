import type { AddressInfo } from 'node:net';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { BackendTarget } from './backend/backend-target.js';
import type { SampleConfig } from './config/sample-config.js';
import { demoInstructions } from './demo/demo-instructions.js';

/** A listening sample service. */
export interface RunningSample {
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
export async function server(config: SampleConfig, logger: LoggerService): Promise<RunningSample> {
  const adapter = config.httpAdapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
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
  if (isDemo) process.stdout.write(demoInstructions(url));
  return { app, url, isDemo };
}

/** What a person can paste: the wildcard addresses are reached as localhost. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
