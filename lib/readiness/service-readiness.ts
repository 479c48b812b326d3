import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { logEvent } from '../logging/index.js';
import { StoreHealth } from '../observability/index.js';
import { APIKIT_RESOLVED_OPTIONS } from '../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../options/apikit-options.interface.js';

/** What keeps the service from being ready, as the readiness route and `ApiKitHealthIndicator` name it. */
export type NotReadyReason = 'store_degraded' | 'shutting_down';

/**
 * Whether this replica should receive traffic: not while the Redis store is degraded (its sessions,
 * throttles and budgets are its own meanwhile), nor once shutdown has begun.
 *
 * Shutdown: Nest's `app.close()` runs `onModuleDestroy`, then `beforeApplicationShutdown` (where
 * `KeepAliveDrainer` starts), then closes the server, then `onApplicationShutdown` (where the Redis client,
 * the backend's connections and the timers close). Waiting `shutdownDelayMs` here, in the first of those
 * steps, keeps every route served (on new connections too) while the readiness route answers 503, so that
 * Kubernetes takes the pod out of its endpoints before the server stops accepting. No library provider
 * tears anything down in `onModuleDestroy`; Nest calls the hooks of the modules importing `ApiKitModule`
 * (the root first) before this one, so an application's own teardown belongs in the later hooks.
 */
@Injectable()
export class ServiceReadiness implements OnModuleDestroy {
  private readonly logger = new Logger('ApiKit');
  private readonly shutdownDelayMs: number;
  private shuttingDown = false;

  constructor(
    private readonly store: StoreHealth,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APIKIT_RESOLVED_OPTIONS) options: ResolvedApiKitOptions,
  ) {
    this.shutdownDelayMs = options.shutdownDelayMs;
  }

  /** Empty when ready; otherwise each reason, in this order: `store_degraded`, `shutting_down`. */
  get notReadyReasons(): NotReadyReason[] {
    const reasons: NotReadyReason[] = [];
    if (this.store.degraded) reasons.push('store_degraded');
    if (this.shuttingDown) reasons.push('shutting_down');
    return reasons;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.shuttingDown) return; // a second close (a signal after app.close()) does not wait again
    this.shuttingDown = true;
    // Without an HTTP server (an application context), there is no traffic to let go first.
    if (this.shutdownDelayMs === 0 || this.adapterHost.httpAdapter === undefined) return;
    logEvent(this.logger, 'log', 'shutdown.delaying', 'Shutting down: serving on for shutdownDelayMs, the readiness route answering 503, then draining', {
      durationMs: this.shutdownDelayMs,
    });
    await sleep(this.shutdownDelayMs);
  }
}
