// A proxy session at its end (issue 26, found by the soak): the proxy counts a session's life from when it
// issued it and checks it as a call arrives, so a call sent in its last moments met the proxy's refusal.
// The pool no longer sends a session about to end; and a session that ended while a call was on its way
// logs in again whatever the re-login interval says: that refusal was no stale session. Before, the second
// such call within the interval gave the caller code the proxy's 403 sign-in page.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { simulatedMetricValue, startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';
import { startFaultRelay, type FaultRelay } from './fixtures/fault-relay.fixture.js';

const PASSWORD = 'session-end-pw-31c9';
/** Short sessions: the pool's margin is a tenth of that, 300 ms. */
const LIFETIME_MS = 3_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(ADAPTERS)('a proxy session at its end, on %s', (adapter, createAdapter) => {
  let stack: SimulatedStack;
  let proxy: FaultRelay;
  let app: INestApplication;
  const login = `ending-${adapter}`;
  const call = () => request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, PASSWORD));

  beforeAll(async () => {
    proxy = await startFaultRelay();
    stack = await startSimulatedStack({ users: [{ login, password: PASSWORD }], proxySessionLifetimeMs: LIFETIME_MS, publicUrls: { proxy: proxy.url } });
    proxy.forwardTo(stack.serverUrls.proxy);
    app = await createProxyApp(createAdapter, stack);
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
    await proxy?.close();
  });

  it('logs in again each time the session ends on the way to the proxy, twice within the re-login interval', async () => {
    let issued = 0;
    // The session's life starts when the proxy answers its callback with the cookie, not when the callback
    // reaches it: redeeming GitHub's code comes between, and takes long on a busy machine (CI once ended
    // the first round's call 400 ms early counting from the request).
    proxy.onAnswerBytes = (chunk) => {
      if (/^set-cookie: _oauth2_proxy=[^;]/im.test(chunk.toString('latin1'))) issued = Date.now();
    };
    for (let round = 1; round <= 2; round++) {
      const fresh = await call(); // a login: the first, then after the previous round's session ended
      expect(fresh.status).toBe(200);
      // 500 ms left: the pool sends it (its margin is 300 ms), and the call reaches the proxy 900 ms later, after its end.
      await sleep(issued + LIFETIME_MS - 500 - Date.now());
      proxy.delayNextRequest(900);
      const ending = await call();
      expect([ending.status, ending.body]).toEqual([200, { value: simulatedMetricValue('job', 'metric') }]);
      expect(stack.stats.proxySessions(login)).toBe(2 * round);
      await sleep(LIFETIME_MS); // that session's end too
    }
  }, 30_000);
});
