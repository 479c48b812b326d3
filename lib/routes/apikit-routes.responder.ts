import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { METRICS_ENDPOINT, type MetricsEndpoint } from '../metrics/index.js';
import { OPENAPI_ENDPOINT, type OpenApiEndpoint } from '../openapi/index.js';
import { APIKIT_RESOLVED_OPTIONS } from '../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../options/apikit-options.interface.js';
import { READINESS_ENDPOINT, type ReadinessEndpoint } from '../readiness/index.js';
import { HEALTH_CHECK_PATH, healthCheckResponse } from './health-check.response.js';
import { MetadataRoutes } from './metadata-routes.service.js';
import type { PrebuiltResponse } from './prebuilt-response.js';

/**
 * Answers the metadata routes, the health check, the readiness route, the metrics route and the OpenAPI
 * document (and UI) before any controller route (the request hooks call it ahead of the router). Exact path
 * lookups, GET and HEAD only; anything else falls through.
 */
@Injectable()
export class ApiKitRoutesResponder {
  private readonly health: PrebuiltResponse | undefined;
  /** `undefined` when metrics are off: then a request pays one comparison with it. */
  private readonly metricsPath: string | undefined;
  /** Likewise for the readiness route. */
  private readonly readinessPath: string | undefined;

  constructor(
    private readonly routes: MetadataRoutes,
    @Inject(APIKIT_RESOLVED_OPTIONS) options: ResolvedApiKitOptions,
    @Inject(METRICS_ENDPOINT) private readonly metrics: MetricsEndpoint | null,
    @Inject(READINESS_ENDPOINT) private readonly readiness: ReadinessEndpoint | null,
    @Inject(OPENAPI_ENDPOINT) private readonly openapi: OpenApiEndpoint | null,
  ) {
    this.health = options.healthCheck ? healthCheckResponse() : undefined;
    this.metricsPath = metrics?.path;
    this.readinessPath = readiness?.path;
  }

  /**
   * Answers `req` when it asks for the health check, a metadata path, the readiness or the metrics (true), else leaves it
   * alone (false). Replies with node's ServerResponse API, which Express and Fastify (`reply.raw`) share;
   * the metrics asynchronously, after this returns.
   */
  answer(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): boolean {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const path = pathOf(req.originalUrl ?? req.url ?? '');
    const response = path === HEALTH_CHECK_PATH ? this.health : this.routes.responseFor(path);
    if (response === undefined) {
      if (path === this.readinessPath) return this.answerReadiness(res, method === 'HEAD');
      if (path === this.metricsPath) return this.answerMetrics(res, method === 'HEAD');
      return this.openapi !== null && this.openapi.answer(path, res, method === 'HEAD');
    }
    res.writeHead(200, response.headers);
    res.end(method === 'HEAD' ? undefined : response.body);
    return true;
  }

  private answerReadiness(res: ServerResponse, head: boolean): true {
    this.readiness!.answer(res, head);
    return true;
  }

  private answerMetrics(res: ServerResponse, head: boolean): true {
    void this.metrics!.answer(res, head);
    return true;
  }
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
