import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createHook } from 'node:async_hooks';
import { Client } from 'undici';
import { BackendCredentials } from '../lib/backend-auth/context/backend-credentials.js';
import { CallDeadline } from '../lib/backend-auth/http/call-deadline.js';
import { ProxySessionPool } from '../lib/backend-auth/pool/proxy-session.pool.js';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp, echoingBackendHandler } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const IDENTITIES = 50;
const REQUESTS_PER_IDENTITY = 4;

describe.each(ADAPTERS)('bitly-proxy session pool under concurrency on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  const users = Array.from({ length: IDENTITIES }, (_, i) => ({ login: `u${i}`, password: `secret-${i}` }));

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [...users, { login: 'solo', password: 'solo-pw' }], backendHandler: echoingBackendHandler });
    // One test client, one address, up to 100 first logins at once: the address bound (10 attempts in flight or
    // failed, backend-auth-login-safety) would hold most back; this suite is about the pool itself.
    app = await createProxyApp(createAdapter, stack, { backend: { addressThrottle: { maxFailures: 0 } } });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });

  it(`serves ${IDENTITIES} interleaved identities each as itself, with one login each`, async () => {
    const server = app.getHttpServer();
    // Round-robin order: every identity's requests are interleaved with all the others'.
    const calls = Array.from({ length: IDENTITIES * REQUESTS_PER_IDENTITY }, (_, n) => {
      const user = users[n % IDENTITIES];
      const requestId = `iso-${user.login}-${n}`;
      return request(server)
        .get('/t/whoami')
        .set('Authorization', basic(user.login, user.password))
        .set('X-Request-Id', requestId)
        .then((res) => ({ user, requestId, res }));
    });
    const results = await Promise.all(calls);

    const mismatches = results.filter(({ user, requestId, res }) => res.status !== 200 || res.body.user !== user.login || res.body.requestId !== requestId);
    expect(mismatches).toEqual([]);
    const backendMismatches = stack.stats.backendLog.filter((entry) => !entry.requestId?.startsWith(`iso-${entry.user}-`));
    expect(backendMismatches).toEqual([]);
    expect(stack.stats.backendLog).toHaveLength(IDENTITIES * REQUESTS_PER_IDENTITY);
    expect(stack.stats.logins()).toBe(IDENTITIES);
    for (const user of users) expect(stack.stats.logins(user.login)).toBe(1);
  });

  it('shares one login among 100 concurrent first requests of one identity (single flight)', async () => {
    const server = app.getHttpServer();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => request(server).get('/t/whoami').set('Authorization', basic('solo', 'solo-pw'))),
    );
    expect(results.map((res) => res.status)).toEqual(Array(100).fill(200));
    expect(results.every((res) => res.body.user === 'solo')).toBe(true);
    expect(stack.stats.logins('solo')).toBe(1);
  });

  it('finds a pooled session without making a timer, however far apart the calls come', async () => {
    await request(app.getHttpServer()).get('/t/whoami').set('Authorization', basic('u1', 'secret-1')).expect(200);
    const pool = app.get(ProxySessionPool);
    const credentials = new BackendCredentials('u1', 'secret-1');
    const startUrl = new URL(stack.startUrl);
    const deadline = new CallDeadline(60_000, 'The backend');
    let timers = 0;
    const hook = createHook({ init: (_id, type) => void (type === 'Timeout' && timers++) });
    try {
      // Lookups 2 ms apart: lru-cache's default remembers "now" for 1 ms and makes a timer to forget it.
      for (let call = 0; call < 20; call++) {
        hook.enable(); // around the synchronous lookup only: the app's sockets make timers of their own meanwhile
        const pooled = pool.acquire(credentials, startUrl, `r${call}`, deadline);
        hook.disable();
        expect(pooled).not.toBeInstanceOf(Promise);
        const waitedFrom = performance.now();
        while (performance.now() - waitedFrom < 2) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      hook.disable();
      deadline.dispose();
    }
    expect(timers).toBe(0);
  });

  it('keeps each request of one kept-alive connection to its own caller, and a route without @UseBackendAuth to none', async () => {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    // One connection, one request at a time: every request after the first arrives on the same socket.
    const client = new Client(`http://127.0.0.1:${port}`, { pipelining: 1 });
    const call = async (method: 'GET' | 'POST', path: string, authorization?: string) => {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      const body = method === 'POST' ? JSON.stringify({ from: authorization === undefined ? 'nobody' : 'caller' }) : undefined;
      if (body) headers['content-type'] = 'application/json';
      const res = await client.request({ method, path, headers, body });
      return { status: res.statusCode, body: (await res.body.json()) as { user?: string; error_content?: string } };
    };
    try {
      const served: Array<string | number | undefined> = [];
      for (const user of users.slice(0, 3)) {
        const guarded = await call('GET', '/t/whoami', basic(user.login, user.password));
        served.push(guarded.body.user);
        const posted = await call('POST', '/t/echo', basic(user.login, user.password));
        served.push(posted.body.user);
        // The previous request's caller must not leak into a route that declared none.
        const open = await call('GET', '/open/whoami');
        served.push(open.status);
      }
      expect(served).toEqual(['u0', 'u0', 500, 'u1', 'u1', 500, 'u2', 'u2', 500]);
      expect(stack.stats.backendLog.filter((entry) => entry.user === undefined)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
