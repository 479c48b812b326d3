// The README tutorial "Your own microservice in five minutes", verbatim (one file here, three in
// the tutorial: src/metric.controller.ts, src/app.module.ts, test/app.e2e-spec.ts), so it stays true.
import 'reflect-metadata';
import { Controller, Get, Inject, Module, Param, type DynamicModule, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApiKitModule, BackendError, CallerSession, type BackendCaller } from 'nestjs-apikit';
import { simulatedMetricValue, startSimulatedStack, type SimulatedStack } from 'nestjs-apikit/testing';
import request from 'supertest';

// ---- src/metric.controller.ts
export const BACKEND_URL = Symbol('BACKEND_URL');

@Controller(['', 'mymicroservice'])
export class MetricController {
  constructor(@Inject(BACKEND_URL) private readonly backendUrl: string) {}

  @Get(':jobname/:metric')
  async metric(@Param('jobname') jobname: string, @Param('metric') metric: string, @CallerSession() backend: BackendCaller) {
    const res = await backend.get(`${this.backendUrl}/api`, { params: { metric, job: jobname } });
    if (!res.ok) throw new BackendError(res.statusText, res.status, res.text());
    return { jobname, metric, value: res.text() };
  }
}

// ---- src/app.module.ts
@Module({})
export class AppModule {
  // githubUrl: where callers' passwords may go (a GitHub Enterprise, or the simulated GitHub in tests).
  static register(backendUrl: string, githubUrl = 'https://github.com'): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ApiKitModule.forRoot({
          name: 'uservice-mymicroservice',
          version: '0.0.1',
          repository: 'https://github.com/sqre-lsst/uservice-mymicroservice',
          description: 'My delightful microservice',
          route: ['/', '/mymicroservice'],
          auth: { type: 'bitly-proxy', data: { username: '', password: '', endpoint: `${backendUrl}/oauth2/start` } },
          backend: { githubUrl },
        }),
      ],
      controllers: [MetricController],
      providers: [{ provide: BACKEND_URL, useValue: backendUrl }],
    };
  }
}

// ---- test/app.e2e-spec.ts
describe('my microservice', () => {
  let stack: SimulatedStack;
  let app: INestApplication;

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [{ login: 'alice', password: 's3cret' }] });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(stack.proxyUrl, stack.githubUrl)] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });

  it('serves its metadata and the health check', async () => {
    const metadata = await request(app.getHttpServer()).get('/mymicroservice/metadata').expect(200);
    expect(metadata.body).toMatchObject({ name: 'uservice-mymicroservice', auth: 'bitly-proxy' });
    await request(app.getHttpServer()).get('/').expect(200, 'OK');
  });

  it('answers a metric, logging in to the backend as the caller', async () => {
    const res = await request(app.getHttpServer()).get('/mymicroservice/buildmyapp/time').auth('alice', 's3cret').expect(200);
    expect(res.body).toEqual({ jobname: 'buildmyapp', metric: 'time', value: simulatedMetricValue('buildmyapp', 'time') });
    expect(stack.stats.logins('alice')).toBe(1);
  });

  it('asks for credentials', async () => {
    const res = await request(app.getHttpServer()).get('/mymicroservice/buildmyapp/time').expect(401);
    expect(res.body).toEqual({ reason: 'Unauthorized', status_code: 401, error_content: 'No authorization provided.' });
  });
});
