import { ApiKitOptionsError } from '../options/apikit-options.error.js';

export type PromClient = typeof import('prom-client');

/** prom-client, an optional peer: imported only when `metrics` is on, so a service without it pays nothing. */
export async function loadPromClient(): Promise<PromClient> {
  try {
    return await import('prom-client');
  } catch {
    throw new ApiKitOptionsError(['metrics: needs the "prom-client" package (an optional peer dependency): npm install prom-client']);
  }
}
