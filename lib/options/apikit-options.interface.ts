import type { BackendSessionOptions, ResolvedBackendSessionOptions } from './backend-options.interface.js';
import type { MetricsOptions, ResolvedMetricsOptions } from './metrics-options.interface.js';
import type { OpenApiOptions, ResolvedOpenApiOptions } from './openapi-options.interface.js';

/** How the service authenticates its callers to the backend (apikit's `auth.type`). */
export type AuthType = 'none' | 'basic' | 'bitly-proxy';

/** `auth.data` for `bitly-proxy`: `endpoint` is the oauth2-proxy start URL (`https://host/oauth2/start`). */
export interface BitlyProxyAuthData {
  username?: string;
  password?: string;
  endpoint?: string;
}

export interface AuthOptionObject {
  type: AuthType;
  /** Required for `basic` and `bitly-proxy` (apikit never validated its contents). */
  data?: BitlyProxyAuthData | Record<string, unknown>;
}

/** apikit's `auth` argument: nothing, `""` and `"none"` all mean type `none`. */
export type AuthOption = undefined | null | '' | 'none' | AuthOptionObject;

/**
 * Options of `ApiKitModule.forRoot()`; apikit's `APIFlask(...)` arguments with TypeScript names.
 * (`isGlobal` and `globalExceptionFilter` are module extras, known before any factory runs.)
 */
export interface ApiKitModuleOptions {
  name: string;
  version: string;
  repository: string;
  description: string;
  /** Defaults to `"1.0"`. */
  apiVersion?: string;
  auth?: AuthOption;
  /** Route prefixes under which the metadata is served; the root only by default. */
  route?: string | string[];
  /** Answer `GET /` with `OK` for the ingress health check (default `true`). */
  healthCheck?: boolean;
  /** Tuning of the backend session (`BitlyProxySession`). */
  backend?: BackendSessionOptions;
  /**
   * The body of error answers. `'nest'` (default): apikit's body for `BackendError`s only, Nest's own
   * shape for everything else. `'apikit'`: every error (a 404 of no route, an `HttpException`, a
   * `ValidationPipe` failure, an unexpected throw) answers `{ reason, status_code, error_content }`;
   * unexpected ones as a 500 naming only the request id, their details logged.
   */
  errorBody?: ErrorBodyStyle;
  /**
   * Serve Prometheus metrics (needs the optional peer `prom-client`): `true` for `GET /metrics` from a
   * registry of the app's own with the process metrics, or `{ path, registry, prefix }`. Off by default.
   */
  metrics?: boolean | MetricsOptions;
  /**
   * OpenTelemetry spans (`apikit.login`, `apikit.backend_call`) through the tracer provider the app
   * registered, and W3C trace context sent to the backend. Needs the optional peer `@opentelemetry/api`;
   * default `false` (nothing imported).
   */
  tracing?: boolean;
  /**
   * The readiness route (`'/ready'`): 200 `{"status":"ready"}`, or 503 `{"status":"not_ready","reasons":[...]}`
   * while the Redis store is degraded or the service is shutting down. Off by default (`false`).
   */
  readiness?: string | false;
  /**
   * How long, from the start of shutdown (SIGTERM with shutdown hooks, `app.close()`), the service keeps
   * serving every route, the readiness route answering 503, before it stops accepting connections and
   * drains: time for Kubernetes to take the pod out of its endpoints. Default 0 (none); at most 120 000.
   */
  shutdownDelayMs?: number;
  /**
   * One `request.completed` log line per request (method, path without the query, status, duration,
   * request id, the Basic username of an authenticated caller), at level info. Default `false` (no hook).
   */
  accessLog?: boolean;
  /**
   * Serve an OpenAPI 3.1 document of the whole app (its routes as `@nestjs/swagger` sees them, plus the
   * metadata routes, the health check, the error body and what `@CallerSession()` routes answer): `true` for
   * `GET /openapi.json`, or `{ path, ui }` (`ui`: a Swagger UI page). Needs the optional peer
   * `@nestjs/swagger`; off by default (nothing imported).
   */
  openapi?: boolean | OpenApiOptions;
}

/** See `ApiKitModuleOptions.errorBody`. */
export type ErrorBodyStyle = 'nest' | 'apikit';

/** The metadata JSON body, exactly apikit's six string keys. */
export interface ServiceMetadata {
  name: string;
  version: string;
  repository: string;
  description: string;
  api_version: string;
  auth: AuthType;
}

/** Options after validation: what the rest of the library reads. */
export interface ResolvedApiKitOptions {
  metadata: ServiceMetadata;
  auth: {
    type: AuthType;
    data: Readonly<Record<string, unknown>>;
    /** `bitly-proxy`'s `auth.data.endpoint`, parsed at boot; `undefined` for a metadata-only service. */
    proxyStartUrl: URL | undefined;
  };
  /** Canonical prefixes (`"/"` or `"/a/b"`), de-duplicated, in the given order. */
  routePrefixes: string[];
  healthCheck: boolean;
  errorBody: ErrorBodyStyle;
  tracing: boolean;
  accessLog: boolean;
  /** `backend` with its defaults filled in. */
  backend: ResolvedBackendSessionOptions;
  /** `undefined` when metrics are off. */
  metrics: ResolvedMetricsOptions | undefined;
  /** The readiness route's path; `undefined` when off. */
  readiness: string | undefined;
  shutdownDelayMs: number;
  /** `undefined` when the OpenAPI document is off. */
  openapi: ResolvedOpenApiOptions | undefined;
}
