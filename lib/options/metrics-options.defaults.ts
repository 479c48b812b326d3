import type { MetricsOptions, ResolvedMetricsOptions } from './metrics-options.interface.js';

const DEFAULT_METRICS: ResolvedMetricsOptions = { path: '/metrics', prefix: 'apikit_', registry: undefined };

/** A validated `metrics` with its defaults; `undefined` when off. */
export function withMetricsDefaults(metrics: boolean | MetricsOptions | undefined): ResolvedMetricsOptions | undefined {
  if (metrics === undefined || metrics === false) return undefined;
  if (metrics === true) return DEFAULT_METRICS;
  return { path: metrics.path ?? DEFAULT_METRICS.path, prefix: metrics.prefix ?? DEFAULT_METRICS.prefix, registry: metrics.registry };
}
