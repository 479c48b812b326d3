import 'reflect-metadata';
import { Controller, Get, Inject, type INestApplication, Module, Param, type Type } from '@nestjs/common';
import request from 'supertest';
import { ApiKitModule, BitlyProxySession, UseBackendAuth } from '../lib/index.js';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, echoingBackendHandler } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS, AppBooter } from './fixtures/e2e-app.fixture.js';

const BACKEND_URL = Symbol('BACKEND_URL');
/** Short enough that a wedged connection pool shows as a 504 rather than a hung test. */
const TIMEOUT_MS = 1000;

/** A route that copies what its caller sent (path segments, decoded by Nest) into a backend header or method. */
@Controller('copy')
@UseBackendAuth()
class HeaderCopyingController {
  constructor(
    private readonly backend: BitlyProxySession,
    @Inject(BACKEND_URL) private readonly url: string,
  ) {}

  @Get('header/:name/:value')
  async header(@Param('name') name: string, @Param('value') value: string) {
    return (await this.backend.get(`${this.url}/whoami`, { headers: { [name]: value }, timeoutMs: TIMEOUT_MS })).json();
  }

  @Get('method/:method')
  async method(@Param('method') method: string) {
    return (await this.backend.request(method, `${this.url}/whoami`, { timeoutMs: TIMEOUT_MS })).json();
  }
}

function appModule(stack: SimulatedStack): Type {
  @Module({
    imports: [
      ApiKitModule.forRoot({
        name: 'bad-headers-test',
        version: '1.0.0',
        repository: 'https://example.test/repo',
        description: 'e2e of caller data copied into backend headers',
        auth: { type: 'bitly-proxy', data: { endpoint: stack.startUrl } },
        backend: { githubUrl: stack.githubUrl },
      }),
    ],
    controllers: [HeaderCopyingController],
    providers: [{ provide: BACKEND_URL, useValue: stack.proxyUrl }],
  })
  class BadHeadersModule {}
  return BadHeadersModule;
}

/** What a caller sends, the header the 400 must name, and what of it must never come back. */
interface BadCall {
  path: string;
  names: string;
  secret: string;
}

const BAD_CALLS: BadCall[] = [
  { path: '/copy/header/x-tag/snow%E2%98%83man', names: "'x-tag'", secret: 'snow' },
  { path: '/copy/header/x-tag/split%0D%0Aset-cookie%3A%20stolen', names: "'x-tag'", secret: 'stolen' },
  { path: '/copy/header/x-tag/nul%00byte', names: "'x-tag'", secret: 'byte' },
  { path: '/copy/header/transfer-encoding/chunked', names: "'transfer-encoding'", secret: 'chunked' },
  { path: '/copy/header/keep-alive/timeout%3D99', names: "'keep-alive'", secret: 'timeout' },
  { path: '/copy/header/upgrade/websocket', names: "'upgrade'", secret: 'websocket' },
  { path: '/copy/header/expect/100-continue', names: "'expect'", secret: '100-continue' },
  { path: '/copy/header/connection/close%2C%2Cx', names: "'connection'", secret: 'close' },
  { path: '/copy/header/x%20sneaky%3Aname/v', names: 'A header name', secret: 'sneaky' },
  { path: '/copy/method/G%20ET%20%2Fadmin', names: 'The method', secret: 'admin' },
];

describe.each(ADAPTERS)('backend headers copied from caller data on %s', (_name, createAdapter) => {
  const booter = new AppBooter(createAdapter);
  let stack: SimulatedStack;
  let app: INestApplication;
  const call = (path: string, login = 'demo') => request(app.getHttpServer()).get(path).set('Authorization', basic(login, login));

  beforeAll(async () => {
    stack = await startSimulatedStack({
      users: [
        { login: 'demo', password: 'demo' },
        { login: 'late', password: 'late' },
      ],
      backendHandler: echoingBackendHandler,
    });
    app = await booter.boot(appModule(stack));
  });
  afterAll(async () => {
    await booter.closeAll();
    await stack?.stop();
  });

  it('answers each bad header or method with a 400 naming it, never its value', async () => {
    await call('/copy/header/x-tag/fine').expect(200);
    for (const bad of BAD_CALLS) {
      const res = await call(bad.path);
      expect({ path: bad.path, status: res.status }).toEqual({ path: bad.path, status: 400 });
      expect(res.body.error_content).toContain(bad.names);
      expect(JSON.stringify(res.body)).not.toContain(bad.secret);
    }
  });

  it('keeps serving every caller, logins included, after 200 bad calls (they used to wedge the connection pool)', async () => {
    await call('/copy/header/x-tag/fine').expect(200);
    stack.stats.reset();
    // Far more refusals than the pool has connections per origin (64), a few at a time.
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(BAD_CALLS.flatMap((bad) => [call(bad.path), call(bad.path)]));
      expect(answers.map((res) => res.status)).toEqual(Array(2 * BAD_CALLS.length).fill(400));
    }
    expect(stack.stats.backendRequests()).toBe(0); // refused before anything left for the backend
    expect((await call('/copy/header/x-tag/fine')).status).toBe(200);
    const firstLogin = await call('/copy/header/x-tag/fine', 'late');
    expect(firstLogin.status).toBe(200);
    expect(firstLogin.body.user).toBe('late');
  });
});
