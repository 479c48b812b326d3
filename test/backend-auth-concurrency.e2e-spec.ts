import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
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
    app = await createProxyApp(createAdapter, stack);
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
});
