import type { PathsObject } from '@nestjs/swagger';
import { schemaRef, SERVICE_METADATA_SCHEMA_NAME } from './apikit-schemas.js';

const TAG = 'apikit';

/** The routes the library answers ahead of Nest's router (known to ApiKitModule, passed in at bootstrap). */
export interface ApiKitRoutes {
  /** Every metadata path, under every prefix. */
  metadataPaths: readonly string[];
  /** `/` when the health check is on. */
  healthCheckPath: string | undefined;
}

/** Those routes as OpenAPI paths: @nestjs/swagger never sees them, since Nest's router never does. */
export function apikitRoutePaths({ metadataPaths, healthCheckPath }: ApiKitRoutes): PathsObject {
  const paths: PathsObject = {};
  metadataPaths.forEach((path, index) => {
    paths[path] = {
      get: {
        operationId: `apikit_metadata_${index}`,
        summary: 'The service metadata',
        tags: [TAG],
        responses: { '200': { description: 'The service metadata', content: { 'application/json': { schema: schemaRef(SERVICE_METADATA_SCHEMA_NAME) } } } },
      },
    };
  });
  if (healthCheckPath !== undefined) {
    paths[healthCheckPath] = {
      get: {
        operationId: 'apikit_health_check',
        summary: 'The ingress health check',
        tags: [TAG],
        responses: { '200': { description: 'The service is up', content: { 'text/plain': { schema: { type: 'string', const: 'OK' } } } } },
      },
    };
  }
  return paths;
}
