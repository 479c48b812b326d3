import { type BeforeApplicationShutdown, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** How often, once shutdown has begun, connections that went idle are closed. */
const DRAIN_INTERVAL_MS = 50;

/**
 * Makes `app.close()` (a SIGTERM with shutdown hooks) end with the last in-flight request. Closing
 * the server closes the connections idle at that moment, but one whose response finishes later stays
 * open until its keep-alive time-out (Fastify's is 72 s), past a Kubernetes grace period. From the
 * start of shutdown until the server has closed, idle connections are closed every 50 ms: nothing
 * per request, a timer only while shutting down. Plain node `http.Server` API: Express and Fastify alike.
 */
@Injectable()
export class KeepAliveDrainer implements BeforeApplicationShutdown, OnApplicationShutdown {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  beforeApplicationShutdown(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as { closeIdleConnections?: () => void } | undefined;
    if (typeof server?.closeIdleConnections !== 'function') return; // not an HTTP application
    this.timer = setInterval(() => server.closeIdleConnections!(), DRAIN_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
