import 'reflect-metadata';
import { Controller, Get, Module, Param, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ApiKitModule, CallerSession, MetadataRoutes, UseBackendAuth, type ApiKitModuleOptions, type BackendCaller } from '../lib/index.js';
import { ADAPTERS, AppBooter } from './fixtures/e2e-app.fixture.js';
import {
  ERROR_SCHEMA,
  errorContentOf,
  expectApiKitRoutes,
  expectCallerRoute,
  expectErrorBodyEverywhere,
  validationProblems,
  type OpenApiDocument as Document,
} from './fixtures/openapi-document.fixture.js';

// ApiKitModule.forRoot({ openapi }): the document of the whole app, checked by a real OpenAPI 3.1 validator,
// then walked for everything the library adds to what @nestjs/swagger sees.

@Controller('weather')
class WeatherController {
  @Get(':city')
  forecast(@Param('city') city: string) {
    return { city };
  }

  @Get(':city/history')
  history(@Param('city') city: string, @CallerSession() backend: BackendCaller) {
    return { city, caller: typeof backend };
  }
}

@Controller('admin')
@UseBackendAuth()
class AdminController {
  @Get('jobs')
  jobs() {
    return [];
  }
}

const METADATA = { name: 'weather', version: '2.1.0', repository: 'https://example.test/weather', description: 'Forecasts' };

function appModule(options: Partial<ApiKitModuleOptions>) {
  @Module({
    imports: [ApiKitModule.forRoot({ ...METADATA, auth: { type: 'bitly-proxy', data: { endpoint: 'https://proxy.example.test/oauth2/start' } }, ...options })],
    controllers: [WeatherController, AdminController],
  })
  class OpenApiTestModule {}
  return OpenApiTestModule;
}

describe.each(ADAPTERS)('OpenAPI document on %s', (_adapterName, createAdapter) => {
  const booter = new AppBooter(createAdapter);
  let app: INestApplication;
  let document: Document;

  beforeAll(async () => {
    app = await booter.boot(appModule({ route: '/weather-api', errorBody: 'apikit', openapi: { path: '/openapi.json', ui: '/docs' } }), (created) =>
      created.get(MetadataRoutes).addRoutePrefix('/late'),
    );
    const res = await request(app.getHttpServer()).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    document = res.body as Document;
  });
  afterAll(() => booter.closeAll());

  it('passes a real OpenAPI 3.1 validator', async () => {
    expect(await validationProblems(document)).toBe('');
    expect(document.openapi).toBe('3.1.0');
  });

  it('takes info from the service metadata, the repository as externalDocs', () => {
    expect(document.info).toEqual({ title: 'weather', version: '2.1.0', description: 'Forecasts' });
    expect(document.externalDocs?.url).toBe('https://example.test/weather');
  });

  it("lists the app's own routes as @nestjs/swagger sees them", () => {
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/weather/{city}', '/weather/{city}/history', '/admin/jobs']));
  });

  it('lists the metadata routes under every prefix (late ones too) with the ServiceMetadata schema, and GET /', () => {
    expectApiKitRoutes(document, ['/weather-api/metadata', '/weather-api/v1.0/metadata.json', '/late/metadata', '/late/v1.0/metadata']);
  });

  it('documents Basic auth, X-GitHub-OTP and 401/429/502/503/504 with the error body on every caller route, and only there', () => {
    expect(document.components.securitySchemes).toEqual({ basic: { type: 'http', scheme: 'basic' } });
    expectCallerRoute(document.paths['/weather/{city}/history']!.get!);
    expectCallerRoute(document.paths['/admin/jobs']!.get!);
    const open = document.paths['/weather/{city}']!.get!;
    expect(open.security).toBeUndefined();
    expect(open.responses['401']).toBeUndefined();
  });

  it("uses ApiKitErrorBody (reason, status_code, error_content) for every error answer under errorBody: 'apikit'", () => {
    expectErrorBodyEverywhere(document);
  });

  it('serves a Swagger UI page whose assets are served offline beside it', async () => {
    const server = app.getHttpServer();
    const page = await request(server).get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script src="/docs/swagger-ui-bundle.js"></script>');
    const bundle = await request(server).get('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect((await request(server).get('/docs/swagger-ui-init.js')).text).toContain('"/openapi.json"');
  });

  it('is off by default: no document, no UI', async () => {
    const plain = await booter.boot(appModule({}));
    expect((await request(plain.getHttpServer()).get('/openapi.json')).status).toBe(404);
  });

  it("under errorBody: 'nest' keeps Nest's own errors but still documents the caller routes' apikit errors", async () => {
    const nest = await booter.boot(appModule({ openapi: true }));
    const doc = (await request(nest.getHttpServer()).get('/openapi.json')).body as Document;
    expect(errorContentOf(doc.paths['/weather/{city}']!.get!, 'default')).toBeUndefined();
    expect(errorContentOf(doc.paths['/admin/jobs']!.get!, '502')).toEqual(ERROR_SCHEMA);
    expect(await validationProblems(doc)).toBe('');
  });
});
