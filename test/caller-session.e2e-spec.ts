import 'reflect-metadata';
import { Body, Controller, Get, Inject, Injectable, Module, Param, Post, UseGuards, ValidationPipe, type CanActivate, type INestApplication } from '@nestjs/common';
import { IsInt } from 'class-validator';
import request from 'supertest';
import { ApiKitModule, BitlyProxySession, CallerSession, UseBackendAuth, type AuthOption, type BackendCaller } from '../lib/index.js';
import { callerContextStorage } from '../lib/backend-auth/context/caller-context.storage.js';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, echoingBackendHandler, startPlainBackend } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS, AppBooter } from './fixtures/e2e-app.fixture.js';

// @CallerSession(): the backend session handed to the route as a parameter, acting for the request's
// caller without AsyncLocalStorage. Every caller must still get its own identity, under concurrency too.

const BACKEND_URL = Symbol('BACKEND_URL');

/** An application's own asynchronous guard after ours: other requests run between the two. */
@Injectable()
class JitterGuard implements CanActivate {
  private turn = 0;
  async canActivate(): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, this.turn++ % 4));
    return true;
  }
}

class Job {
  @IsInt()
  n!: number;
}

@Controller('explicit')
class ExplicitController {
  constructor(@Inject(BACKEND_URL) private readonly url: string) {}

  @Get('whoami')
  async whoami(@CallerSession() backend: BackendCaller) {
    const res = await backend.get(`${this.url}/whoami`);
    return { status: res.status, backend: res.json(), slotOpen: callerContextStorage.getStore() !== undefined };
  }

  @Get('whoami-after-jitter')
  @UseGuards(JitterGuard)
  async whoamiAfterJitter(@CallerSession() backend: BackendCaller) {
    return (await backend.get(`${this.url}/whoami`)).json();
  }

  /** Two calls of one request: both carry its request id. */
  @Get('twice/:tag')
  async twice(@Param('tag') tag: string, @CallerSession() backend: BackendCaller) {
    const first = (await backend.get(`${this.url}/whoami`, { params: { tag } })).json();
    const second = (await backend.get(`${this.url}/whoami`, { params: { tag } })).json();
    return { first, second };
  }

  @Post('jobs')
  async create(@CallerSession() backend: BackendCaller, @Body(new ValidationPipe()) job: Job) {
    return (await backend.post(`${this.url}/echo`, job)).json();
  }
}

/** The implicit style beside it, in the same application. */
@Controller('implicit')
@UseBackendAuth()
class ImplicitController {
  constructor(
    private readonly backend: BitlyProxySession,
    @Inject(BACKEND_URL) private readonly url: string,
  ) {}

  @Get('whoami')
  async whoami() {
    return (await this.backend.get(`${this.url}/whoami`)).json();
  }
}

function appModule(auth: AuthOption, backendUrl: string, githubUrl: string | undefined, controllers: Array<new (...args: never[]) => unknown>) {
  @Module({
    imports: [
      ApiKitModule.forRoot({
        name: 'caller-session-test',
        version: '1.0.0',
        repository: 'https://example.test/repo',
        description: 'e2e of @CallerSession()',
        auth,
        backend: githubUrl === undefined ? undefined : { githubUrl },
      }),
    ],
    controllers,
    providers: [{ provide: BACKEND_URL, useValue: backendUrl }],
  })
  class CallerSessionTestModule {}
  return CallerSessionTestModule;
}

/** The hooks Fastify runs for the application's routes, by function name (`printRoutes` lists them). */
function fastifyHookNames(app: INestApplication): string {
  const fastify = app.getHttpAdapter().getInstance() as { printRoutes(options: { includeHooks: boolean }): string };
  return fastify.printRoutes({ includeHooks: true });
}

