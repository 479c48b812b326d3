// The proxy's refusals named right (issue 22, point 4): with --github-org/--github-team, oauth2-proxy's
// callback answers its 500 error page to a user who is not a member, or whose org enforces SAML SSO
// (providers/github.go EnrichSession -> checkRestrictions). The caller learns that, not a --cookie-name hint.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, CapturingLogger, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const PASSWORD = 'org-pw-5b2c-canary';
const REFUSED =
  'The proxy refused the login after GitHub (organisation or team membership, or SAML SSO, which a login without a browser cannot satisfy).';

describe.each(ADAPTERS)('the proxy refusing a login at its callback, on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  const logger = new CapturingLogger();
  const call = (login: string) => request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, PASSWORD));

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: ['outsider-org', 'outsider-team', 'outsider-saml', 'member'].map((login) => ({ login, password: PASSWORD })) });
    app = await createProxyApp(createAdapter, stack, { logger });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
    expect(logger.lines.join('\n')).not.toContain(PASSWORD);
  });
  afterEach(() => {
    stack.faults.proxyRefusesAtCallback = undefined;
  });

  it.each(['org', 'team', 'saml'] as const)('answers 403 naming membership or SAML SSO when the callback refuses the user (%s), the status in the log only', async (restriction) => {
    const login = `outsider-${restriction}`;
    stack.faults.proxyRefusesAtCallback = restriction;
    const res = await call(login);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ reason: 'Forbidden', status_code: 403, error_content: REFUSED });
    expect(res.text).not.toMatch(/cookie-name|proxyCookieName|500/);
    // GitHub's login went through; the proxy issued no session.
    expect([stack.stats.logins(login), stack.stats.proxySessions(login)]).toEqual([1, 0]);
    const refusal = logger.events.find((line) => line.event === 'login.proxy_refused');
    expect(String(refusal?.detail)).toMatch(/status 500/);
    expect(String(refusal?.detail)).toMatch(/\/oauth2\/callback/);
    expect(logger.events).toContainEqual(
      expect.objectContaining({ level: 'warn', event: 'login.failed', user: login, outcome: 'proxy_refused', status: 403, reason: REFUSED }),
    );
  });

  it('logs the same user in once the proxy lets members through', async () => {
    stack.faults.proxyRefusesAtCallback = 'org';
    expect((await call('member')).status).toBe(403);
    stack.faults.proxyRefusesAtCallback = undefined;
    expect((await call('member')).status).toBe(200);
    expect(stack.stats.proxySessions('member')).toBe(1);
  });

  it('keeps the --cookie-name diagnosis for a callback that answered < 400 without setting the cookie', async () => {
    const named = await startSimulatedStack({ users: [{ login: 'alice', password: PASSWORD }], proxyCookieName: 'lsst_auth' });
    const unaware = await createProxyApp(createAdapter, named, { logger });
    try {
      const res = await request(unaware.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic('alice', PASSWORD));
      expect(res.status).toBe(502);
      expect(res.body.error_content).toMatch(/did not set its session cookie \(_oauth2_proxy\): .* set backend\.proxyCookieName/);
    } finally {
      await unaware.close();
      await named.stop();
    }
  });
});
