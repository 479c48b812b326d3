import type { Provider } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { LoginGate } from '../backend-auth/gate/login-gate.js';
import { ProxySessionPool } from '../backend-auth/pool/proxy-session.pool.js';
import { ApiKitObservers, StoreHealth } from '../observability/index.js';
import { APIKIT_RESOLVED_OPTIONS } from '../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../options/apikit-options.interface.js';
import { ApiKitMetrics } from './apikit-metrics.observer.js';
import { MetricsEndpoint } from './metrics.endpoint.js';
import { loadPromClient, type PromClient } from './prom-client.loader.js';

/** Injection token of the app's `MetricsEndpoint`, `null` when `metrics` is off. */
export const METRICS_ENDPOINT = Symbol('METRICS_ENDPOINT');

/**
 * With `metrics` on: prom-client loaded (an ApiKitOptionsError at boot when it is not installed), the
 * library's metrics registered and fed by the backend session. Off: nothing imported, no observer.
 */
export const metricsEndpointProvider: Provider = {
  provide: METRICS_ENDPOINT,
  useFactory: startMetrics,
  inject: [APIKIT_RESOLVED_OPTIONS, ApiKitObservers, ProxySessionPool, LoginGate, StoreHealth],
};

async function startMetrics(
  options: ResolvedApiKitOptions,
  observers: ApiKitObservers,
  pool: ProxySessionPool,
  gate: LoginGate,
  store: StoreHealth,
): Promise<MetricsEndpoint | null> {
  const { metrics } = options;
  if (metrics === undefined) return null;
  const prom = await loadPromClient();
  const registry = (metrics.registry as Registry | undefined) ?? ownRegistry(prom);
  observers.add(
    new ApiKitMetrics(prom, registry, metrics.prefix, {
      sessions: () => pool.size,
      loginsWaiting: () => gate.waitingForBudget,
      storeDegraded: () => store.degraded,
    }),
  );
  return new MetricsEndpoint(metrics.path, registry);
}

/**
 * A registry of this app's own, with prom-client's process metrics: not prom-client's global `register`,
 * where a second app in the process (tests on both adapters) would register the same names again.
 */
function ownRegistry(prom: PromClient): Registry {
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({ register: registry });
  return registry;
}
