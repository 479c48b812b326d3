// Prometheus metrics (`ApiKitModule.forRoot({ metrics })`): an observer of the backend session and the
// route Prometheus scrapes. Internal: the public barrel exports only the option's types.
export { metricsEndpointProvider, METRICS_ENDPOINT } from './metrics.providers.js';
export type { MetricsEndpoint } from './metrics.endpoint.js';
