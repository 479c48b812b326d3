// X-Request-Id on every answer (issue 24): controller routes, 404s, errors under both error bodies, the
// metadata, health and metrics routes, HEAD too; @RequestId(), BackendCaller.requestId and the backend call
// all see the id the answer carries.
import 'reflect-metadata';
import { Body, Controller, ForbiddenException, Get, Inject, Post, Module, type INestApplication } from '@nestjs/common';
import { Registry } from 'prom-client';
import request from 'supertest';
import { ApiKitModule, BitlyProxySession, CallerSession, RequestId, UseBackendAuth, type BackendCaller, type ErrorBodyStyle } from '../lib/index.js';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, echoingBackendHandler } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS, AppBooter } from './fixtures/e2e-app.fixture.js';

const BACKEND_URL = Symbol('BACKEND_URL');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Routes without backend auth: the parameter works in any controller. */
@Controller('open')
class OpenController {
  @Get('id')
  id(@RequestId() requestId: string) {
    return { requestId };
  }

  @Get('boom')
  boom(): never {
    throw new Error('unexpected');
  }

  @Get('forbidden')
  forbidden(): never {
    throw new ForbiddenException('Not for you.');
  }

  @Post('items')
  create(@Body() item: object, @RequestId() requestId: string) {
    return { item, requestId };
  }
}

/** The backend as the caller, both ways: the parameter, the caller's `requestId` and what the backend got must agree. */
@Controller('backend')
class BackendController {
  constructor(
    private readonly session: BitlyProxySession,
    @Inject(BACKEND_URL) private readonly url: string,
  ) {}

  @Get('explicit')
  async explicit(@RequestId() requestId: string, @CallerSession() backend: BackendCaller) {
    const seen = (await backend.get(`${this.url}/whoami`)).json() as { requestId: string | null };
    return { requestId, callerRequestId: backend.requestId, backendSaw: seen.requestId };
  }

  @Get('implicit')
  @UseBackendAuth()
  async implicit(@RequestId() requestId: string) {
    const seen = (await this.session.get(`${this.url}/whoami`)).json() as { requestId: string | null };
    return { requestId, callerRequestId: this.session.requestId, backendSaw: seen.requestId };
  }

  /** Outside `@UseBackendAuth()` the injected session acts for no request: it has no request id of its own. */
  @Get('unbound')
  unbound() {
    return { callerRequestId: this.session.requestId ?? null, asRequestId: this.session.as({ username: 'x', password: 'y' }).requestId ?? null };
  }
}

function appModule(stack: SimulatedStack, errorBody: ErrorBodyStyle) {
  @Module({
    imports: [
      ApiKitModule.forRoot({
        name: 'request-id-test',
        version: '1.0.0',
        repository: 'https://example.test/repo',
        description: 'e2e of X-Request-Id',
        auth: { type: 'bitly-proxy', data: { endpoint: stack.startUrl } },
        backend: { githubUrl: stack.githubUrl },
        errorBody,
        metrics: { registry: new Registry() },
      }),
    ],
    controllers: [OpenController, BackendController],
    providers: [{ provide: BACKEND_URL, useValue: stack.proxyUrl }],
  })
  class RequestIdTestModule {}
  return RequestIdTestModule;
}

