// Readiness (`ApiKitModule.forRoot({ readiness, shutdownDelayMs })`): whether this replica should get
// traffic, as a route the request hooks answer and as a `@nestjs/terminus` indicator, and the delay that
// keeps serving at the start of shutdown. The public barrel exports `ApiKitHealthIndicator` alone.
export { ApiKitHealthIndicator, type ApiKitHealthIndicatorResult } from './apikit-health.indicator.js';
export { readinessProviders, READINESS_ENDPOINT } from './readiness.providers.js';
export type { ReadinessEndpoint } from './readiness.endpoint.js';
export type { NotReadyReason } from './service-readiness.js';
