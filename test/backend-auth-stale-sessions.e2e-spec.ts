// Stale sessions in every deployment, and only those (issue 22, point 5): oauth2-proxy's sign-in page
// answered with 200 (nginx `error_page 401 = /oauth2/sign_in`), a custom --proxy-prefix, the proxy's
// 401 `{}` and 403 sign-in page re-log in; the backend's own 401/403 reach the caller unchanged.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { simulatedMetricValue, startSimulatedStack, type SimulatedStack, type SimulatedStackOptions } from '../lib/testing/index.js';
import { basic, CapturingLogger, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const PASSWORD = 'stale-pw-8e1f-canary';
const VALUE = simulatedMetricValue('job', 'metric');

describe.each(ADAPTERS)('stale sessions, and only those, on %s', (_name, createAdapter) => {
  const stacks: SimulatedStack[] = [];
  const apps: INestApplication[] = [];
  const logger = new CapturingLogger();
  let userCount = 0;

  /** A stack with one fresh user, a service in front of it, and that user logged in. */
  async function loggedIn(stackOptions: SimulatedStackOptions = {}, twoFactor = false) {
    const login = `stale${++userCount}`;
    const stack = await startSimulatedStack({ users: [{ login, password: PASSWORD, twoFactor }], ...stackOptions });
    stacks.push(stack);
    // No re-login interval: each case counts its own logins.
    const app = await createProxyApp(createAdapter, stack, { backend: { reloginIntervalMs: 0 }, logger });
    apps.push(app);
    // A login that took a code answers a device token (issue 22, point 1), which the caller sends back.
    const device: { token?: string } = {};
    const call = (otp?: string) => {
      const req = request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, PASSWORD));
      if (device.token !== undefined) req.set('X-ApiKit-Device', device.token);
      return otp === undefined ? req : req.set('X-GitHub-OTP', otp);
    };
    if (twoFactor) await call();
    const first = await call(twoFactor ? stack.twoFactorCode(login) : undefined);
    expect(first.status).toBe(200);
    device.token = first.headers['x-apikit-device'];
    stack.stats.reset();
    return { stack, login, call };
  }

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all(stacks.map((stack) => stack.stop()));
    expect(logger.lines.join('\n')).not.toContain(PASSWORD);
  });

  describe("the proxy's refusals log in again", () => {
    it('reads the sign-in page answered with 200 (nginx error_page 401 = /oauth2/sign_in) as a stale session', async () => {
      const { stack, login, call } = await loggedIn({ nginxAuthRequest: true });
      stack.faults.proxyRefusesSessions = 1;
      const res = await call();
      expect([res.status, res.body.value]).toEqual([200, VALUE]);
      expect([stack.stats.proxySessions(login), stack.stats.backendRequests(login)]).toEqual([1, 1]);
    });

    it('finds the sign-in page under a custom --proxy-prefix (/auth), from auth.data.endpoint', async () => {
      const { stack, login, call } = await loggedIn({ nginxAuthRequest: true, proxyPrefix: '/auth' });
      expect(stack.startUrl).toBe(`${stack.proxyUrl}/auth/start`);
      stack.expireSessions();
      const res = await call();
      expect([res.status, res.body.value]).toEqual([200, VALUE]);
      expect(stack.stats.proxySessions(login)).toBe(1);
    });

    it("answers 502, never the sign-in page as a success, when the proxy shows it to the fresh session too", async () => {
      const { stack, login, call } = await loggedIn({ nginxAuthRequest: true });
      stack.faults.proxyRefusesSessions = Infinity;
      const res = await call();
      expect(res.status).toBe(502);
      expect(res.body.error_content).toMatch(/^The proxy answered its sign-in page instead of the backend/);
      expect(res.text).not.toContain('<form');
      expect(stack.stats.proxySessions(login)).toBe(1);
      stack.faults.proxyRefusesSessions = 0;
    });

    it.each<[string, SimulatedStackOptions]>([
      ['its 401 {} (an --api-route)', { apiRoutes: ['/api'] }],
      ['its 403 sign-in page', {}],
    ])('re-logs in once after %s, which clears the session cookie', async (_what, options) => {
      const { stack, login, call } = await loggedIn(options);
      stack.faults.proxyRefusesSessions = 1;
      const res = await call();
      expect([res.status, res.body.value]).toEqual([200, VALUE]);
      expect(stack.stats.proxySessions(login)).toBe(1);
    });
  });

  describe("the backend's own 401 and 403 reach the caller unchanged", () => {
    it.each([401, 403])('passes a backend %i (its JSON error) on without a login', async (status) => {
      const { stack, login, call } = await loggedIn();
      Object.assign(stack.faults, { backendStatus: status, backendStatusTimes: 1 });
      const res = await call();
      expect(res.status).toBe(status);
      expect(res.body.error_content).toBe(JSON.stringify({ detail: `Simulated backend failure: status ${status}` }));
      expect([stack.stats.proxySessions(login), stack.stats.backendRequests(login)]).toEqual([0, 1]);
      expect((await call()).status).toBe(200); // the session still works
    });

    it('asks a two-factor user for no new code when the backend answers its own 403', async () => {
      const { stack, login, call } = await loggedIn({}, true);
      Object.assign(stack.faults, { backendStatus: 403, backendStatusTimes: 1 });
      const res = await call();
      expect(res.status).toBe(403);
      expect(res.headers['x-github-otp']).toBeUndefined();
      expect([stack.stats.twoFactorChallenges(login), stack.stats.proxySessions(login)]).toEqual([0, 0]);
    });
  });
});
