import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, CapturingLogger, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const CANARY = 'Canary-Pa55word-7f3e9c';

describe.each(ADAPTERS)('secret hygiene of the backend session on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  const logger = new CapturingLogger();
  const exposed: string[] = [];

  /** Records everything a response shows the caller. */
  const capture = (res: request.Response): request.Response => {
    exposed.push(JSON.stringify(res.headers), res.text ?? '', JSON.stringify(res.body ?? null));
    return res;
  };
  const call = async (login: string, password: string, query = '') =>
    capture(await request(app.getHttpServer()).get(`/t/metric/job/metric${query}`).set('Authorization', basic(login, password)));

  beforeAll(async () => {
    stack = await startSimulatedStack({
      users: [
        { login: 'canary', password: CANARY },
        { login: 'canary2fa', password: CANARY, twoFactor: true },
        { login: 'other', password: 'other-pw' },
      ],
    });
    app = await createProxyApp(createAdapter, stack, {
      backend: { loginTimeoutMs: 300, reloginIntervalMs: 0 },
      logger,
    });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });

  it('never shows the password, the Authorization header or the proxy cookie in logs, bodies or headers', async () => {
    expect((await call('canary', CANARY)).status).toBe(200);
    expect((await call('other', CANARY)).status).toBe(401); // the canary as a wrong password
    expect((await call('other', CANARY)).status).toBe(429); // throttled
    expect((await call('canary2fa', CANARY)).status).toBe(401);
    stack.expireSessions();
    Object.assign(stack.faults, { backendStatus: 403, backendStatusTimes: 2 });
    expect((await call('canary', CANARY)).status).toBe(403);
    stack.faults.githubDelayMs = 1000;
    stack.expireSessions();
    expect((await call('canary', CANARY)).status).toBe(504);
    stack.faults.githubDelayMs = 0;
    stack.faults.githubDown = true;
    expect((await call('canary', CANARY)).status).toBe(502);
    stack.faults.githubDown = false;
    const noColon = capture(
      await request(app.getHttpServer()).get('/t/metric/j/m').set('Authorization', `Basic ${Buffer.from(CANARY).toString('base64')}`),
    );
    expect(noColon.status).toBe(401);

    expect(logger.events).toContainEqual(expect.objectContaining({ event: 'login.succeeded', user: 'canary' }));
    expect(logger.events).toContainEqual(expect.objectContaining({ event: 'login.failed', user: 'other' }));
    const everything = [...logger.lines, ...exposed].join('\n');
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain(Buffer.from(`canary:${CANARY}`).toString('base64'));
    expect(everything).not.toContain(Buffer.from(CANARY).toString('base64'));
    expect(everything).not.toMatch(/_oauth2_proxy(_\d+)?=/);
  });

  it('keeps the password out of throttle answers, budget refusals and redirect refusals too', async () => {
    const strict = await createProxyApp(createAdapter, stack, {
      backend: { loginTimeoutMs: 300, timeoutMs: 1000, loginBudget: { maxConcurrent: 1, perMinute: 3 }, usernameThrottle: { maxFailures: 1 } },
      logger,
    });
    const strictCall = async (login: string) =>
      capture(await request(strict.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, CANARY)));
    try {
      stack.faults.loginFormAction = 'http://127.0.0.1:9/session';
      expect((await strictCall('canary')).status).toBe(502); // the form posts elsewhere: refused, nothing sent
      stack.faults.loginFormAction = undefined;
      expect((await strictCall('other')).status).toBe(401);
      expect((await strictCall('OTHER')).status).toBe(429); // the username throttle, whatever the case
      expect((await strictCall('nobody')).status).toBe(401); // the third login of the minute: the budget is spent
      const statuses = (await Promise.all(['a', 'b', 'c'].map((name) => strictCall(`busy-${name}`)))).map((res) => res.status);
      expect(statuses).toEqual([503, 503, 503]);
    } finally {
      await strict.close();
    }
    const everything = [...logger.lines, ...exposed].join('\n');
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain(Buffer.from(CANARY).toString('base64'));
  });
});
