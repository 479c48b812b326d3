import type { Tracer } from '@opentelemetry/api';
import { loginOutcomeOf, type BackendCallObservation } from '../observability/index.js';
import type { OpenTelemetryApi } from './opentelemetry-api.loader.js';
import { endOnce } from './span-end.once.js';
import { BACKEND_CALL_SPAN } from './tracing.constants.js';

/**
 * An `apikit.backend_call` span (kind CLIENT, OpenTelemetry's HTTP client attributes), child of the active
 * context, and the headers that carry it to the backend: whatever the app's global propagator injects
 * (W3C `traceparent`/`tracestate` under NodeSDK's default). The URL's origin only: a path or a query may
 * hold what the caller asked for.
 */
export function startBackendCallSpan(api: OpenTelemetryApi, tracer: Tracer, method: string, url: URL): BackendCallObservation {
  const parent = api.context.active();
  const span = tracer.startSpan(BACKEND_CALL_SPAN, { kind: api.SpanKind.CLIENT, attributes: originAttributes(method, url) }, parent);
  const carrier: Record<string, string> = {};
  api.propagation.inject(api.trace.setSpan(parent, span), carrier);
  return {
    headers: Object.entries(carrier),
    end: endOnce(span, (status: number | undefined, error?: unknown) => {
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      // OpenTelemetry's HTTP conventions: a client span fails on no answer or an answer of 400 or more.
      const errorType = status === undefined ? errorTypeOf(error) : status >= 400 ? String(status) : undefined;
      if (errorType === undefined) return;
      span.setAttribute('error.type', errorType);
      span.setStatus({ code: api.SpanStatusCode.ERROR });
    }),
  };
}

function originAttributes(method: string, url: URL): Record<string, string | number> {
  const scheme = url.protocol.slice(0, -1);
  return {
    'http.request.method': method,
    'server.address': url.hostname.replace(/^\[(.*)\]$/, '$1'),
    'server.port': url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port),
    'url.scheme': scheme,
  };
}

/** A low-cardinality name for a call without an answer: the login's outcome, else the error's class. Never its message. */
function errorTypeOf(error: unknown): string {
  const outcome = loginOutcomeOf(error);
  if (outcome !== 'error') return outcome;
  return error instanceof Error ? error.name : '_OTHER';
}
