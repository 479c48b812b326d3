// Login safety, attacks on the login budget (issue: logins are bounded, whoever asks; sessions end):
// the service must not be an anonymous relay for guessing passwords, nor log in once per request.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import type { BackendSessionOptions } from '../lib/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

describe.each(ADAPTERS)('login bounds on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  const apps: INestApplication[] = [];
  let userCount = 0;

  const newUser = (): { login: string; password: string } => {
    const user = { login: `user${++userCount}`, password: `right-${userCount}` };
    stack.addUser(user);
    return user;
  };
  // Every request here comes from one address: its bound (backend-auth-login-safety) is off, to see the others'.
  const boot = async (backend: BackendSessionOptions = {}): Promise<INestApplication> => {
    const app = await createProxyApp(createAdapter, stack, { backend: { addressThrottle: { maxFailures: 0 }, ...backend } });
    apps.push(app);
    return app;
  };
  const call = (app: INestApplication, login: string, password: string) =>
    request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, password));

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [] });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await stack?.stop();
  });
  afterEach(() => {
    Object.assign(stack.faults, { githubDelayMs: 0, backendStatus: undefined, backendStatusTimes: Infinity });
  });

  it('asks GitHub at most 5 times for 30 different passwords of one username, then answers 429 with Retry-After', async () => {
    const app = await boot();
    const { login } = newUser();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await call(app, i % 2 === 0 ? login : login.toUpperCase(), `guess-${i}`);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.body.error_content).toMatch(/^Too many refused logins for this username; retry in \d+ s\.$/);
      }
    }
    expect(stack.stats.failedLogins(login)).toBe(5);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((status) => status === 429)).toBe(true);
  });

  it('keeps the session of the real user working while a guesser has throttled its username', async () => {
    const app = await boot();
    const user = newUser();
    expect((await call(app, user.login, user.password)).status).toBe(200);
    for (let i = 0; i < 6; i++) await call(app, user.login, `guess-${i}`);
    expect((await call(app, user.login, `guess-again`)).status).toBe(429);
    expect((await call(app, user.login, user.password)).status).toBe(200);
    expect(stack.stats.logins(user.login)).toBe(1);
  });

  it('runs at most maxConcurrent logins at once, and answers 503 with Retry-After past the per-minute budget', async () => {
    // The 14 logins over budget wait for the whole call time-out: 3 s, five times what the 10 admitted ones need.
    const app = await boot({ loginBudget: { maxConcurrent: 2, perMinute: 10 }, timeoutMs: 3000 });
    stack.stats.reset();
    stack.faults.githubDelayMs = 20;
    const responses = await Promise.all(Array.from({ length: 24 }, (_, i) => call(app, `random${userCount}-${i}`, `random-${i}`)));
    const statuses = responses.map((res) => res.status);
    expect(stack.stats.failedLogins()).toBe(10);
    expect(stack.stats.peakGithubRequestsInFlight).toBeLessThanOrEqual(2);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 503)).toHaveLength(14);
    const refused = responses.find((res) => res.status === 503)!;
    expect(refused.body.error_content).toMatch(/^Too many GitHub logins in progress or in the last minute; retry in \d+ s\.$/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('never queues a logged-in caller behind logins waiting for the budget', async () => {
    const app = await boot({ loginBudget: { maxConcurrent: 1, perMinute: 60 } });
    const user = newUser();
    expect((await call(app, user.login, user.password)).status).toBe(200);
    stack.faults.githubDelayMs = 200;
    const order: string[] = [];
    const waitingLogins = Array.from({ length: 3 }, (_, i) => call(app, `queued${userCount}-${i}`, 'x').then(() => order.push('login')));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await call(app, user.login, user.password).expect(200).then(() => order.push('logged-in'));
    await Promise.all(waitingLogins);
    expect(order[0]).toBe('logged-in');
  });

  it("signs one account in at most perIdentityPerHour times an hour (GitHub's OAuth limit), then 429 with Retry-After", async () => {
    const app = await boot({ pool: { maxAgeMs: 500 }, loginBudget: { perIdentityPerHour: 2 } });
    const user = newUser();
    const statuses: number[] = [];
    let refused: request.Response | undefined;
    for (let i = 0; i < 3; i++) {
      const res = await call(app, user.login, user.password);
      statuses.push(res.status);
      if (res.status === 429) refused = res;
      await new Promise((resolve) => setTimeout(resolve, 600)); // past the pool session's life: a new sign-in
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(refused!.body.error_content).toMatch(/^This account signed in 2 times through the proxy in the last hour, .*retry in \d+ s\.$/);
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(3500);
  });

  it("answers GitHub's re-authorise page, past its sign-ins per user an hour, with 503 + Retry-After naming both causes", async () => {
    // perIdentityPerHour (8) keeps below GitHub's 10; raised here past a GitHub that asks after 2.
    const strict = await startSimulatedStack({ users: [], oauthSignInsPerHour: 2 });
    const app = await createProxyApp(createAdapter, strict, { backend: { pool: { maxAgeMs: 500 }, loginBudget: { perIdentityPerHour: 20 } } });
    apps.push(app);
    try {
      strict.addUser({ login: 'hourly', password: 'hourly-pw' });
      const answers: request.Response[] = [];
      for (let i = 0; i < 3; i++) {
        answers.push(await call(app, 'hourly', 'hourly-pw'));
        await new Promise((resolve) => setTimeout(resolve, 600)); // past the pool session's life: a new sign-in
      }
      expect(answers.map((res) => res.status)).toEqual([200, 200, 503]);
      expect(answers[2].headers['retry-after']).toBe('3600');
      expect(answers[2].body.error_content).toMatch(/after 10 sign-ins of the user to the app within an hour .* new scopes/);
      expect(strict.stats.signIns('hourly')).toBe(2);
      expect(strict.stats.failedLogins('hourly')).toBe(0);
    } finally {
      await strict.stop();
    }
  });

  it('starts at most perHour logins an hour for the whole service (a budget shared with the OAuth app), then 503', async () => {
    const app = await boot({ loginBudget: { perHour: 2 }, timeoutMs: 500 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const user = newUser();
      statuses.push((await call(app, user.login, user.password)).status);
    }
    expect(statuses).toEqual([200, 200, 503]);
  });

  it('re-logs in at most once a minute for a proxy that refuses every session, answering 502 rather than its sign-in page', async () => {
    // Behind nginx auth_request the proxy's refusal (its sign-in page, 200) clears no cookie: only the re-login bound holds logins back.
    const nginx = await startSimulatedStack({ users: [], nginxAuthRequest: true });
    try {
      const app = await createProxyApp(createAdapter, nginx, { backend: { addressThrottle: { maxFailures: 0 } } });
      apps.push(app);
      const user = { login: `user${++userCount}`, password: 'right' };
      nginx.addUser(user);
      expect((await call(app, user.login, user.password)).status).toBe(200);
      nginx.faults.proxyRefusesSessions = Infinity;
      for (let i = 0; i < 10; i++) expect((await call(app, user.login, user.password)).status).toBe(502);
      // Proxy sessions, whether GitHub's login took the password or its kept web session.
      expect(nginx.stats.proxySessions(user.login)).toBe(2);
    } finally {
      await nginx.stop();
    }
  });

  it("passes a backend's own 403 on without logging in again, however often it answers it", async () => {
    const app = await boot();
    const user = newUser();
    expect((await call(app, user.login, user.password)).status).toBe(200);
    Object.assign(stack.faults, { backendStatus: 403, backendStatusTimes: Infinity });
    for (let i = 0; i < 10; i++) expect((await call(app, user.login, user.password)).status).toBe(403);
    expect(stack.stats.proxySessions(user.login)).toBe(1);
  });

  it('keeps logged-in sessions while logins are in progress (they wait apart), and refusals after an eviction', async () => {
    const app = await boot({ pool: { maxEntries: 2 } });
    const [a, b] = [newUser(), newUser()];
    for (const user of [a, b]) expect((await call(app, user.login, user.password)).status).toBe(200);
    const guesser = newUser();
    for (let i = 0; i < 5; i++) expect((await call(app, guesser.login, `guess-${i}`)).status).toBe(401);
    stack.faults.githubDelayMs = 300;
    const pending = Array.from({ length: 4 }, () => newUser()).map((user) => call(app, user.login, user.password));
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const user of [a, b]) expect((await call(app, user.login, user.password)).status).toBe(200);
    expect([stack.stats.logins(a.login), stack.stats.logins(b.login)]).toEqual([1, 1]);
    await Promise.all(pending);
    // The pool has turned over since; the guesser's refusals are still remembered.
    expect((await call(app, guesser.login, 'guess-5')).status).toBe(429);
    expect(stack.stats.failedLogins(guesser.login)).toBe(5);
  });

  it('ends a session pool.maxAgeMs after its login however busy it is, so a changed password stops working', async () => {
    const app = await boot({ pool: { maxAgeMs: 1000 } });
    const user = newUser();
    const deadline = Date.now() + 1500;
    while (Date.now() < deadline) {
      expect((await call(app, user.login, user.password)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // A new sign-in, through GitHub's kept web session (which a changed password signs out: backend-auth-device-token).
    expect(stack.stats.signIns(user.login)).toBe(2);
  });
});
