import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

describe.each(ADAPTERS)('bitly-proxy login failures on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  let userCount = 0;

  /** A fresh GitHub account per test, so no pooled session or throttle carries over. */
  const newUser = (extra: { twoFactor?: boolean } = {}): { login: string; password: string } => {
    const user = { login: `user${++userCount}`, password: `pw-${userCount}`, ...extra };
    stack.addUser(user);
    return user;
  };
  const call = (login: string, password: string) =>
    request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, password));

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [] });
    app = await createProxyApp(createAdapter, stack, {
      backend: { loginTimeoutMs: 300, failedLoginBackoffMs: 60_000 },
    });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });
  afterEach(() => {
    Object.assign(stack.faults, { githubDown: false, githubDelayMs: 0, proxyDown: false, loginPageWithoutForm: false, oauthAppAuthorizationPage: false });
  });

  it('answers 401 with X-GitHub-OTP for a two-factor account, asking for the code', async () => {
    const user = newUser({ twoFactor: true });
    const res = await call(user.login, user.password);
    expect(res.status).toBe(401);
    expect(res.headers['x-github-otp']).toBe('required; app');
    expect(res.body.error_content).toMatch(/^GitHub asks for the code of your authenticator app: send the same request again with the header X-GitHub-OTP: <code>\.$/);
    expect(stack.stats.twoFactorChallenges(user.login)).toBe(1);
    expect(stack.stats.backendRequests(user.login)).toBe(0);
  });

  it('answers 401 for a wrong password', async () => {
    const user = newUser();
    const res = await call(user.login, 'wrong');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ reason: 'Unauthorized', status_code: 401, error_content: 'GitHub refused the username or password.' });
    expect(stack.stats.failedLogins(user.login)).toBe(1);
  });

  it('throttles repeated wrong passwords without asking GitHub again (429 + Retry-After)', async () => {
    const user = newUser();
    expect((await call(user.login, 'wrong')).status).toBe(401);
    for (let i = 0; i < 4; i++) {
      const res = await call(user.login, 'wrong');
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body.error_content).toMatch(/last login of this user failed/);
    }
    expect(stack.stats.failedLogins(user.login)).toBe(1);
    // The right password is another identity: not throttled.
    expect((await call(user.login, user.password)).status).toBe(200);
  });

  it('answers 502 when the login page has no form (GitHub changed its page)', async () => {
    const user = newUser();
    stack.faults.loginPageWithoutForm = true;
    const res = await call(user.login, user.password);
    expect(res.status).toBe(502);
    expect(res.body.error_content).toMatch(/^The login through the proxy ended on an unexpected page \(status 200\)\./);
  });

  it("answers 502 when GitHub shows the OAuth app's authorization page", async () => {
    const user = newUser();
    stack.faults.oauthAppAuthorizationPage = true;
    const res = await call(user.login, user.password);
    expect(res.status).toBe(502);
    expect(res.body.error_content).toMatch(/authorize the proxy's OAuth app/);
  });

  it('answers 502 when the proxy is unreachable', async () => {
    const user = newUser();
    stack.faults.proxyDown = true;
    const res = await call(user.login, user.password);
    expect(res.status).toBe(502);
    expect(res.body.error_content).toMatch(/^Could not reach the proxy \(\w+\)\. \(request [\w-]+\)$/);
  });

  it('answers 502 when GitHub is unreachable, and does not throttle the identity for it', async () => {
    const user = newUser();
    stack.faults.githubDown = true;
    const res = await call(user.login, user.password);
    expect(res.status).toBe(502);
    expect(res.body.error_content).toMatch(/^Could not reach GitHub \(\w+\)\. \(request [\w-]+\)$/);
    stack.faults.githubDown = false;
    expect((await call(user.login, user.password)).status).toBe(200);
  });

  it('answers 504 when the login does not finish in time', async () => {
    const user = newUser();
    stack.faults.githubDelayMs = 1500;
    const res = await call(user.login, user.password);
    expect(res.status).toBe(504);
    expect(res.body.error_content).toMatch(/did not answer within 300 ms/);
  });
});
