/**
 * The part of a prom-client `Registry` the library uses. Declared here, not imported from prom-client, so
 * that the library's types need no prom-client when metrics are off.
 */
export interface MetricsRegistry {
  readonly contentType: string;
  metrics(): Promise<string>;
  getSingleMetric(name: string): unknown;
  registerMetric(metric: never): void;
}

/** `ApiKitModule.forRoot({ metrics })` as an object; `metrics: true` is `{}`. */
export interface MetricsOptions {
  /** Where Prometheus scrapes, answered ahead of any controller and outside the route prefixes. Default `/metrics`. */
  path?: string;
  /**
   * The app's prom-client `Registry`, to serve its own metrics beside the library's. Default: a new
   * registry for this app, with prom-client's default process metrics.
   */
  registry?: MetricsRegistry;
  /** Prefix of the library's metric names. Default `apikit_`. */
  prefix?: string;
}

/** `metrics` after validation; `undefined` when metrics are off. */
export interface ResolvedMetricsOptions {
  path: string;
  prefix: string;
  /** `undefined`: the library makes a registry of its own. */
  registry: MetricsRegistry | undefined;
}
