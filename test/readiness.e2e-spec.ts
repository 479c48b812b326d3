// Readiness (issue 24): the readiness route and ApiKitHealthIndicator under a real @nestjs/terminus, ready,
// with the Redis store degraded (a real redis-server, killed) and during the shutdown delay, where every
// other route is still served on new connections until the server stops accepting. Both adapters.
import 'reflect-metadata';
import { Controller, Get, Inject, Module, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Client } from 'undici';
import { ApiKitHealthIndicator, ApiKitModule, CallerSession, type ApiKitModuleOptions, type BackendCaller } from '../lib/index.js';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, echoingBackendHandler } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS, AppBooter } from './fixtures/e2e-app.fixture.js';
import { startRedisServer, type RedisServer } from './fixtures/redis-server.fixture.js';

const BACKEND_URL = Symbol('BACKEND_URL');
const SECRET = 'readiness-test-secret-of-more-than-32-bytes';
const PASSWORD = 'ready-pw';
const READY = { status: 'ready' };
const notReady = (...reasons: string[]) => ({ status: 'not_ready', reasons });

/** An application's own routes: terminus' health check with our indicator, a plain route, a backend call. */
@Controller()
class ProbeController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly apikit: ApiKitHealthIndicator,
    @Inject(BACKEND_URL) private readonly url: string,
  ) {}

  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([() => this.apikit.isHealthy('apikit')]);
  }

  @Get('ping')
  ping(): string {
    return 'pong';
  }

  @Get('work')
  async work(@CallerSession() backend: BackendCaller) {
    return (await backend.get(`${this.url}/whoami`)).json();
  }

  /** A catch-all of the app's: it must not swallow the readiness route. */
  @Get(':anything')
  anything(): string {
    return 'caught';
  }
}

function appModule(stack: SimulatedStack, options: Partial<ApiKitModuleOptions>, redis?: RedisServer) {
  @Module({
    imports: [
      ApiKitModule.forRoot({
        name: 'readiness-test',
        version: '1.0.0',
        repository: 'https://example.test/repo',
        description: 'e2e of readiness',
        auth: { type: 'bitly-proxy', data: { endpoint: stack.startUrl } },
        backend: {
          githubUrl: stack.githubUrl,
          ...(redis === undefined ? {} : { store: { type: 'redis', url: redis.url }, secret: SECRET }),
        },
        ...options,
      }),
      TerminusModule,
    ],
    controllers: [ProbeController],
    providers: [{ provide: BACKEND_URL, useValue: stack.proxyUrl }],
  })
  class ReadinessTestModule {}
  return ReadinessTestModule;
}

/** A GET on a connection of its own, closed after: what a new client (a kubelet probe, a new caller) opens. */
async function onNewConnection(origin: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const client = new Client(origin);
  try {
    const res = await client.request({ method: 'GET', path, headers });
    const text = await res.body.text();
    return { status: res.statusCode, body: text.startsWith('{') ? JSON.parse(text) : text };
  } finally {
    await client.close();
  }
}

async function listening(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
}

/** Resolves once `probe` returns true, asking at most `tries` times, 100 ms apart. */
async function eventually(probe: () => Promise<boolean>, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the expected state never came');
}