describe.each(ADAPTERS)('X-Request-Id on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  const booter = new AppBooter(createAdapter);
  const servers = new Map<ErrorBodyStyle, ReturnType<INestApplication['getHttpServer']>>();

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [{ login: 'alice', password: 'alice-pw' }], backendHandler: echoingBackendHandler });
    // The app's own CORS middleware, mounted ahead of the library's hooks, answers preflights by itself.
    for (const errorBody of ['nest', 'apikit'] as const) servers.set(errorBody, (await booter.boot(appModule(stack, errorBody), (app) => app.enableCors())).getHttpServer());
  });
  afterAll(async () => {
    await booter.closeAll();
    await stack?.stop();
  });

  const nest = () => servers.get('nest')!;

  it.each([
    ['a controller route', 'GET', '/open/id', 200],
    ['a controller route, HEAD', 'HEAD', '/open/id', 200],
    ['no route', 'GET', '/no/such/route', 404],
    ['no route, HEAD', 'HEAD', '/no/such/route', 404],
    ['the health check', 'GET', '/', 200],
    ['the health check, HEAD', 'HEAD', '/', 200],
    ['the metadata', 'GET', '/metadata', 200],
    ['the metadata, HEAD', 'HEAD', '/v1.0/metadata.json', 200],
    ['the metrics', 'GET', '/metrics', 200],
    ['credentials missing on a guarded route', 'GET', '/backend/explicit', 401],
  ])('echoes a sane inbound id on %s', async (_what, method, path, status) => {
    const inbound = `trace-${method}-${path.length}.a:b@c/d+e=f`;
    const res = await request(nest())[method === 'HEAD' ? 'head' : 'get'](path).set('X-Request-Id', inbound);
    expect(res.status).toBe(status);
    expect(res.headers['x-request-id']).toBe(inbound);
  });

  it.each(['nest', 'apikit'] as const)('echoes it on errors under errorBody %s: an HttpException and an unexpected throw', async (errorBody) => {
    const server = servers.get(errorBody)!;
    const forbidden = await request(server).get('/open/forbidden').set('X-Request-Id', 'err-403');
    expect([forbidden.status, forbidden.headers['x-request-id']]).toEqual([403, 'err-403']);
    const boom = await request(server).get('/open/boom').set('X-Request-Id', 'err-500');
    expect([boom.status, boom.headers['x-request-id']]).toEqual([500, 'err-500']);
    const missing = await request(server).get('/nothing/here');
    expect(missing.status).toBe(404);
    expect(missing.headers['x-request-id']).toMatch(UUID);
  });

  it.each(['nest', 'apikit'] as const)('echoes it on a body the parser refuses, under errorBody %s', async (errorBody) => {
    const res = await request(servers.get(errorBody)!).post('/open/items').set('content-type', 'application/json').set('X-Request-Id', 'bad-json-1').send('{nope');
    expect([res.status, res.headers['x-request-id']]).toEqual([400, 'bad-json-1']);
    const good = await request(servers.get(errorBody)!).post('/open/items').send({ n: 1 });
    expect(good.body).toEqual({ item: { n: 1 }, requestId: good.headers['x-request-id'] });
  });

  it('echoes it on a CORS preflight the app\'s own middleware answers', async () => {
    const res = await request(nest())
      .options('/open/id')
      .set('Origin', 'https://elsewhere.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('X-Request-Id', 'preflight-1');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['x-request-id']).toBe('preflight-1');
  });

  it.each([
    ['spaces', 'bad id with spaces'],
    ['a control character (a tab, the one an HTTP client sends)', 'bad\tid'],
    ['quotes', '"quoted"'],
    ['200 characters', 'a'.repeat(200)],
    ['nothing', ''],
  ])('replaces an insane inbound id (%s) with a fresh UUID, which the handler reads too', async (_what, inbound) => {
    const res = await request(nest()).get('/open/id').set('X-Request-Id', inbound);
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.body).toEqual({ requestId: res.headers['x-request-id'] });
  });

  it('gives each request without an id its own, the one @RequestId() reads', async () => {
    const [first, second] = await Promise.all([request(nest()).get('/open/id'), request(nest()).get('/open/id')]);
    expect(first.body.requestId).toBe(first.headers['x-request-id']);
    expect(second.body.requestId).toBe(second.headers['x-request-id']);
    expect(first.body.requestId).not.toBe(second.body.requestId);
  });

  it.each(['explicit', 'implicit'])('hands the same id to @RequestId(), the caller (%s) and the backend', async (style) => {
    const sent = await request(nest()).get(`/backend/${style}`).set('Authorization', basic('alice', 'alice-pw')).set('X-Request-Id', `rid-${style}`);
    expect(sent.status).toBe(200);
    expect(sent.headers['x-request-id']).toBe(`rid-${style}`);
    expect(sent.body).toEqual({ requestId: `rid-${style}`, callerRequestId: `rid-${style}`, backendSaw: `rid-${style}` });

    const fresh = await request(nest()).get(`/backend/${style}`).set('Authorization', basic('alice', 'alice-pw')).set('X-Request-Id', 'no good');
    const id = fresh.headers['x-request-id'];
    expect(id).toMatch(UUID);
    expect(fresh.body).toEqual({ requestId: id, callerRequestId: id, backendSaw: id });
  });

  it('has no request id on a caller that acts for no request', async () => {
    const res = await request(nest()).get('/backend/unbound');
    expect(res.body).toEqual({ callerRequestId: null, asRequestId: null });
  });
});
