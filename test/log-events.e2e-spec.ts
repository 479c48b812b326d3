// Structured log lines (issue 24): the library's events with their fields, the debug lines under
// LOGLEVEL=DEBUG (and none without), the access log, the boot line, a Redis store going away, on both
// adapters, captured through ApiKitLogger's `destination`. No line holds a password, a code or a cookie.
import 'reflect-metadata';
import { ConsoleLogger, type INestApplication } from '@nestjs/common';
import { connect } from 'node:net';
import request from 'supertest';
import { ApiKitLogger } from '../lib/index.js';
import type { BackendSessionOptions } from '../lib/index.js';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS, type AdapterFactory } from './fixtures/e2e-app.fixture.js';
import { type RedisServer, startRedisServer } from './fixtures/redis-server.fixture.js';

const PASSWORD = 'planted-password-7f3a';
const WRONG_PASSWORD = 'planted-wrong-password-c91e';
const SECRET = 'log-events-secret-0123456789abcdef0123';

interface Line {
  level: string;
  logger: string;
  event: string;
  message?: string;
  [field: string]: unknown;
}

/** An ApiKitLogger writing to memory: every line parsed, and the raw text to search for secrets. */
function capturedLogger(env: Record<string, string>): { logger: ApiKitLogger; lines(): Line[]; text(): string } {
  const written: string[] = [];
  const logger = new ApiKitLogger({ env, destination: { write: (line: string) => void written.push(line) } });
  const text = () => written.join('');
  return { logger, text, lines: () => text().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Line) };
}

const DEBUG_EVENTS = ['pool.lookup', 'backend.call', 'login.page'];

/** Nest's own ConsoleLogger, its printed text kept rather than written to stdout. */
class KeptConsoleLogger extends ConsoleLogger {
  readonly printed: string[] = [];
  protected override printMessages(messages: unknown[]): void {
    this.printed.push(...messages.map((message) => (typeof message === 'string' ? message : `not one line: ${JSON.stringify(message)}`)));
  }
}

