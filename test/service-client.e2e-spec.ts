import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Body, Controller, Get, Inject, Module, Param, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ApiKitModule, CallerSession, createServiceClient, type BackendCaller, type OpenApiDocument } from '../lib/index.js';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic } from './fixtures/backend-auth-app.fixture.js';
import type { paths as WeatherPaths } from './fixtures/clients/weather.js';
import { ADAPTERS, AppBooter } from './fixtures/e2e-app.fixture.js';
import { forwardingTo, WeatherServiceModule } from './fixtures/weather-service.fixture.js';

// Two services: A calls its neighbour B through createServiceClient, as A's caller, behind the simulated
// GitHub + oauth2-proxy stack (B is the proxy's upstream and learns the caller from `X-Forwarded-User`).

const WEATHER_URL = Symbol('WEATHER_URL');
/** B's document, as it serves it (the last test checks they agree): A validates B's answers against it. */
const WEATHER_DOCUMENT = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/clients/weather.openapi.json'), 'utf8')) as OpenApiDocument;
/** The same document, but for a forecast whose `city` is a number: B's true answers no longer match it. */
function withCityAsNumber(document: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(document) as unknown as { components: { schemas: Record<string, { properties: Record<string, object> }> } };
  const forecast = Object.values(copy.components.schemas).find((schema) => schema.properties?.city !== undefined && schema.properties?.caller !== undefined)!;
  forecast.properties.city = { type: 'number' };
  return copy as unknown as OpenApiDocument;
}

/** Service A's route: a typed call of B, made as the caller of A. */
@Controller('trip')
class TripController {
  constructor(@Inject(WEATHER_URL) private readonly weatherUrl: string) {}

  @Get(':city')
  async trip(@Param('city') city: string, @CallerSession() backend: BackendCaller) {
    const weather = createServiceClient<WeatherPaths>(backend, this.weatherUrl, { document: WEATHER_DOCUMENT });
    const { data, response } = await weather.GET('/weather/{city}', { params: { path: { city }, query: { unit: 'f' } } });
    return { status: response.status, forecast: data };
  }

  /** Two calls at once through one caller (klue's parallel calls): each through the caller's one session. */
  @Get(':city/and/:other')
  async both(@Param('city') city: string, @Param('other') other: string, @CallerSession() backend: BackendCaller) {
    const weather = createServiceClient<WeatherPaths>(backend, this.weatherUrl, { document: WEATHER_DOCUMENT });
    const [first, second] = await Promise.all([city, other].map((name) => weather.GET('/weather/{city}', { params: { path: { city: name } } })));
    return [first.data, second.data];
  }

  /** Against a document B's answers do not match: the answer is refused, not passed on. */
  @Get(':city/stale-document')
  async staleDocument(@Param('city') city: string, @CallerSession() backend: BackendCaller) {
    const weather = createServiceClient<WeatherPaths>(backend, this.weatherUrl, { document: withCityAsNumber(WEATHER_DOCUMENT) });
    const { data } = await weather.GET('/weather/{city}', { params: { path: { city } } });
    return data;
  }

  /** Without a document: the body comes back typed `unknown`, for the route to check. */
  @Get(':city/unchecked')
  async unchecked(@Param('city') city: string, @CallerSession() backend: BackendCaller) {
    const weather = createServiceClient<WeatherPaths>(backend, this.weatherUrl);
    const { data } = await weather.GET('/weather/{city}', { params: { path: { city } } });
    return { city: typeof data === 'object' && data !== null && 'city' in data ? data.city : undefined };
  }

  @Post(':city/reports')
  async report(@Param('city') city: string, @Body() body: { temperature: number }, @CallerSession() backend: BackendCaller) {
    const weather = createServiceClient<WeatherPaths>(backend, this.weatherUrl);
    const { data, response } = await weather.POST('/weather/{city}/reports', { params: { path: { city } }, body: { temperature: body.temperature } });
    return { status: response.status, receipt: data };
  }
}

