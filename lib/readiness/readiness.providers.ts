import type { Provider } from '@nestjs/common';
import { APIKIT_RESOLVED_OPTIONS } from '../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../options/apikit-options.interface.js';
import { ApiKitHealthIndicator } from './apikit-health.indicator.js';
import { ReadinessEndpoint } from './readiness.endpoint.js';
import { ServiceReadiness } from './service-readiness.js';

/** Injection token of the readiness route, `null` when `readiness` is off. */
export const READINESS_ENDPOINT = Symbol('READINESS_ENDPOINT');

/** The readiness state (and the shutdown delay) always; the route only with `readiness`; the indicator for terminus users. */
export const readinessProviders: Provider[] = [
  ServiceReadiness,
  ApiKitHealthIndicator,
  {
    provide: READINESS_ENDPOINT,
    useFactory: (options: ResolvedApiKitOptions, readiness: ServiceReadiness) =>
      options.readiness === undefined ? null : new ReadinessEndpoint(options.readiness, readiness),
    inject: [APIKIT_RESOLVED_OPTIONS, ServiceReadiness],
  },
];
