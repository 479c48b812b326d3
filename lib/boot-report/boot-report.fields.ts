import type { ResolvedApiKitOptions } from '../options/apikit-options.interface.js';
import { metadataPathsOf } from '../routes/metadata-paths.js';

/** What the boot line knows beyond the options: the prefixes served at bootstrap, and whether Redis answered. */
export interface BootFacts {
  routePrefixes: readonly string[];
  /** `undefined` with the memory store. */
  storeAnswered: boolean | undefined;
  debugLines: boolean;
}

/**
 * The fields of the `apikit.started` line: what ApiKitModule set up, from the resolved options. Never a
 * secret: Redis by host and port only (no user, password or database), no `auth.data`, no `backend.secret`.
 */
export function bootReportFields(options: ResolvedApiKitOptions, facts: BootFacts): Record<string, unknown> {
  const { store } = options.backend;
  return {
    service: options.metadata.name,
    version: options.metadata.version,
    metadataRoutes: facts.routePrefixes.flatMap((prefix) => metadataPathsOf(prefix, options.metadata.api_version)),
    healthRoute: options.healthCheck ? '/' : null,
    auth: options.auth.type,
    store: store.type,
    ...(store.type === 'redis' ? { redis: redisAddress(store.url), storeAnswered: facts.storeAnswered } : {}),
    ...(options.auth.type === 'bitly-proxy' ? { githubOrigin: options.backend.githubUrl.origin } : {}),
    errorBody: options.errorBody,
    metrics: options.metrics?.path ?? false,
    tracing: options.tracing,
    accessLog: options.accessLog,
    debugLines: facts.debugLines,
  };
}

/** `host:port` of a Redis URL; a client the app gave has no URL to show. */
function redisAddress(url: string | undefined): string {
  if (url === undefined) return 'a client given by the application';
  if (!URL.canParse(url)) return 'an unparsable URL';
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || '6379'}`;
}
