import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { BitlyProxySession } from '../lib/index.js';
import { simulatedMetricValue, startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createBackendAuthApp, createProxyApp, echoingBackendHandler, startPlainBackend } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';


describe.each(ADAPTERS)('backend auth strategies on %s', (_name, createAdapter) => {
  describe('bitly-proxy', () => {
    let stack: SimulatedStack;
    let app: INestApplication;

    beforeAll(async () => {
      stack = await startSimulatedStack({
        users: [
          { login: 'alice', password: 'alice-pw' },
          { login: 'bob', password: 'bob-pw' },
        ],
        backendHandler: echoingBackendHandler,
      });
      app = await createProxyApp(createAdapter, stack);
    });
    afterAll(async () => {
      await app?.close();
      await stack?.stop();
    });
    beforeEach(() => stack.stats.reset());

    it('logs in through GitHub once and serves the backend answer as the caller', async () => {
      const server = app.getHttpServer();
      const first = await request(server).get('/t/metric/myjob/mymetric').set('Authorization', basic('alice', 'alice-pw'));
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ value: simulatedMetricValue('myjob', 'mymetric') });
      const second = await request(server).get('/t/whoami').set('Authorization', basic('alice', 'alice-pw'));
      expect(second.body.user).toBe('alice');
      expect(stack.stats.signIns('alice')).toBe(1);
      expect(stack.stats.backendLog.map((entry) => entry.user)).toEqual(['alice', 'alice']);
    });

    it('acts for each caller with its own session', async () => {
      const server = app.getHttpServer();
      const [a, b] = await Promise.all([
        request(server).get('/t/whoami').set('Authorization', basic('alice', 'alice-pw')),
        request(server).get('/t/whoami').set('Authorization', basic('bob', 'bob-pw')),
      ]);
      expect([a.body.user, b.body.user]).toEqual(['alice', 'bob']);
    });

    it('re-logs in once when the proxy session expired and the call succeeds; the POST body is replayed', async () => {
      const server = app.getHttpServer();
      await request(server).get('/t/whoami').set('Authorization', basic('bob', 'bob-pw')).expect(200);
      const before = stack.stats.signIns('bob');
      stack.expireSessions();
      const res = await request(server).post('/t/echo').set('Authorization', basic('bob', 'bob-pw')).send({ n: 42 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ user: 'bob', body: '{"n":42}' });
      expect(stack.stats.signIns('bob')).toBe(before + 1);
    });

    it('forwards the inbound X-Request-Id to the backend and returns it', async () => {
      const res = await request(app.getHttpServer())
        .get('/t/whoami')
        .set('Authorization', basic('alice', 'alice-pw'))
        .set('X-Request-Id', 'trace-123.abc');
      expect(res.headers['x-request-id']).toBe('trace-123.abc');
      expect(res.body.requestId).toBe('trace-123.abc');
      expect(stack.stats.backendLog.at(-1)?.requestId).toBe('trace-123.abc');
    });

    it('replaces an unsafe inbound X-Request-Id with a generated one, used on both sides', async () => {
      const res = await request(app.getHttpServer())
        .get('/t/whoami')
        .set('Authorization', basic('alice', 'alice-pw'))
        .set('X-Request-Id', 'bad id "with" spaces');
      const id = res.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.requestId).toBe(id);
    });

    it('returns X-Request-Id on error responses too', async () => {
      const res = await request(app.getHttpServer()).get('/t/whoami').set('X-Request-Id', 'err-1');
      expect(res.status).toBe(401);
      expect(res.headers['x-request-id']).toBe('err-1');
    });

    it('offers session.as(credentials) outside requests, and refuses calls with no caller', async () => {
      const session = app.get(BitlyProxySession);
      const res = await session.as({ username: 'bob', password: 'bob-pw' }).get(`${stack.proxyUrl}/whoami`);
      expect(res.json()).toMatchObject({ user: 'bob' });
      await expect(session.get(`${stack.proxyUrl}/whoami`)).rejects.toThrow(/no caller to act for.*as\(/);
    });
  });

  describe('bitly-proxy with a split session cookie (_oauth2_proxy_0, _1...)', () => {
    let stack: SimulatedStack;
    let app: INestApplication;
    beforeAll(async () => {
      stack = await startSimulatedStack({ splitSessionCookie: true });
      app = await createProxyApp(createAdapter, stack);
    });
    afterAll(async () => {
      await app?.close();
      await stack?.stop();
    });

    it('recognises the split cookie as a successful login', async () => {
      const res = await request(app.getHttpServer()).get('/t/metric/j/m').set('Authorization', basic('demo', 'demo'));
      expect(res.status).toBe(200);
      expect(res.body.value).toBe(simulatedMetricValue('j', 'm'));
      expect(stack.stats.signIns('demo')).toBe(1);
    });
  });

  describe('basic and none', () => {
    let backend: Awaited<ReturnType<typeof startPlainBackend>>;
    let basicApp: INestApplication;
    let noneApp: INestApplication;
    beforeAll(async () => {
      backend = await startPlainBackend();
      basicApp = await createBackendAuthApp(createAdapter, { auth: { type: 'basic', data: {} }, backendUrl: backend.url });
      noneApp = await createBackendAuthApp(createAdapter, { auth: 'none', backendUrl: backend.url });
    });
    afterAll(async () => {
      await basicApp?.close();
      await noneApp?.close();
      await backend?.stop();
    });

    it('basic forwards the caller credentials to the backend', async () => {
      const auth = basic('carol', 'token:with:colons');
      const res = await request(basicApp.getHttpServer()).get('/t/whoami').set('Authorization', auth).set('X-Request-Id', 'basic-1');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ authorization: auth, requestId: 'basic-1' });
    });

    it('basic hands a backend 401 to the caller code (no retry)', async () => {
      const before = backend.seen.length;
      const res = await request(basicApp.getHttpServer()).get('/t/whoami').set('Authorization', basic('refused', 'refused'));
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ reason: 'Unauthorized', status_code: 401 });
      expect(backend.seen.length - before).toBe(1);
    });

    it('basic demands an Authorization header', async () => {
      const res = await request(basicApp.getHttpServer()).get('/t/whoami');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="backend-auth-test"');
    });

    it('none needs no Authorization and sends none', async () => {
      const res = await request(noneApp.getHttpServer()).get('/t/whoami');
      expect(res.status).toBe(200);
      expect(res.body.authorization).toBeUndefined();
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    });
  });

  describe('boot check', () => {
    it.each([
      ['no data.endpoint', {}],
      ['a relative endpoint', { endpoint: '/oauth2/start' }],
      ['a non-http endpoint', { endpoint: 'ftp://host/oauth2/start' }],
    ])('fails at boot for bitly-proxy with %s when @UseBackendAuth() is used', async (_what, data) => {
      await expect(
        createBackendAuthApp(createAdapter, { auth: { type: 'bitly-proxy', data }, backendUrl: 'http://127.0.0.1:9' }),
      ).rejects.toThrow(/auth\.data\.endpoint/);
    });
  });
});
