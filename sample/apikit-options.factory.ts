import type { ApiKitModuleOptions } from 'nestjs-apikit';
import type { BackendTarget } from './backend/backend-target.js';
import type { SampleConfig } from './config/sample-config.js';
import { readPackageVersion } from './package-version.js';

/** The technote's `APIFlask(...)` call: the service's metadata, route prefixes and backend auth. */
export function createSampleApiKitOptions(config: SampleConfig, backend: BackendTarget): ApiKitModuleOptions {
  return {
    name: 'uservice-mymicroservice',
    version: readPackageVersion(),
    repository: 'https://github.com/sqre-lsst/uservice-mymicroservice',
    description: 'My delightful microservice',
    // '/' for running alone or behind a rewriting proxy; '/mymicroservice' for the API ingress,
    // which passes the path prefix through unchanged.
    route: ['/', '/mymicroservice'],
    auth: authOption(config, backend),
    backend: {
      githubUrl: backend.githubUrl,
      githubSessionUrl: config.githubSessionUrl,
      ...(config.redisUrl === undefined ? {} : { store: { type: 'redis', url: config.redisUrl }, secret: config.sessionSecret }),
    },
  };
}

function authOption(config: SampleConfig, backend: BackendTarget): ApiKitModuleOptions['auth'] {
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
