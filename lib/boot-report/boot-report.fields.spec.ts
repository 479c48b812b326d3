import 'reflect-metadata';
import { resolveApiKitOptions } from '../options/apikit-options.resolver.js';
import { bootReportFields } from './boot-report.fields.js';

const SERVICE = { name: 'svc', version: '1.2.3', repository: 'https://example.test/r', description: 'd' };
const SECRET = 'boot-report-secret-0123456789abcdef01234';

describe('bootReportFields', () => {
  it('names Redis by host and port, never its user, password or database, nor the secret', () => {
    const options = resolveApiKitOptions({
      ...SERVICE,
      auth: { type: 'bitly-proxy', data: { endpoint: 'https://proxy.example.org/oauth2/start', password: 'auth-data-password' } },
      route: ['/', '/svc'],
      backend: { store: { type: 'redis', url: 'redis://apikit:redis-password@redis.example.org/3' }, secret: SECRET, githubUrl: 'https://ghe.example.org/' },
      metrics: { path: '/internal/metrics' },
    });
    const fields = bootReportFields(options, { routePrefixes: options.routePrefixes, storeAnswered: false, debugLines: false });
    expect(fields).toEqual({
      service: 'svc',
      version: '1.2.3',
      metadataRoutes: ['/metadata', '/metadata.json', '/v1.0/metadata', '/v1.0/metadata.json', '/svc/metadata', '/svc/metadata.json', '/svc/v1.0/metadata', '/svc/v1.0/metadata.json'],
      healthRoute: '/',
      auth: 'bitly-proxy',
      store: 'redis',
      redis: 'redis.example.org:6379',
      storeAnswered: false,
      githubOrigin: 'https://ghe.example.org',
      errorBody: 'nest',
      metrics: '/internal/metrics',
      tracing: false,
      accessLog: false,
      debugLines: false,
    });
    expect(JSON.stringify(fields)).not.toMatch(/redis-password|apikit:|auth-data-password|boot-report-secret|\/3/);
  });

  it('shows the memory store without Redis fields, no GitHub origin without bitly-proxy, and a switched-off health check', () => {
    const options = resolveApiKitOptions({ ...SERVICE, healthCheck: false, errorBody: 'apikit', tracing: true, accessLog: true });
    expect(bootReportFields(options, { routePrefixes: [], storeAnswered: undefined, debugLines: true })).toEqual({
      service: 'svc',
      version: '1.2.3',
      metadataRoutes: [],
      healthRoute: null,
      auth: 'none',
      store: 'memory',
      errorBody: 'apikit',
      metrics: false,
      tracing: true,
      accessLog: true,
      debugLines: true,
    });
  });
});