describe.each(ADAPTERS)('readiness on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let redis: RedisServer;
  const booter = new AppBooter(createAdapter);
  let users = 0;
  const newUser = (): string => {
    const login = `ready${++users}`;
    stack.addUser({ login, password: PASSWORD });
    return login;
  };

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [], backendHandler: echoingBackendHandler });
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await booter.closeAll();
    await redis?.stop();
    await stack?.stop();
  });

  it('answers the readiness route ahead of the controllers and outside the global prefix, GET and HEAD, never cached', async () => {
    const app = await booter.boot(appModule(stack, { readiness: '/ready' }), (created) => created.setGlobalPrefix('api'));
    const res = await request(app.getHttpServer()).get('/ready?verbose=1');
    expect([res.status, res.body]).toEqual([200, READY]);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-request-id']).toBeDefined();
    const head = await request(app.getHttpServer()).head('/ready');
    expect([head.status, head.text ?? '']).toEqual([200, '']);
    expect((await request(app.getHttpServer()).get('/api/ready')).text).toBe('caught');
    expect((await request(app.getHttpServer()).post('/ready')).status).toBe(404);
    expect((await request(app.getHttpServer()).get('/')).text).toBe('OK'); // liveness stays where the ingress probes it
  });

  it('serves no readiness route unless asked', async () => {
    const app = await booter.boot(appModule(stack, {}));
    expect((await request(app.getHttpServer()).get('/ready')).text).toBe('caught');
  });

  it("is up under terminus' HealthCheckService while ready", async () => {
    const app = await booter.boot(appModule(stack, {}));
    const res = await request(app.getHttpServer()).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', info: { apikit: { status: 'up' } }, error: {}, details: { apikit: { status: 'up' } } });
  });

  it('answers 503 store_degraded (and terminus 503) while Redis is away, ready again once it is back', async () => {
    const app = await booter.boot(appModule(stack, { readiness: '/ready' }, redis));
    const server = app.getHttpServer();
    expect((await request(server).get('/work').set('Authorization', basic(newUser(), PASSWORD))).status).toBe(200);
    expect((await request(server).get('/ready')).body).toEqual(READY);

    await redis.kill();
    try {
      // A login asks Redis first: it finds it away, and answers from local state.
      expect((await request(server).get('/work').set('Authorization', basic(newUser(), PASSWORD))).status).toBe(200);
      const degraded = await request(server).get('/ready');
      expect([degraded.status, degraded.body]).toEqual([503, notReady('store_degraded')]);
      const health = await request(server).get('/health');
      expect(health.status).toBe(503);
      expect(health.body.error).toEqual({ apikit: { status: 'down', reasons: ['store_degraded'] } });
    } finally {
      await redis.restart();
    }
    // The client reconnects within its back-off (2 s at most); the next command (a login) finds Redis back.
    await eventually(async () => {
      await request(server).get('/work').set('Authorization', basic(newUser(), PASSWORD));
      return (await request(server).get('/ready')).status === 200;
    });
    expect((await request(server).get('/health')).status).toBe(200);
  }, 30_000);

  it('keeps serving through shutdownDelayMs, readiness 503, the Redis store still up; then stops accepting', async () => {
    const app = await booter.create(appModule(stack, { readiness: '/ready', shutdownDelayMs: 3_000 }, redis));
    const origin = await listening(app);
    expect((await onNewConnection(origin, '/ready')).body).toEqual(READY);

    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await eventually(async () => (await onNewConnection(origin, '/ready')).status === 503, 20);
    // Within the delay: new connections are accepted, every route answers as usual.
    expect(await onNewConnection(origin, '/ready')).toEqual({ status: 503, body: notReady('shutting_down') });
    expect(await onNewConnection(origin, '/ping')).toEqual({ status: 200, body: 'pong' });
    const work = await onNewConnection(origin, '/work', { authorization: basic(newUser(), PASSWORD) });
    expect(work.status).toBe(200);
    // That login went through Redis, which is still connected: the store is not degraded.
    expect((await onNewConnection(origin, '/ready')).body).toEqual(notReady('shutting_down'));
    const health = await onNewConnection(origin, '/health');
    expect(health.status).toBe(503);
    expect((health.body as { error: unknown }).error).toEqual({ apikit: { status: 'down', reasons: ['shutting_down'] } });
    expect(closed).toBe(false);

    await closing;
    await expect(onNewConnection(origin, '/ping')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 30_000);

  it("answers terminus' 503 in apikit's body under errorBody: 'apikit', as every error", async () => {
    const app = await booter.create(appModule(stack, { errorBody: 'apikit', shutdownDelayMs: 2_000 }));
    const origin = await listening(app);
    const closing = app.close();
    await eventually(async () => (await onNewConnection(origin, '/health')).status === 503, 15);
    expect(await onNewConnection(origin, '/health')).toEqual({ status: 503, body: { reason: 'Service Unavailable', status_code: 503, error_content: '' } });
    await closing;
  }, 30_000);

  it('closes at once without a delay, as before', async () => {
    const app = await booter.create(appModule(stack, { readiness: '/ready' }));
    const origin = await listening(app);
    expect((await onNewConnection(origin, '/ready')).status).toBe(200);
    // Bounded far below any delay: nothing waits.
    await Promise.race([app.close(), new Promise((_, reject) => setTimeout(() => reject(new Error('app.close() waited')), 2_000))]);
    await expect(onNewConnection(origin, '/ping')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
