import { ApiKitOptionsError } from '../options/apikit-options.error.js';

/** `@opentelemetry/api`, an optional peer: only its type is known until `tracing: true` loads it. */
export type OpenTelemetryApi = typeof import('@opentelemetry/api');

/**
 * Imports `@opentelemetry/api`, once, at boot, when `tracing` is on; a service without tracing never does.
 * @throws ApiKitOptionsError naming the install command when the package is missing.
 */
export async function loadOpenTelemetryApi(): Promise<OpenTelemetryApi> {
  try {
    return await import('@opentelemetry/api');
  } catch {
    throw new ApiKitOptionsError(['tracing: true needs the optional peer "@opentelemetry/api": npm install @opentelemetry/api']);
  }
}
