// Attack reviews of af59843 ("a proxy session at its end is no stale session") and of cc47df2 (its fix): the proxy
// passes a backend's answers on, Set-Cookie included, so a backend route can delete, shorten or shadow the proxy's
// session cookie, or redirect to the proxy's sign-out. None of it may buy a GitHub sign-in per view outside
// reloginIntervalMs and the re-login allowance, nor lock the caller out of other routes.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { simulatedBackendHandler, startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const PASSWORD = 'attack-session-end-pw';
const SIGN_IN_FORM = '<!doctype html><form method="GET" action="/oauth2/start"><input type="hidden" name="rd" value="/"><button>Sign in</button></form>';

describe.each(ADAPTERS)("a backend's answers aimed at the proxy's session, on %s", (_name, createAdapter) => {
  let stack: SimulatedStack;
  /** Each caller's proxy cookie as the backend saw it: the proxy passes the Cookie header on. */
  const seen = new Map<string, string>();
  const apps: INestApplication[] = [];
  let users = 0;

  beforeAll(async () => {
    stack = await startSimulatedStack({
      users: [],
      backendHandler: (req, res, context) => {
        const url = new URL(req.url ?? '/', 'http://backend');
        if (url.pathname === '/whoami') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ user: context.user }));
          return;
        }
        const session = /(?:^|;\s*)_oauth2_proxy=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
        if (session !== undefined) seen.set(context.user, session);
        const job = url.searchParams.get('job') ?? '';
        if (job === 'renews-garbage' || job.startsWith('renews-as-')) {
          // A renewal in every respect but its value: junk, or another caller's session, for ten years.
          const value = job === 'renews-garbage' ? 'garbage' : seen.get(job.slice('renews-as-'.length));
          res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `_oauth2_proxy=${value}; Path=/; Max-Age=315360000` });
          res.end('{"ok":true}');
          return;
        }
        if (job === 'forbidden-clears' || job === 'unauthorized-clears') {
          // A backend route refusing the caller (its own 401/403) and deleting the proxy's cookie as it does.
          res.writeHead(job === 'forbidden-clears' ? 403 : 401, { 'content-type': 'application/json', 'set-cookie': '_oauth2_proxy=; Path=/; Max-Age=0' });
          res.end('{"error":"not yours"}');
          return;
        }
        if (job === 'sign-in-page-clears') {
          // The same in the very shape of the proxy's refusal: its sign-in page (a stored page, say), with 403.
          res.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': '_oauth2_proxy=; Path=/; Max-Age=0' });
          res.end(SIGN_IN_FORM);
          return;
        }
        if (job === 'shortens' || job === 'shadows') {
          // A success setting the proxy's cookie: expiring in a second, or at a narrower path (sent first, read first).
          const cookie = job === 'shortens' ? '_oauth2_proxy=short; Path=/; Max-Age=1' : '_oauth2_proxy=shadow; Path=/api; Max-Age=86400';
          res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': cookie });
          res.end('{"ok":true}');
          return;
        }
        if (job === 'signs-out') {
          res.writeHead(302, { location: '/oauth2/sign_out?rd=%2Fapi' });
          res.end();
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

  const newUser = (): string => {
    const login = `sessend${++users}`;
    stack.addUser({ login, password: PASSWORD });
    return login;
  };
  const call = (app: INestApplication, login: string, job: string) =>
    request(app.getHttpServer()).get(`/t/metric/${job}/metric`).set('Authorization', basic(login, PASSWORD));

  const boot = async () => {
    const app = await createProxyApp(createAdapter, stack, { backend: { loginBudget: { perIdentityPerHour: 6 } } });
    apps.push(app);
    return app;
  };
  const refusedStatus = (job: string) => (job === 'unauthorized-clears' ? 401 : 403);
  // The jar dropped the session on any 401 or 403 deleting the cookie, and a session that ended skipped the re-login
  // allowance: 6 sign-ins after 3 views, then 429 on every route (af59843). Then each kept its session but spent a
  // re-login on the claim (cc47df2: 2 sign-ins). The proxy's own <prefix>auth now says it takes the session: none.
  // Where <prefix>auth is not routed, the proxy's word is unknown: the first login and the one re-login
  // reloginIntervalMs allows, and the session still serves other routes.
  const refusals = ['forbidden-clears', 'unauthorized-clears', 'sign-in-page-clears'].flatMap((job) => [
    { job, proxy: 'says it takes the session', unrouted: false, signIns: 1 },
    { job, proxy: 'cannot be asked', unrouted: true, signIns: 2 },
  ]);

  it.each(refusals)('$job, viewed five times where the proxy $proxy, costs $signIns sign-in(s) and locks no one out', async ({ job, unrouted, signIns }) => {
    stack.faults.proxyAuthUnrouted = unrouted;
    const app = await boot();
    const login = newUser();
    expect((await call(app, login, 'job')).status).toBe(200);
    const views: number[] = [];
    for (let i = 0; i < 5; i++) views.push((await call(app, login, job)).status);
    const after = (await call(app, login, 'job')).status;
    expect({ views, after, signIns: stack.stats.signIns(login) }).toEqual({ views: views.map(() => refusedStatus(job)), after: 200, signIns });
  });

  // The jar took the cookie: expiring a second later, the session ended and the next view logged in (2 sign-ins).
  it('a success shortening the cookie leaves the session its life', async () => {
    const app = await boot();
    const login = newUser();
    expect((await call(app, login, 'shortens')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const after = (await call(app, login, 'job')).status;
    expect({ after, signIns: stack.stats.signIns(login) }).toEqual({ after: 200, signIns: 1 });
  });

  // The jar took the cookie: sent before the session's, the proxy read it, refused the call, and the re-login's
  // allowance spent, every later view was refused within reloginIntervalMs (403).
  it('a success shadowing the cookie at a narrower path neither costs a sign-in nor gets the caller refused', async () => {
    const app = await boot();
    const login = newUser();
    const views: number[] = [];
    for (let i = 0; i < 3; i++) views.push((await call(app, login, 'shadows')).status, (await call(app, login, 'job')).status);
    expect({ views, signIns: stack.stats.signIns(login) }).toEqual({ views: [200, 200, 200, 200, 200, 200], signIns: 1 });
  });

  // The redirect was followed: the proxy ended the session in its store, and each view cost a re-login, then a 403.
  it("a redirect to the proxy's sign-out is not followed: the session lives on", async () => {
    const app = await boot();
    const login = newUser();
    expect((await call(app, login, 'job')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await call(app, login, 'signs-out')).status).not.toBe(200);
    const after = (await call(app, login, 'job')).status;
    expect({ after, signIns: stack.stats.signIns(login) }).toEqual({ after: 200, signIns: 1 });
  });

  // Review of 9134b59: a renewal was taken whatever its value. With another caller's value, every later call of this
  // caller was served as that caller; with junk, the proxy refused every route (403 within reloginIntervalMs).
  it("a success renewing the cookie with another caller's session does not serve this caller as that one", async () => {
    const app = await boot();
    const [victim, caller] = [newUser(), newUser()];
    expect((await call(app, victim, 'job')).status).toBe(200);
    expect((await call(app, caller, 'job')).status).toBe(200);
    expect((await call(app, caller, `renews-as-${victim}`)).status).toBe(200);
    const who = await request(app.getHttpServer()).get('/t/whoami').set('Authorization', basic(caller, PASSWORD));
    expect(who.body).toEqual({ user: caller });
  });

  it('a success renewing the cookie with junk neither costs a sign-in nor gets the caller refused', async () => {
    const app = await boot();
    const login = newUser();
    const views: number[] = [];
    for (let i = 0; i < 3; i++) views.push((await call(app, login, 'renews-garbage')).status, (await call(app, login, 'job')).status);
    expect({ views, signIns: stack.stats.signIns(login) }).toEqual({ views: [200, 200, 200, 200, 200, 200], signIns: 1 });
  });
});
