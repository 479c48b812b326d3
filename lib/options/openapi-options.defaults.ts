import type { OpenApiOptions, ResolvedOpenApiOptions } from './openapi-options.interface.js';

const DEFAULT_OPENAPI_PATH = '/openapi.json';

/** A validated `openapi` with its defaults; `undefined` when off. */
export function withOpenApiDefaults(openapi: boolean | OpenApiOptions | undefined): ResolvedOpenApiOptions | undefined {
  if (openapi === undefined || openapi === false) return undefined;
  if (openapi === true) return { path: DEFAULT_OPENAPI_PATH, ui: undefined };
  return { path: openapi.path ?? DEFAULT_OPENAPI_PATH, ui: openapi.ui };
}
