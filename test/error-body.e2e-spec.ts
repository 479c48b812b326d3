import 'reflect-metadata';
import { Body, Controller, ForbiddenException, Get, INestApplication, Module, Post, ValidationPipe } from '@nestjs/common';
import { IsInt, IsString, Min } from 'class-validator';
import request from 'supertest';
import { ApiKitModule, BackendError, BitlyProxySession, CallerSession, UseBackendAuth, type ApiKitModuleOptions, type BackendCaller } from '../lib/index.js';
import { CapturingLogger } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS, AppBooter } from './fixtures/e2e-app.fixture.js';
import { startRecordingServer, type RecordingServer } from './fixtures/recording-server.fixture.js';

const SECRET_DETAIL = 'connection string postgres://svc:hunter2@db';

class NewItem {
  @IsString()
  name!: string;

  @IsInt()
  @Min(1)
  count!: number;
}

@Controller()
class FailingController {
  @Get('boom')
  boom(): never {
    throw new Error(SECRET_DETAIL);
  }

  @Get('thrown-string')
  thrownString(): never {
    throw 'not an Error';
  }

  @Get('forbidden')
  forbidden(): never {
    throw new ForbiddenException('Not for you.');
  }

  @Get('backend')
  backend(): never {
    throw new BackendError('Unauthorized', 401, 'Wrong password.', { 'WWW-Authenticate': 'Basic realm="t"' });
  }

  @Post('items')
  create(@Body(new ValidationPipe({ whitelist: true })) item: NewItem): NewItem {
    return item;
  }
}

/** The backend the guarded route calls before it fails: it records the request id the call carried. */
let backend: RecordingServer;

@Controller('guarded')
@UseBackendAuth()
class GuardedController {
  constructor(private readonly session: BitlyProxySession) {}

  @Get('boom')
  async boom(): Promise<never> {
    await this.session.get(`${backend.url}/work`);
    throw new Error(SECRET_DETAIL);
  }
}

/** The same route with the session as a parameter. */
@Controller('parameter')
class ParameterController {
  @Get('boom')
  async boom(@CallerSession() session: BackendCaller): Promise<never> {
    await session.get(`${backend.url}/work`);
    throw new Error(SECRET_DETAIL);
  }
}

const OPTIONS: ApiKitModuleOptions = { name: 'errors', version: '1', repository: 'https://example.test/r', description: 'd' };

function appModule(options: Partial<ApiKitModuleOptions>, async = false) {
  @Module({
    imports: [async ? ApiKitModule.forRootAsync({ useFactory: () => ({ ...OPTIONS, ...options }) }) : ApiKitModule.forRoot({ ...OPTIONS, ...options })],
    controllers: [FailingController, GuardedController, ParameterController],
  })
  class ErrorsModule {}
  return ErrorsModule;
}

describe.each(ADAPTERS)("errorBody: 'apikit' on %s", (_name, createAdapter) => {
  const booter = new AppBooter(createAdapter);
  const logger = new CapturingLogger();
  let server: ReturnType<INestApplication['getHttpServer']>;

  beforeAll(async () => {
    backend = await startRecordingServer();
    const app = await booter.create(appModule({ errorBody: 'apikit' }));
    app.useLogger(logger);
    await app.init();
    if (_name === 'fastify') await app.getHttpAdapter().getInstance().ready();
    server = app.getHttpServer();
  });
  afterAll(async () => {
    await booter.closeAll();
    await backend.close();
  });

  it("answers a route that does not exist with a 404 in apikit's body, naming the method but not the path", async () => {
    const res = await request(server).get('/no/such/route');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ reason: 'Not Found', status_code: 404, error_content: 'No route answers GET at this path.' });
  });

  it('answers an HttpException with its status, the reason phrase and its message', async () => {
    const res = await request(server).get('/forbidden');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ reason: 'Forbidden', status_code: 403, error_content: 'Not for you.' });
  });

  it("answers a ValidationPipe failure with a 400 listing every message", async () => {
    const res = await request(server).post('/items').send({ name: 7, count: 0 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      reason: 'Bad Request',
      status_code: 400,
      error_content: 'name must be a string; count must not be less than 1',
    });
    const ok = await request(server).post('/items').send({ name: 'bolt', count: 2 });
    expect(ok.status).toBe(201);
  });

  it('answers an unexpected throw with a generic 500 naming the request id, the details only in the log', async () => {
    const res = await request(server).get('/boom').set('X-Request-Id', 'req-boom-1');
    expect(res.status).toBe(500);
    expect(res.headers['x-request-id']).toBe('req-boom-1');
    expect(res.body).toEqual({
      reason: 'Internal Server Error',
      status_code: 500,
      error_content: 'An unexpected error occurred; it has been logged (request req-boom-1).',
    });
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toMatch(/\bat .*\.(?:ts|js)/);
    const logged = logger.lines.filter((line) => line.includes('req-boom-1'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(SECRET_DETAIL);
    expect(logged[0]).toContain('error-body.e2e-spec'); // the stack, for whoever reads the log
  });

  it('gives an unexpected throw without a sane request id a fresh one, and handles a thrown non-Error', async () => {
    const res = await request(server).get('/thrown-string').set('X-Request-Id', 'bad id with spaces');
    expect(res.status).toBe(500);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.error_content).toBe(`An unexpected error occurred; it has been logged (request ${id}).`);
  });

  it.each(['/guarded/boom', '/parameter/boom'])('names the request id the route guard settled, the one its backend calls carried, not a second one: %s', async (path) => {
    const res = await request(server).get(path);
    expect(res.status).toBe(500);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(backend.received.at(-1)?.headers['x-request-id']).toBe(id);
    expect(res.body.error_content).toBe(`An unexpected error occurred; it has been logged (request ${id}).`);
    expect(logger.lines.filter((line) => line.includes(id))).toHaveLength(1);
  });

  it('answers a BackendError as before, with its headers', async () => {
    const res = await request(server).get('/backend');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="t"');
    expect(res.body).toEqual({ reason: 'Unauthorized', status_code: 401, error_content: 'Wrong password.' });
  });
});

describe.each(ADAPTERS)('errorBody on %s, as forRootAsync gives it and by default', (_name, createAdapter) => {
  const booter = new AppBooter(createAdapter);
  afterAll(() => booter.closeAll());

  it("takes errorBody: 'apikit' from an async factory", async () => {
    const app = await booter.boot(appModule({ errorBody: 'apikit' }, true));
    const res = await request(app.getHttpServer()).get('/forbidden');
    expect(res.body).toEqual({ reason: 'Forbidden', status_code: 403, error_content: 'Not for you.' });
  });

  it("keeps Nest's own body for everything but BackendError by default", async () => {
    const app = await booter.boot(appModule({}));
    const server = app.getHttpServer();
    expect((await request(server).get('/forbidden')).body).toEqual({ statusCode: 403, message: 'Not for you.', error: 'Forbidden' });
    expect((await request(server).get('/nope')).body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((await request(server).get('/backend')).body).toEqual({ reason: 'Unauthorized', status_code: 401, error_content: 'Wrong password.' });
  });

  it('refuses an unknown errorBody at boot, naming the choices', async () => {
    await expect(booter.boot(appModule({ errorBody: 'xml' as never }))).rejects.toThrow('errorBody: expected one of "nest", "apikit", got a string');
  });
});
