import type { ApiKitModuleOptions } from 'nestjs-apikit';
import type { BackendTarget } from './backend/backend-target.js';
import type { ServiceConfig } from './config/service-config.js';
import { readPackageVersion } from './package-version.js';

/** The technote's `APIFlask(...)` call: the service's metadata, route prefixes and backend auth. */
export function createApiKitOptions(config: ServiceConfig, backend: BackendTarget): ApiKitModuleOptions {
  return {
    name: 'uservice-mymicroservice',
    version: readPackageVersion(),
    repository: 'https://github.com/sqre-lsst/uservice-mymicroservice',
    description: 'My delightful microservice',
    // '/' for running alone or behind a rewriting proxy; '/mymicroservice' for the API ingress,
    // which passes the path prefix through unchanged.
    route: ['/', '/mymicroservice'],
    auth: authOption(config, backend),
    // Every error in apikit's body: clients (a chat bot, scripts) parse one shape, a 404 and a 500 included.
    errorBody: 'apikit',
    // Prometheus scrapes GET /metrics on the pod (deployment.yaml's annotations, service-monitor.yaml); the
    // ingress routes only /mymicroservice, so the metrics stay inside the cluster.
    metrics: config.metrics,
    // The Deployment's readiness probe: 503 while Redis is away or the pod is shutting down, which for
    // shutdownDelayMs after SIGTERM it serves on, so that traffic has moved elsewhere before it drains.
    readiness: '/ready',
    shutdownDelayMs: config.shutdownDelayMs,
    // The service describes itself (GET /openapi.json, a Swagger UI at /docs): neighbours generate their
    // typed clients from it (`npm run client:types -- <url> <name>`).
    openapi: { path: '/openapi.json', ui: '/docs' },
    backend: {
      githubUrl: backend.githubUrl,
      githubSessionUrl: config.githubSessionUrl,
      loginBudget: config.loginBudget,
      ...(config.redisUrl === undefined ? {} : { store: { type: 'redis', url: config.redisUrl }, secret: config.sessionSecret }),
    },
  };
}

function authOption(config: ServiceConfig, backend: BackendTarget): ApiKitModuleOptions['auth'] {
  switch (config.authType) {
    case 'none':
      return { type: 'none' };
    case 'basic':
      // Callers' credentials are forwarded per request; the service itself holds none.
      return { type: 'basic', data: { username: '', password: '' } };
    case 'bitly-proxy':
      return { type: 'bitly-proxy', data: { username: '', password: '', endpoint: backend.startUrl } };
  }
}
