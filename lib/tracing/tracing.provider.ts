import type { Provider } from '@nestjs/common';
import { LIBRARY_VERSION } from '../http-request/user-agent.js';
import { ApiKitObservers } from '../observability/index.js';
import { APIKIT_RESOLVED_OPTIONS } from '../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../options/apikit-options.interface.js';
import { loadOpenTelemetryApi } from './opentelemetry-api.loader.js';
import { TRACER_NAME } from './tracing.constants.js';
import { TracingObserver } from './tracing.observer.js';

const TRACING_OBSERVER = Symbol('apikit.tracingObserver');

/**
 * Registers the tracing observer at boot when `tracing` is on (a missing `@opentelemetry/api` fails the
 * boot); off, nothing is imported or registered, and the session's reports stay a length check.
 * The tracer comes from the global provider: a proxy until the app registers one, then the app's.
 */
export const tracingProvider: Provider = {
  provide: TRACING_OBSERVER,
  useFactory: async (options: ResolvedApiKitOptions, observers: ApiKitObservers): Promise<TracingObserver | null> => {
    if (!options.tracing) return null;
    const api = await loadOpenTelemetryApi();
    const observer = new TracingObserver(api, api.trace.getTracer(TRACER_NAME, LIBRARY_VERSION));
    observers.add(observer);
    return observer;
  },
  inject: [APIKIT_RESOLVED_OPTIONS, ApiKitObservers],
};