function serviceA(stack: SimulatedStack) {
  @Module({
    imports: [
      ApiKitModule.forRoot({
        name: 'trips',
        version: '1.0.0',
        repository: 'https://example.test/trips',
        description: 'Trips, planned with the weather service',
        auth: { type: 'bitly-proxy', data: { endpoint: stack.startUrl } },
        backend: { githubUrl: stack.githubUrl },
      }),
    ],
    controllers: [TripController],
    providers: [{ provide: WEATHER_URL, useValue: stack.proxyUrl }],
  })
  class TripsModule {}
  return TripsModule;
}

describe.each(ADAPTERS)('createServiceClient on %s', (_adapterName, createAdapter) => {
  const booter = new AppBooter(createAdapter);
  let serviceB: INestApplication;
  let stack: SimulatedStack;
  let a: INestApplication;

  beforeAll(async () => {
    serviceB = await booter.boot(WeatherServiceModule);
    await serviceB.listen(0, '127.0.0.1');
    stack = await startSimulatedStack({ users: [{ login: 'alice', password: 'alice-pw' }], backendHandler: forwardingTo(await serviceB.getUrl()) });
    a = await booter.boot(serviceA(stack));
  });
  afterAll(async () => {
    await booter.closeAll();
    await stack?.stop();
  });

  it("calls B as A's caller, with the request id carried on, and types B's answer", async () => {
    const res = await request(a.getHttpServer()).get('/trip/paris').set('Authorization', basic('alice', 'alice-pw')).set('X-Request-Id', 'trip-req-1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 200, forecast: { city: 'paris', unit: 'f', caller: 'alice', requestId: 'trip-req-1' } });
    expect(res.headers['x-request-id']).toBe('trip-req-1');
    expect(stack.stats.logins('alice')).toBe(1);
  });

  it('sends a JSON body to B as the caller', async () => {
    const res = await request(a.getHttpServer()).post('/trip/oslo/reports').set('Authorization', basic('alice', 'alice-pw')).send({ temperature: -3.5 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ status: 201, receipt: { city: 'oslo', temperature: -3.5, caller: 'alice' } });
  });

  it("hands B's BackendError to A's caller with B's status and body", async () => {
    const res = await request(a.getHttpServer()).get('/trip/atlantis').set('Authorization', basic('alice', 'alice-pw'));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ reason: 'Not Found', status_code: 404, error_content: 'no forecast for atlantis' });
  });

  it("refuses B's answer when it does not match the document A was given: a 502 naming the operation, not the body", async () => {
    const res = await request(a.getHttpServer()).get('/trip/paris/stale-document').set('Authorization', basic('alice', 'alice-pw'));
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ reason: 'Bad Gateway', status_code: 502, error_content: "The neighbour's answer to GET /weather/{city} does not match the schema its document publishes." });
  });

  it('makes two calls of B in parallel as the caller, one login for both', async () => {
    const res = await request(a.getHttpServer()).get('/trip/lima/and/quito').set('Authorization', basic('alice', 'alice-pw')).set('X-Request-Id', 'both-1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { city: 'lima', unit: 'c', caller: 'alice', requestId: 'both-1' },
      { city: 'quito', unit: 'c', caller: 'alice', requestId: 'both-1' },
    ]);
    expect(stack.stats.logins('alice')).toBe(1);
  });

  it('passes an answer on unchecked without a document (typed unknown for the route to check)', async () => {
    const res = await request(a.getHttpServer()).get('/trip/rome/unchecked').set('Authorization', basic('alice', 'alice-pw'));
    expect(res.body).toEqual({ city: 'rome' });
  });

  it("refuses A's caller without credentials before B is asked", async () => {
    const before = stack.stats.backendLog.length;
    expect((await request(a.getHttpServer()).get('/trip/paris')).status).toBe(401);
    expect(stack.stats.backendLog.length).toBe(before);
  });

  it('was typed from the document B serves now (test/fixtures/clients/weather.openapi.json, from which weather.d.ts is generated)', async () => {
    const served = (await request(serviceB.getHttpServer()).get('/openapi.json')).body as unknown;
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/clients/weather.openapi.json'), 'utf8')) as unknown;
    expect(served).toEqual(committed);
  });
});
