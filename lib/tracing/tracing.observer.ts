import type { Tracer } from '@opentelemetry/api';
import type { ApiKitObserver, BackendCallObservation, LoginObservation, LoginStart } from '../observability/index.js';
import { startBackendCallSpan } from './backend-call.span.js';
import { startLoginSpan } from './login.span.js';
import type { OpenTelemetryApi } from './opentelemetry-api.loader.js';

/** Follows the backend session with OpenTelemetry spans: each login step and each backend call. */
export class TracingObserver implements ApiKitObserver {
  constructor(
    private readonly api: OpenTelemetryApi,
    private readonly tracer: Tracer,
  ) {}

  loginStarted(start: LoginStart): LoginObservation {
    return startLoginSpan(this.api, this.tracer, start);
  }

  backendCallStarted(method: string, url: URL): BackendCallObservation {
    return startBackendCallSpan(this.api, this.tracer, method, url);
  }
}
