// A stall towards GitHub is no verdict (issue 26, found by the soak): a two-factor code whose answer never
// came (GitHub took it and signed the user in, the answer stalled until the login timed out) must not leave
// the login waiting for a code. Posted again to it, a code met GitHub's login page, which the login read as
// "GitHub refused the username or password": a 401 blaming the caller, its identity held back, a failure
// counted against its username and address. Two replicas share Redis; the code goes to the other one, as a
// load balancer sends it.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';
import { startFaultRelay, type FaultRelay } from './fixtures/fault-relay.fixture.js';
import { type RedisServer, startRedisServer } from './fixtures/redis-server.fixture.js';

const SECRET = 'code-stall-replicas-share-this-secret-0123';
const PASSWORD = 'pw-stall-canary-7d1e';
const REFUSED = 'GitHub refused the username or password.';

describe.each(ADAPTERS)('a code whose answer stalled, on %s', (adapter, createAdapter) => {
  let stack: SimulatedStack;
  let redis: RedisServer;
  let github: FaultRelay;
  let replicas: INestApplication[];
  const login = `stalled-${adapter}`;

  const call = (replica: number, code?: string, device?: string) => {
    const req = request(replicas[replica].getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, PASSWORD));
    if (code !== undefined) req.set('X-GitHub-OTP', code);
    if (device !== undefined) req.set('X-ApiKit-Device', device);
    return req;
  };

  beforeAll(async () => {
    [redis, github] = await Promise.all([startRedisServer(), startFaultRelay()]);
    stack = await startSimulatedStack({ users: [{ login, password: PASSWORD, twoFactor: 'app' }], publicUrls: { github: github.url } });
    github.forwardTo(stack.serverUrls.github);
    // A short login time-out: the stall outlasts it.
    const backend = { store: { type: 'redis' as const, url: redis.url }, secret: SECRET, loginTimeoutMs: 1_000 };
    replicas = [await createProxyApp(createAdapter, stack, { backend }), await createProxyApp(createAdapter, stack, { backend })];
  });
  afterAll(async () => {
    await Promise.all((replicas ?? []).map((app) => app.close()));
    await stack?.stop();
    await github?.close();
    await redis?.stop();
  });

  it('answers 504 for the stalled code, then asks for a code again (no refusal, nothing counted), and logs in with it', async () => {
    const asked = await call(0);
    expect([asked.status, asked.headers['x-github-otp']]).toEqual([401, 'required; app']);

    // Replica 1 posts the code (the waiting login, from Redis); GitHub signs the user in, its answer never comes.
    github.mode = 'hold-answers';
    const stalled = await call(1, stack.twoFactorCode(login));
    github.mode = 'pass';
    expect(stalled.status).toBe(504);
    expect(stack.stats.codePosts(login)).toBe(1);

    // Replica 0 still holds the waiting login it started: GitHub no longer does. No verdict, nothing counted.
    const again = await call(0, stack.twoFactorCode(login));
    expect([again.status, again.headers['x-github-otp']]).toEqual([401, 'required; app']);
    expect(again.body.error_content).not.toBe(REFUSED);
    // Either replica starts a new login, which asks for a code; the code completes it.
    const fresh = await call(1, stack.twoFactorCode(login));
    expect([fresh.status, fresh.headers['x-github-otp']]).toEqual([401, 'required; app']);
    const done = await call(0, stack.twoFactorCode(login));
    expect(done.status).toBe(200);
    expect((await call(1, undefined, done.headers['x-apikit-device'] as string)).status).toBe(200);
    expect([stack.stats.failedLogins(login), stack.stats.failedCodes(login)]).toEqual([0, 0]);
  }, 20_000);
});