describe.each(ADAPTERS)('log events on %s', (_name, createAdapter: AdapterFactory) => {
  let stack: SimulatedStack;
  const apps: INestApplication[] = [];
  let userCount = 0;

  const addUser = (twoFactor = false): string => {
    const login = `logs${++userCount}`;
    stack.addUser({ login, password: PASSWORD, twoFactor });
    return login;
  };
  const boot = async (env: Record<string, string>, accessLog: boolean, backend: BackendSessionOptions = {}) => {
    const captured = capturedLogger(env);
    const app = await createProxyApp(createAdapter, stack, { logger: captured.logger, accessLog, backend: { addressThrottle: { maxFailures: 0 }, ...backend } });
    apps.push(app);
    return { app, ...captured };
  };
  const call = (app: INestApplication, login: string, password: string, requestId: string, otp?: string) => {
    const req = request(app.getHttpServer()).get('/t/metric/job/metric?private-query=1').set('Authorization', basic(login, password)).set('X-Request-Id', requestId);
    return otp === undefined ? req : req.set('X-GitHub-OTP', otp);
  };
  const ofRequest = (lines: Line[], requestId: string) => lines.filter((line) => line.requestId === requestId);

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [] });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await stack?.stop();
  });

  describe('with LOGLEVEL=DEBUG and accessLog: true', () => {
    let app: INestApplication;
    let lines: () => Line[];
    let text: () => string;
    beforeAll(async () => {
      ({ app, lines, text } = await boot({ LOGLEVEL: 'DEBUG' }, true));
    });

    it('writes one apikit.started line saying what the module set up', () => {
      const started = lines().filter((line) => line.event === 'apikit.started');
      expect(started).toEqual([
        expect.objectContaining({
          level: 'info',
          logger: 'ApiKit',
          message: 'ApiKit is set up',
          service: 'backend-auth-test',
          metadataRoutes: ['/metadata', '/metadata.json', '/v1.0/metadata', '/v1.0/metadata.json'],
          healthRoute: '/',
          auth: 'bitly-proxy',
          store: 'memory',
          githubOrigin: new URL(stack.githubUrl).origin,
          errorBody: 'nest',
          metrics: false,
          tracing: false,
          accessLog: true,
          debugLines: true,
        }),
      ]);
    });

    it('logs a successful login with its facts as fields, the debug lines of the request, and its access line', async () => {
      const user = addUser();
      expect((await call(app, user, PASSWORD, 'req-ok-1')).status).toBe(200);
      const first = ofRequest(lines(), 'req-ok-1');
      expect(first.map((line) => line.event)).toEqual(expect.arrayContaining(['login.started', 'login.succeeded', 'pool.lookup', 'login.page', 'backend.call', 'request.completed']));
      expect(first.find((line) => line.event === 'login.succeeded')).toMatchObject({
        level: 'info',
        logger: 'BitlyProxySession',
        message: 'Logged in through GitHub',
        user,
        outcome: 'success',
        durationMs: expect.any(Number),
      });
      expect(first.find((line) => line.event === 'pool.lookup')).toMatchObject({ level: 'debug', result: 'miss' });
      expect(first.filter((line) => line.event === 'login.page').map((line) => line.kind)).toContain('login');
      expect(first.find((line) => line.event === 'backend.call')).toMatchObject({
        level: 'debug',
        method: 'GET',
        url: `${new URL(stack.proxyUrl).origin}/api`,
        status: 200,
        durationMs: expect.any(Number),
      });
      expect(first.find((line) => line.event === 'request.completed')).toMatchObject({
        level: 'info',
        method: 'GET',
        path: '/t/metric/job/metric',
        status: 200,
        user,
        durationMs: expect.any(Number),
      });

      expect((await call(app, user, PASSWORD, 'req-ok-2')).status).toBe(200);
      const second = ofRequest(lines(), 'req-ok-2');
      expect(second.find((line) => line.event === 'pool.lookup')).toMatchObject({ result: 'hit' });
      expect(second.map((line) => line.event)).not.toContain('login.started');
    });

    it('logs a wrong password as login.failed (warning, outcome wrong_password), and no user on its 401 access line', async () => {
      const user = addUser();
      expect((await call(app, user, WRONG_PASSWORD, 'req-wrong')).status).toBe(401);
      const logged = ofRequest(lines(), 'req-wrong');
      expect(logged.find((line) => line.event === 'login.failed')).toMatchObject({
        level: 'warning',
        message: 'The login through GitHub failed',
        user,
        outcome: 'wrong_password',
        status: 401,
      });
      const access = logged.find((line) => line.event === 'request.completed');
      expect(access).toMatchObject({ status: 401 });
      expect(access).not.toHaveProperty('user');
    });

    it('logs a code required, then the code submitted and the login that succeeds with it', async () => {
      const user = addUser(true);
      const asked = await call(app, user, PASSWORD, 'req-code-1');
      expect(asked.headers['x-github-otp']).toBe('required; app');
      expect(ofRequest(lines(), 'req-code-1').find((line) => line.event === 'login.code_required')).toMatchObject({
        level: 'info',
        user,
        outcome: 'code_required',
        code: 'app',
      });
      const code = stack.twoFactorCode(user)!;
      expect((await call(app, user, PASSWORD, 'req-code-2', code)).status).toBe(200);
      expect(ofRequest(lines(), 'req-code-2').map((line) => line.event)).toEqual(expect.arrayContaining(['login.code_submitted', 'login.succeeded']));
      expect(text()).not.toContain(code);
    });

    it('logs the metadata and health routes and 404s in the access log, without their query', async () => {
      await request(app.getHttpServer()).get('/metadata?x=private-query').set('X-Request-Id', 'req-meta').expect(200);
      await request(app.getHttpServer()).get('/').expect(200);
      await request(app.getHttpServer()).get('/nowhere?x=private-query').expect(404);
      const access = lines().filter((line) => line.event === 'request.completed');
      expect(access).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ method: 'GET', path: '/metadata', status: 200 }),
          expect.objectContaining({ method: 'GET', path: '/', status: 200 }),
          expect.objectContaining({ method: 'GET', path: '/nowhere', status: 404 }),
        ]),
      );
    });

    it("logs an absolute-form target's path only: never its userinfo (a password) nor its authority", async () => {
      // Node hands such a request-target to the routers as it came (`http://user:password@host/path`): the access
      // line logged it whole, the password in userinfo included.
      await app.listen(0, '127.0.0.1');
      const { port } = new URL(await app.getUrl());
      const target = `http://logs-absolute:${PASSWORD}@internal.example:8443/t/metric/job/metric?private-query=1`;
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(`GET ${target} HTTP/1.1\r\nHost: internal.example\r\nX-Request-Id: req-absolute\r\nConnection: close\r\n\r\n`));
        socket.on('data', () => undefined).once('close', () => resolve()).once('error', reject);
      });
      for (let i = 0; i < 50 && ofRequest(lines(), 'req-absolute').length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(ofRequest(lines(), 'req-absolute')).toEqual([expect.objectContaining({ event: 'request.completed', path: '/t/metric/job/metric' })]);
      expect(text()).not.toContain('internal.example');
    });

    it('writes no password, no credentials header, no cookie and no query in any line, and no username in any sentence', () => {
      const all = text();
      for (const secret of [PASSWORD, WRONG_PASSWORD, 'private-query', '_oauth2_proxy', 'Basic ', Buffer.from(`:${PASSWORD}`).toString('base64').slice(4)]) {
        expect(all).not.toContain(secret);
      }
      for (const line of lines()) expect(String(line.message ?? '')).not.toMatch(/logs\d/);
    });
  });

  describe('with LOGLEVEL=INFO and no accessLog', () => {
    it('writes the events but no debug line and no access line', async () => {
      const { app, lines } = await boot({ LOGLEVEL: 'INFO' }, false);
      const user = addUser();
      expect((await call(app, user, PASSWORD, 'req-info')).status).toBe(200);
      const events = lines().map((line) => line.event);
      expect(events).toEqual(expect.arrayContaining(['apikit.started', 'login.succeeded']));
      for (const event of [...DEBUG_EVENTS, 'request.completed']) expect(events).not.toContain(event);
      expect(lines().find((line) => line.event === 'apikit.started')).toMatchObject({ accessLog: false, debugLines: false });
    });
  });

  describe("with Nest's ConsoleLogger", () => {
    it('prints each event as one readable line: the sentence, then the event and fields as JSON', async () => {
      const logger = new KeptConsoleLogger();
      const app = await createProxyApp(createAdapter, stack, { logger, backend: { addressThrottle: { maxFailures: 0 } } });
      apps.push(app);
      const user = addUser();
      expect((await call(app, user, PASSWORD, 'req-console')).status).toBe(200);
      const line = logger.printed.find((text) => text.startsWith('Logged in through GitHub '));
      expect(JSON.parse(line!.slice('Logged in through GitHub '.length))).toMatchObject({ event: 'login.succeeded', requestId: 'req-console', user, outcome: 'success' });
      expect(logger.printed.filter((text) => text.includes('"event":"apikit.started"'))).toHaveLength(1);
      expect(logger.printed.join('\n')).not.toContain('not one line');
      expect(logger.printed.join('\n')).not.toContain(PASSWORD);
    });
  });

  describe('with the Redis store', () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(() => redis?.stop());

    it('says at boot that Redis answered (host and port only), and logs store.degraded when it goes away', async () => {
      const { app, lines, text } = await boot({ LOGLEVEL: 'INFO' }, false, { store: { type: 'redis', url: redis.url }, secret: SECRET });
      expect(lines().find((line) => line.event === 'apikit.started')).toMatchObject({ store: 'redis', redis: `127.0.0.1:${redis.port}`, storeAnswered: true });
      await redis.stop();
      try {
        expect((await call(app, addUser(), PASSWORD, 'req-degraded')).status).toBe(200);
        expect(lines().find((line) => line.event === 'store.degraded')).toMatchObject({
          level: 'warning',
          logger: 'BitlyProxySession',
          message: 'Redis is unavailable: sessions, throttles and login budgets are per replica until it returns',
          error: expect.any(String),
        });
      } finally {
        await redis.restart();
      }
      expect(text()).not.toContain(SECRET);
    });
  });

  it('logs shutdown.delaying with the delay as a field when a SIGTERM starts shutdownDelayMs', async () => {
    const captured = capturedLogger({ LOGLEVEL: 'INFO' });
    const app = await createProxyApp(createAdapter, stack, { logger: captured.logger, shutdownDelayMs: 50 });
    await app.close();
    expect(captured.lines().filter((line) => line.event === 'shutdown.delaying')).toEqual([
      expect.objectContaining({
        level: 'info',
        logger: 'ApiKit',
        message: 'Shutting down: serving on for shutdownDelayMs, the readiness route answering 503, then draining',
        durationMs: 50,
      }),
    ]);
  });
});
