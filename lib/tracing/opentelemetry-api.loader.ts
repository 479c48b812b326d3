import { loadOptionalPeer } from '../options/optional-peer.loader.js';

/** `@opentelemetry/api`, an optional peer: only its type is known until `tracing: true` loads it. */
export type OpenTelemetryApi = typeof import('@opentelemetry/api');

/** Imports `@opentelemetry/api`, once, at boot, when `tracing` is on; a service without tracing never does. */
export const loadOpenTelemetryApi = (): Promise<OpenTelemetryApi> =>
  loadOptionalPeer(() => import('@opentelemetry/api'), '@opentelemetry/api', 'tracing');
