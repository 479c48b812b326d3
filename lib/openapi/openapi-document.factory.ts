import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject, OperationObject, PathsObject } from '@nestjs/swagger';
import type { ResolvedApiKitOptions, ServiceMetadata } from '../options/apikit-options.interface.js';
import { type ApiKitRoutes, apikitRoutePaths } from './apikit-routes.paths.js';
import { ERROR_BODY_SCHEMA, ERROR_BODY_SCHEMA_NAME, errorResponse, SERVICE_METADATA_SCHEMA, SERVICE_METADATA_SCHEMA_NAME } from './apikit-schemas.js';
import { BASIC_SECURITY_SCHEME, documentCallerRoutes } from './caller-routes.documenter.js';
import type { NestSwagger } from './swagger.loader.js';

export interface OpenApiSources {
  swagger: NestSwagger;
  /** What @nestjs/swagger reads of an application (see `swaggerAppView`). */
  app: INestApplication;
  options: ResolvedApiKitOptions;
  routes: ApiKitRoutes;
  /** Operation ids of the `@CallerSession()` / `@UseBackendAuth()` handlers. */
  callerOperations: ReadonlySet<string>;
}

/** The app's routes as @nestjs/swagger sees them, then what the library adds (see `ApiKitModuleOptions.openapi`). */
export function createOpenApiDocument({ swagger, app, options, routes, callerOperations }: OpenApiSources): OpenAPIObject {
  const { metadata, auth, errorBody } = options;
  const document = swagger.SwaggerModule.createDocument(app, {
    openapi: '3.1.0',
    info: infoOf(metadata),
    ...(URL.canParse(metadata.repository) ? { externalDocs: { description: 'Repository', url: metadata.repository } } : {}),
  });
  documentCallerRoutes(document.paths, callerOperations, auth.type);
  document.paths = { ...apikitRoutePaths(routes), ...document.paths };
  if (errorBody === 'apikit') useErrorBodyEverywhere(document.paths);
  const components = (document.components ??= {});
  components.schemas = { ...components.schemas, [SERVICE_METADATA_SCHEMA_NAME]: SERVICE_METADATA_SCHEMA, [ERROR_BODY_SCHEMA_NAME]: ERROR_BODY_SCHEMA };
  if (auth.type !== 'none') {
    components.securitySchemes = { ...components.securitySchemes, [BASIC_SECURITY_SCHEME]: { type: 'http', scheme: 'basic' } };
  }
  return document;
}

function infoOf(metadata: ServiceMetadata): OpenAPIObject['info'] {
  return { title: metadata.name, version: metadata.version, description: metadata.description };
}

/**
 * Under `errorBody: 'apikit'` every error answers apikit's body: the error responses the app declared
 * get its schema, and every operation a `default` one (a 404, a validation failure, a 500).
 */
function useErrorBodyEverywhere(paths: PathsObject): void {
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item).filter(isOperation)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400 && response !== undefined && !('$ref' in response)) {
          operation.responses[status] = errorResponse(response.description, response.headers);
        }
      }
      operation.responses.default ??= errorResponse('An error, in apikit\'s error body');
    }
  }
}

function isOperation(value: unknown): value is OperationObject {
  return typeof value === 'object' && value !== null && 'responses' in value;
}
