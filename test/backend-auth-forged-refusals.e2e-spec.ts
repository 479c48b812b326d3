// A backend (or what its users store in it: a wiki, a notebook) answering in the shapes of the proxy's
// refusals, found by a review of issue 22: it must not spend a caller's GitHub sign-ins without bound, nor
// lock the caller out of routes whose session still works.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { simulatedBackendHandler, startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';
import { type RedisServer, startRedisServer } from './fixtures/redis-server.fixture.js';

const PASSWORD = 'forged-refusal-pw';
/** What a user might store in a page the backend serves: the proxy's sign-in form, word for word. */
const STORED_SIGN_IN_FORM =
  '<!doctype html><html><body><h1>My notes</h1>' +
  '<form method="GET" action="/oauth2/start"><input type="hidden" name="rd" value="/"><button>Sign in</button></form></body></html>';

describe.each(ADAPTERS)("a backend forging the proxy's refusals, on %s", (_name, createAdapter) => {
  let stack: SimulatedStack;
  const apps: INestApplication[] = [];
  let users = 0;

  beforeAll(async () => {
    stack = await startSimulatedStack({
      users: [],
      backendHandler: (req, res, context) => {
        const job = new URL(req.url ?? '/', 'http://backend').searchParams.get('job');
        if (job === 'wiki') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(STORED_SIGN_IN_FORM);
          return;
        }
        if (job === 'clears') {
          // oauth2-proxy passes the backend's Set-Cookie on: a success that deletes the proxy's cookie.
          res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': '_oauth2_proxy=; Path=/; Max-Age=0' });
          res.end('{"ok":true}');
          return;
        }
        if (job === 'clears-404' || job === 'clears-500') {
          // The same from a failing route: an error answer is no more the proxy's than a success.
          res.writeHead(job === 'clears-404' ? 404 : 500, { 'content-type': 'application/json', 'set-cookie': '_oauth2_proxy=; Path=/; Max-Age=0' });
          res.end('{"error":"nope"}');
          return;
        }
        return simulatedBackendHandler(req, res, context);
      },
    });
  });
  afterEach(() => {
    stack.faults.proxyAuthUnrouted = false;
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await stack.stop();
  });

  const boot = async (backend: object = {}) => {
    const app = await createProxyApp(createAdapter, stack, { backend });
    apps.push(app);
    return app;
  };
  const newUser = (): string => {
    const login = `forged${++users}`;
    stack.addUser({ login, password: PASSWORD });
    return login;
  };
  const call = (app: INestApplication, login: string, job: string) =>
    request(app.getHttpServer()).get(`/t/metric/${job}/metric`).set('Authorization', basic(login, PASSWORD));

  // The proxy's own <prefix>auth says whether it takes the session: when it does, such a page is the backend's.
  it("stored pages in the sign-in form's shape are the backend's when the proxy takes the session: served, no sign-in spent", async () => {
    const app = await boot({ reloginIntervalMs: 0, loginBudget: { perIdentityPerHour: 4 } });
    const login = newUser();
    const views: number[] = [];
    for (let i = 0; i < 6; i++) views.push((await call(app, login, 'wiki')).status);
    expect({ views, signIns: stack.stats.signIns(login) }).toEqual({ views: [200, 200, 200, 200, 200, 200], signIns: 1 });
  });

  // Behind a front that does not route <prefix>auth, the page's shape is all there is to go by.
  it("where the proxy's word is unknown, stored pages in the sign-in form's shape spend at most half the hourly sign-ins, and never lock the caller out of other routes", async () => {
    stack.faults.proxyAuthUnrouted = true;
    const app = await boot({ reloginIntervalMs: 0, loginBudget: { perIdentityPerHour: 4 } });
    const login = newUser();
    expect((await call(app, login, 'job')).status).toBe(200);
    const views: number[] = [];
    for (let i = 0; i < 6; i++) views.push((await call(app, login, 'wiki')).status);
    // Never the page as a success; re-logins stop after 2 (half of 4), then the answer goes on without one.
    expect(views).toEqual([502, 502, 502, 502, 502, 502]);
    expect(stack.stats.signIns(login)).toBe(3);
    // The session still works: no 429 of the sign-in limit on a route the backend answers.
    expect((await call(app, login, 'job')).status).toBe(200);
  });

  it("two replicas sharing Redis share that half too (the proxy's word unknown): stored pages viewed through both never spend every sign-in nor lock the caller out", async () => {
    stack.faults.proxyAuthUnrouted = true;
    // The re-login allowance was each replica's own: two replicas re-logged in half of perIdentityPerHour each,
    // so the views spent every sign-in, and the re-login past the bound dropped the session for a 429 on every route.
    const redis: RedisServer = await startRedisServer();
    const replicas: INestApplication[] = [];
    try {
      const backend = { store: { type: 'redis' as const, url: redis.url }, secret: 'forged-refusals-replicas-share-this-secret', reloginIntervalMs: 0, loginBudget: { perIdentityPerHour: 4 } };
      for (let i = 0; i < 2; i++) replicas.push(await createProxyApp(createAdapter, stack, { backend }));
      const login = newUser();
      expect((await call(replicas[0], login, 'job')).status).toBe(200);
      const views: number[] = [];
      // Three views through each replica in turn (a load balancer's luck).
      for (let i = 0; i < 6; i++) views.push((await call(replicas[i < 3 ? 0 : 1], login, 'wiki')).status);
      expect(views).toEqual([502, 502, 502, 502, 502, 502]);
      expect(stack.stats.signIns(login)).toBe(3);
      expect([(await call(replicas[0], login, 'job')).status, (await call(replicas[1], login, 'job')).status]).toEqual([200, 200]);
    } finally {
      await Promise.all(replicas.map((app) => app.close()));
      await redis.stop();
    }
  });

  it("a success that deletes the proxy's cookie costs no login: the session stays (it was the backend's answer, not the proxy's)", async () => {
    const app = await boot();
    const login = newUser();
    for (let i = 0; i < 5; i++) expect((await call(app, login, 'clears')).status).toBe(200);
    expect((await call(app, login, 'job')).status).toBe(200);
    expect(stack.stats.signIns(login)).toBe(1);
  });

  it.each(['clears-404', 'clears-500'])("an error answer (%s) that deletes the proxy's cookie costs no login either: the proxy clears it only with its refusals", async (job) => {
    // The jar dropped the session for any answer but a 2xx, and the next request logged in again: a login per
    // request outside reloginIntervalMs and the re-login allowance, until the sign-in limit's 429 on every route.
    const app = await boot();
    const login = newUser();
    for (let i = 0; i < 5; i++) expect((await call(app, login, job)).status).toBe(job === 'clears-404' ? 404 : 500);
    expect((await call(app, login, 'job')).status).toBe(200);
    expect(stack.stats.signIns(login)).toBe(1);
  });
});
