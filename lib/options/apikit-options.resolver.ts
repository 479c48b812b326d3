import { validateSync } from 'class-validator';
import { DEFAULT_API_VERSION } from './apikit-options.constants.js';
import { ApiKitOptionsError } from './apikit-options.error.js';
import type { ApiKitModuleOptions, ResolvedApiKitOptions } from './apikit-options.interface.js';
import { ApiKitOptionsSchema, isNoAuth, RoutePrefixSchema } from './apikit-options.schema.js';
import { withBackendSessionDefaults } from './backend-options.defaults.js';
import { withMetricsDefaults } from './metrics-options.defaults.js';
import { withOpenApiDefaults } from './openapi-options.defaults.js';
import { describeOptionValue, formatOptionProblems, unknownOptionProblem } from './option-problems.formatter.js';
import { buildSchema, isObject, type SchemaClass } from './option-schema.builder.js';
import { canonicalRoutePrefixes } from './route-prefix.rules.js';

/**
 * Validates `ApiKitModule` options (apikit's rules) and normalises them for the rest of the library.
 * @throws ApiKitOptionsError listing every problem, when any rule is broken.
 */
export function resolveApiKitOptions(raw: unknown): ResolvedApiKitOptions {
  assertValid(ApiKitOptionsSchema, raw, 'options');
  const options = raw as ApiKitModuleOptions;
  const auth = isNoAuth(options.auth) ? undefined : options.auth;
  const data = { ...(auth?.data ?? {}) } as Record<string, unknown>;
  const type = auth?.type ?? 'none';
  const metrics = withMetricsDefaults(options.metrics);
  const openapi = withOpenApiDefaults(options.openapi);
  const readiness = options.readiness || undefined;
  assertReadinessPathFree(readiness, [metrics?.path, openapi?.path, openapi?.ui]);
  return {
    metadata: {
      name: options.name,
      version: options.version,
      repository: options.repository,
      description: options.description,
      api_version: options.apiVersion ?? DEFAULT_API_VERSION,
      auth: type,
    },
    auth: {
      type,
      data: Object.freeze(data),
      proxyStartUrl: type === 'bitly-proxy' && typeof data.endpoint === 'string' ? new URL(data.endpoint) : undefined,
    },
    routePrefixes: canonicalRoutePrefixes(options.route),
    healthCheck: options.healthCheck ?? true,
    errorBody: options.errorBody ?? 'nest',
    tracing: options.tracing ?? false,
    accessLog: options.accessLog ?? false,
    backend: withBackendSessionDefaults(options.backend),
    metrics,
    readiness,
    shutdownDelayMs: options.shutdownDelayMs ?? 0,
    openapi,
  };
}

/**
 * apikit's `route` (a string or an array of strings) as canonical prefixes.
 * @throws ApiKitOptionsError when it is neither.
 */
export function resolveRoutePrefixes(route: unknown): string[] {
  assertValid(RoutePrefixSchema, { route }, 'route');
  return canonicalRoutePrefixes(route as string | string[]);
}

/**
 * The readiness route answers ahead of the others but after the health check: at `/` it would never be
 * asked (`GET /` stays the liveness answer), and it cannot share the path of another route the library serves.
 */
function assertReadinessPathFree(readiness: string | undefined, otherServedPaths: ReadonlyArray<string | undefined>): void {
  if (readiness === '/') throw new ApiKitOptionsError(['readiness: expected a path other than "/", the liveness answer the ingress probes']);
  if (readiness !== undefined && otherServedPaths.includes(readiness)) {
    throw new ApiKitOptionsError(["readiness: expected a path other than the metrics or OpenAPI routes'"]);
  }
}

function assertValid(Schema: SchemaClass, raw: unknown, what: string): void {
  if (!isObject(raw)) throw new ApiKitOptionsError([`${what}: expected an object, got ${describeOptionValue(raw)}`]);
  const { schema, strayKeys } = buildSchema(Schema, raw);
  const errors = validateSync(schema, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  const problems = [...formatOptionProblems(errors), ...strayKeys.map(({ field, Schema }) => unknownOptionProblem(field, Schema))];
  if (problems.length > 0) throw new ApiKitOptionsError(problems);
}
