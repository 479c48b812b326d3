// Attack review of 1cf4bf1 and 9134b59: a backend forging a refusal costs nothing since the strategy asks the proxy's
// <prefix>auth first. These are the ways around that question, and one where a front lets the backend answer it. Each
// case failed on 1cf4bf1 (the figures in the comments are its, on both adapters).
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { simulatedBackendHandler, startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const PASSWORD = 'attack-probe-pw';

describe.each(ADAPTERS)("a backend's ways around the proxy's <prefix>auth, on %s", (_name, createAdapter) => {
  let stack: SimulatedStack;
  /** Each caller's proxy cookie as the backend saw it: the proxy passes the Cookie header on. */
  const seen = new Map<string, string>();
  const apps: INestApplication[] = [];
  let users = 0;
  /** Whose session the backend hands out when a front routes <prefix>auth to it. */
  let victim: string | undefined;

  beforeAll(async () => {
    stack = await startSimulatedStack({
      users: [],
      backendHandler: async (req, res, context) => {
        const url = new URL(req.url ?? '/', 'http://backend');
        const session = /(?:^|;\s*)_oauth2_proxy=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
        if (session !== undefined && !seen.has(context.user)) seen.set(context.user, session);
        if (url.pathname === '/whoami') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ user: context.user }));
          return;
        }
        // Reached only where the front routes <prefix>auth to the backend (faults.proxyAuthToBackend): it answers the
        // library's question as the proxy would, "renewing" the session with the victim's cookie.
        if (url.pathname === '/oauth2/auth') {
          const value = victim === undefined ? undefined : seen.get(victim);
          res.writeHead(202, value === undefined ? {} : { 'set-cookie': `_oauth2_proxy=${value}; Path=/; Max-Age=315360000` });
          res.end();
          return;
        }
        const job = url.searchParams.get('job') ?? '';
        if (job === 'headers-too-large') {
          res.writeHead(431, { 'content-type': 'text/plain' });
          res.end('Request Header Fields Too Large');
          return;
        }
        if (job === 'sets-padding' || (job === 'refuses-padding' && /(?:^|;\s*)padding=/.test(req.headers.cookie ?? ''))) {
          // A backend that sets a cookie, then refuses requests carrying it as too large (a smaller header limit than ours).
          res.writeHead(job === 'sets-padding' ? 200 : 431, { 'content-type': 'application/json', 'set-cookie': job === 'sets-padding' ? `padding=${'p'.repeat(2000)}; Path=/` : [] });
          res.end(job === 'sets-padding' ? '{"ok":true}' : '{}');
          return;
        }
        if (job === 'forged-refusal') {
          res.writeHead(403, { 'content-type': 'application/json' });
          res.end('{}');
          return;
        }
        const late = /^late-refusal-(\d+)$/.exec(job);
        if (late) {
          // The proxy's 401 `{}`, held until the call's deadline has a millisecond or two left.
          await new Promise((resolve) => setTimeout(resolve, Number(late[1])));
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end('{}');
          return;
        }
        return simulatedBackendHandler(req, res, context);
      },
    });
  });
  afterEach(() => {
    stack.faults.proxyAuthToBackend = false;
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await stack.stop();
  });

  const newUser = (): string => {
    const login = `probe${++users}`;
    stack.addUser({ login, password: PASSWORD });
    return login;
  };
  const call = (app: INestApplication, login: string, job: string, query = '') =>
    request(app.getHttpServer()).get(`/t/metric/${job}/metric${query}`).set('Authorization', basic(login, PASSWORD));
  const boot = async () => {
    const app = await createProxyApp(createAdapter, stack, { backend: { loginBudget: { perIdentityPerHour: 6 } } });
    apps.push(app);
    return app;
  };

  // 1cf4bf1: the first 431 dropped the session and logged in again without asking the proxy (2 sign-ins): one GitHub
  // login per identity per reloginIntervalMs for any backend route answering 431.
  it("a backend's own 431 costs no sign-in and keeps the session", async () => {
    const app = await boot();
    const login = newUser();
    expect((await call(app, login, 'job')).status).toBe(200);
    const views: number[] = [];
    for (let i = 0; i < 3; i++) views.push((await call(app, login, 'headers-too-large')).status);
    const after = (await call(app, login, 'job')).status;
    expect({ views, after, signIns: stack.stats.signIns(login) }).toEqual({ views: [431, 431, 431], after: 200, signIns: 1 });
  });

  it("a 431 for the backend's own cookies drops them and retries once with the session alone: 200, no sign-in", async () => {
    const app = await boot();
    const login = newUser();
    expect((await call(app, login, 'sets-padding')).status).toBe(200);
    const before = stack.stats.backendRequests(login);
    expect((await call(app, login, 'refuses-padding')).status).toBe(200);
    expect({ requests: stack.stats.backendRequests(login) - before, signIns: stack.stats.signIns(login) }).toEqual({ requests: 2, signIns: 1 });
  });

  // 1cf4bf1: the probe ran on what was left of the call's deadline; a refusal forged to arrive in its last milliseconds
  // left it none, and its failure bought a re-login (2 sign-ins). A sweep, as an attacker would (a miss costs it nothing).
  it('a refusal forged in the last milliseconds of the deadline costs no sign-in', async () => {
    const app = await boot();
    const login = newUser();
    expect((await call(app, login, 'job')).status).toBe(200);
    for (let hold = 185; hold <= 200; hold++) await call(app, login, `late-refusal-${hold}`, '?timeoutMs=200');
    expect((await call(app, login, 'job')).status).toBe(200);
    expect(stack.stats.signIns(login)).toBe(1);
  });

  // 1cf4bf1: the jar took a session cookie from any answer at <prefix>auth as the proxy's renewal; where a front routes
  // that path to the backend, the backend's "renewal" with another caller's value served this caller as that one.
  it('a backend answering <prefix>auth gets no renewal taken: the caller stays itself', async () => {
    const app = await boot();
    const caller = newUser();
    victim = newUser();
    expect((await call(app, victim, 'job')).status).toBe(200);
    expect((await call(app, caller, 'job')).status).toBe(200);
    stack.faults.proxyAuthToBackend = true;
    expect((await call(app, caller, 'forged-refusal')).status).toBe(403);
    stack.faults.proxyAuthToBackend = false;
    const who = await request(app.getHttpServer()).get('/t/whoami').set('Authorization', basic(caller, PASSWORD));
    expect(who.body).toEqual({ user: caller });
  });
});
