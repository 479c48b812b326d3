import { textResponse, type PrebuiltResponse } from './prebuilt-response.js';

/**
 * The ingress (GCE/Kubernetes) health check hits exactly `GET /`, whatever the route prefixes.
 * `OK` is answered from a prebuilt buffer: no I/O, nothing that could make a live service look dead.
 */
export const HEALTH_CHECK_PATH = '/';

export function healthCheckResponse(): PrebuiltResponse {
  return textResponse('OK');
}