describe.each(ADAPTERS)('@CallerSession() on %s', (adapterName, createAdapter) => {
  describe('bitly-proxy', () => {
    let stack: SimulatedStack;
    const booter = new AppBooter(createAdapter);
    let explicitOnly: INestApplication;
    let mixed: INestApplication;

    beforeAll(async () => {
      stack = await startSimulatedStack({
        users: [
          { login: 'alice', password: 'alice-pw' },
          { login: 'bob', password: 'bob-pw' },
          { login: 'carol', password: 'carol-pw' },
        ],
        backendHandler: echoingBackendHandler,
      });
      const auth: AuthOption = { type: 'bitly-proxy', data: { endpoint: stack.startUrl } };
      explicitOnly = await booter.boot(appModule(auth, stack.proxyUrl, stack.githubUrl, [ExplicitController]));
      mixed = await booter.boot(appModule(auth, stack.proxyUrl, stack.githubUrl, [ExplicitController, ImplicitController]));
    });
    afterAll(async () => {
      await booter.closeAll();
      await stack?.stop();
    });
    beforeEach(() => stack.stats.reset());

    it('calls the backend as the caller, logging in once, with no AsyncLocalStorage slot opened', async () => {
      const server = explicitOnly.getHttpServer();
      for (let i = 0; i < 2; i++) {
        const res = await request(server).get('/explicit/whoami').set('Authorization', basic('alice', 'alice-pw'));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 200, backend: { user: 'alice' }, slotOpen: false });
      }
      expect(stack.stats.logins('alice')).toBe(1);
      expect(explicitOnly.get(BitlyProxySession).requestCallersUsed).toBe(false);
    });

    // Fastify runs every hook through its hook runner on each request: none is installed where none is needed.
    // (Express has no hook to look at: its one middleware is covered by `slotOpen: false` above.)
    if (adapterName === 'fastify') {
      it('adds no per-request hook for caller slots to an application without @UseBackendAuth() routes', () => {
        expect(fastifyHookNames(explicitOnly)).not.toContain('openCallerSlot');
        expect(fastifyHookNames(mixed)).toContain('openCallerSlot');
      });
    }

    it('keeps every caller apart under concurrency: 60 interleaved requests of 3 identities, with an async guard between', async () => {
      const server = explicitOnly.getHttpServer();
      const users = ['alice', 'bob', 'carol'];
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) => users[i % 3]).map(async (user) => {
          const res = await request(server).get('/explicit/whoami-after-jitter').set('Authorization', basic(user, `${user}-pw`));
          return [user, res.body.user] as const;
        }),
      );
      for (const [sent, servedAs] of answers) expect(servedAs).toBe(sent);
    });

    it('sends every call of a request with its X-Request-Id, and echoes it', async () => {
      const res = await request(explicitOnly.getHttpServer())
        .get('/explicit/twice/t1')
        .set('Authorization', basic('bob', 'bob-pw'))
        .set('X-Request-Id', 'trace-explicit-1');
      expect(res.headers['x-request-id']).toBe('trace-explicit-1');
      expect(res.body.first).toMatchObject({ user: 'bob', requestId: 'trace-explicit-1' });
      expect(res.body.second).toMatchObject({ user: 'bob', requestId: 'trace-explicit-1' });
    });

    it('answers 401 with the realm and a request id before the body is validated or the backend called', async () => {
      const before = stack.stats.backendLog.length;
      const res = await request(explicitOnly.getHttpServer()).post('/explicit/jobs').send({ n: 'not a number' });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="caller-session-test"');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(stack.stats.backendLog.length).toBe(before);
    });

    it('validates the body of an authenticated caller, then sends it', async () => {
      const server = explicitOnly.getHttpServer();
      const bad = await request(server).post('/explicit/jobs').set('Authorization', basic('carol', 'carol-pw')).send({ n: 'x' });
      expect(bad.status).toBe(400);
      const good = await request(server).post('/explicit/jobs').set('Authorization', basic('carol', 'carol-pw')).send({ n: 7 });
      expect(good.status).toBe(201);
      expect(good.body).toMatchObject({ user: 'carol', body: '{"n":7}' });
    });

    it('lives beside @UseBackendAuth() in one application, each route acting for its own caller', async () => {
      const server = mixed.getHttpServer();
      const [explicit, implicit] = await Promise.all([
        request(server).get('/explicit/whoami').set('Authorization', basic('alice', 'alice-pw')),
        request(server).get('/implicit/whoami').set('Authorization', basic('bob', 'bob-pw')),
      ]);
      expect(explicit.body.backend.user).toBe('alice');
      expect(implicit.body.user).toBe('bob');
      expect(mixed.get(BitlyProxySession).requestCallersUsed).toBe(true);
    });
  });

  describe('basic and none', () => {
    const booter = new AppBooter(createAdapter);
    let backend: Awaited<ReturnType<typeof startPlainBackend>>;
    beforeAll(async () => {
      backend = await startPlainBackend();
    });
    afterAll(async () => {
      await booter.closeAll();
      await backend?.stop();
    });

    it('basic forwards the caller credentials as they came', async () => {
      const app = await booter.boot(appModule({ type: 'basic', data: {} }, backend.url, undefined, [ExplicitController]));
      const auth = basic('dave', 'pass:with:colons');
      const res = await request(app.getHttpServer()).get('/explicit/whoami').set('Authorization', auth).set('X-Request-Id', 'b-1');
      expect(res.body.backend).toEqual({ authorization: auth, requestId: 'b-1' });
      const missing = await request(app.getHttpServer()).get('/explicit/whoami');
      expect(missing.status).toBe(401);
    });

    it('none demands and sends no Authorization', async () => {
      const app = await booter.boot(appModule('none', backend.url, undefined, [ExplicitController]));
      const res = await request(app.getHttpServer()).get('/explicit/whoami');
      expect(res.status).toBe(200);
      expect(res.body.backend.authorization).toBeUndefined();
    });
  });

  it('fails at boot for bitly-proxy without data.endpoint', async () => {
    const booter = new AppBooter(createAdapter);
    try {
      await expect(booter.boot(appModule({ type: 'bitly-proxy', data: {} }, 'http://127.0.0.1:9', undefined, [ExplicitController]))).rejects.toThrow(
        /auth\.data\.endpoint/,
      );
    } finally {
      await booter.closeAll();
    }
  });
});

describe('@CallerSession() misplaced', () => {
  it('refuses a constructor parameter', () => {
    expect(() => CallerSession()(class {}, undefined, 0)).toThrow(/route handler parameter/);
  });
});
