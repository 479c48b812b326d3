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

    // Replica 0 still holds the waiting login it started, which Redis says ended (replica 1 took it): GitHub no longer
    // holds it either. The code is not posted to it; a new login asks for one. No verdict, nothing counted.
    const again = await call(0, stack.twoFactorCode(login));
    expect([again.status, again.headers['x-github-otp']]).toEqual([401, 'required; app']);
    expect(again.body.error_content).not.toBe(REFUSED);
    expect(stack.stats.codePosts(login)).toBe(1);
    // The code completes the new login, on either replica.
    const done = await call(1, stack.twoFactorCode(login));
    expect(done.status).toBe(200);
    expect((await call(0, undefined, done.headers['x-apikit-device'] as string)).status).toBe(200);
    expect([stack.stats.failedLogins(login), stack.stats.failedCodes(login)]).toEqual([0, 0]);
  }, 20_000);
});

// A login waiting for its code is taken from Redis as a code comes for it, while Redis answers: removed only
// after the code's answer, the removal was lost when Redis failed meanwhile (the soak), and the other replicas
// found the completed login still waiting, asking callers for a code GitHub never sent.
describe.each(ADAPTERS)('a waiting login Redis loses sight of as its code is posted, on %s', (adapter, createAdapter) => {
  let stack: SimulatedStack;
  let redis: RedisServer;
  let redisRelay: FaultRelay;
  let github: FaultRelay;
  const replicas: INestApplication[] = [];
  const login = `emailed-${adapter}`;

  const replica = async () => {
    // A 3 s login time-out: a login lock whose release Redis lost holds no longer than that.
    const backend = { store: { type: 'redis' as const, url: `redis://127.0.0.1:${new URL(redisRelay.url).port}/0` }, secret: SECRET, loginTimeoutMs: 3_000 };
    replicas.push(await createProxyApp(createAdapter, stack, { backend }));
    return replicas.length - 1;
  };
  const call = (index: number, headers: Record<string, string> = {}) =>
    request(replicas[index].getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, PASSWORD)).set(headers);

  beforeAll(async () => {
    [redis, redisRelay, github] = await Promise.all([startRedisServer(), startFaultRelay(), startFaultRelay()]);
    redisRelay.forwardTo(`http://127.0.0.1:${redis.port}`);
    stack = await startSimulatedStack({ users: [{ login, password: PASSWORD, deviceVerification: true }], publicUrls: { github: github.url } });
    github.forwardTo(stack.serverUrls.github);
  });
  afterAll(async () => {
    await Promise.all(replicas.map((app) => app.close()));
    await stack?.stop();
    await Promise.all([github?.close(), redisRelay?.close()]);
    await redis?.stop();
  });

  it('asks another replica for a code only when GitHub sent one', async () => {
    const first = await replica();
    expect((await call(first)).headers['x-github-otp']).toBe('required; device-verification');
    const device = { 'X-ApiKit-Device': (await call(first, { 'X-GitHub-OTP': stack.emailedCode(login)! })).headers['x-apikit-device'] as string };
    // Redis restarted empty: a new replica logs the caller (its device token) in again, and GitHub emails a code.
    await redis.kill();
    await redis.restart();
    const second = await replica();
    expect((await call(second, device)).headers['x-github-otp']).toBe('required; device-verification');
    // Redis fails from the moment the code goes to GitHub: the login's writes after it are lost.
    github.onRequestBytes = (chunk) => {
      if (chunk.includes('POST /sessions/verified-device')) redisRelay.mode = 'reset';
    };
    expect((await call(second, { ...device, 'X-GitHub-OTP': stack.emailedCode(login)! })).status).toBe(200);
    github.onRequestBytes = undefined;
    redisRelay.mode = 'pass';
    // node-redis reconnects within its 2 s back-off; the login lock whose release was lost ends with the login time-out.
    await new Promise((resolve) => setTimeout(resolve, 3_200));

    // A third replica finds no session and no GitHub cookies: it logs in, and GitHub emails a code it asks for.
    const third = await replica();
    const asked = await call(third, device);
    expect([asked.status, asked.headers['x-github-otp']]).toEqual([401, 'required; device-verification']);
    const code = stack.emailedCode(login);
    expect(code).toBeDefined();
    expect((await call(third, { ...device, 'X-GitHub-OTP': code! })).status).toBe(200);
  }, 30_000);
});
