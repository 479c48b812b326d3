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

  // A known attack, not yet fixed (issue 26's closing note): these fail on this code (6 sign-ins after 3 views, then
  // 429 on every route), so they are marked `failing`, which fails the run the day they pass. The fix must tell the
  // proxy's own refusal from the backend's: putting back every deleted session broke backend-auth-backend-failures.
  it.failing.each(['forbidden-clears', 'unauthorized-clears'])('%s, viewed five times within reloginIntervalMs, re-logs in once and locks no one out', async (job) => {
    const app = await createProxyApp(createAdapter, stack, { backend: { loginBudget: { perIdentityPerHour: 6 } } });
    apps.push(app);
    const login = newUser();
    expect((await call(app, login, 'job')).status).toBe(200);
    const views: number[] = [];
    for (let i = 0; i < 5; i++) views.push((await call(app, login, job)).status);
    const after = (await call(app, login, 'job')).status;
    const signIns = stack.stats.signIns(login);
    // The first login and the one re-login reloginIntervalMs allows; the session still serves other routes.
    expect({ views, after, signIns }).toEqual({ views: views.map(() => (job === 'forbidden-clears' ? 403 : 401)), after: 200, signIns: 2 });
  });
});
