// Starts a Nest application on the adapter named by HTTP_ADAPTER (express | fastify), on the
// loopback port PORT (default: an ephemeral one), and tells the parent which one.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { announceError, announceReady } from './parent.channel.js';

export function httpAdapterFromEnv() {
  const name = process.env.HTTP_ADAPTER ?? 'express';
  if (name === 'fastify') return new FastifyAdapter();
  if (name === 'express') return undefined; // Nest's default platform
  throw new Error(`HTTP_ADAPTER must be 'express' or 'fastify', got '${name}'`);
}

export async function listenNestApp(rootModule) {
  try {
    const adapter = httpAdapterFromEnv();
    const app = adapter
      ? await NestFactory.create(rootModule, adapter, { logger: false })
      : await NestFactory.create(rootModule, { logger: false });
    // A SIGTERM closes the app and exits 0, so that `node --cpu-prof` (bench/profile.js) writes its profile.
    app.enableShutdownHooks(['SIGTERM'], { useProcessExit: true });
    await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
    announceReady({ port: app.getHttpServer().address().port });
    return app;
  } catch (err) {
    announceError(err);
    process.exit(1);
  }
}
