// Attack review of af59843 ("a proxy session at its end is no stale session"): the session counts as ended when the
// jar holds no live session after the answer, and a 401 or 403 that deletes the proxy's cookie leaves exactly that,
// whether the proxy sent it or a backend behind it (which the proxy passes on). Such an answer must not buy a GitHub
// sign-in per request outside reloginIntervalMs and the re-login allowance, nor lock the caller out of other routes.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { simulatedBackendHandler, startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const PASSWORD = 'attack-session-end-pw';
const SIGN_IN_FORM = '<!doctype html><form method="GET" action="/oauth2/start"><input type="hidden" name="rd" value="/"><button>Sign in</button></form>';

describe.each(ADAPTERS)("a backend's 403 deleting the proxy's cookie, on %s", (_name, createAdapter) => {
  let stack: SimulatedStack;
  const apps: INestApplication[] = [];
  let users = 0;

  beforeAll(async () => {
    stack = await startSimulatedStack({
      users: [],
      backendHandler: (req, res, context) => {
        const job = new URL(req.url ?? '/', 'http://backend').searchParams.get('job');
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
        return simulatedBackendHandler(req, res, context);
      },
    });
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

  // The jar dropped the session on any 401 or 403 deleting the cookie, and a session that ended skipped the re-login
  // allowance: 6 sign-ins after 3 views, then 429 on every route. A refusal in the proxy's own shape, once the
  // allowance was spent, dropped the session too, and the next view logged in through the pool: one login per view.
  // Now no answer's deletion is applied: a refusal costs a re-login within the allowance, and a refusal kept keeps the session.
  it.each(['forbidden-clears', 'unauthorized-clears', 'sign-in-page-clears'])('%s, viewed five times within reloginIntervalMs, re-logs in once and locks no one out', async (job) => {
    const app = await createProxyApp(createAdapter, stack, { backend: { loginBudget: { perIdentityPerHour: 6 } } });
    apps.push(app);
    const login = newUser();
    expect((await call(app, login, 'job')).status).toBe(200);
    const views: number[] = [];
    for (let i = 0; i < 5; i++) views.push((await call(app, login, job)).status);
    const after = (await call(app, login, 'job')).status;
    const signIns = stack.stats.signIns(login);
    // The first login and the one re-login reloginIntervalMs allows; the session still serves other routes.
    expect({ views, after, signIns }).toEqual({ views: views.map(() => (job === 'unauthorized-clears' ? 401 : 403)), after: 200, signIns: 2 });
  });
});
