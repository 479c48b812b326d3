// The proxy's callback failing after GitHub let the user in. oauth2-proxy answers its one 500 error page
// to any failure of its code exchange and enrichment: GitHub's token endpoint or API failing (an outage,
// a dropped connection) as much as --github-org/--github-team refusing the user, or a SAML SSO org
// (providers/github.go EnrichSession -> checkRestrictions). The page does not tell them apart: the caller
// gets a 502 naming both, never a 403 that blames its membership for an outage (the soak's faults found
// GitHub 5xx bursts and resets answered "the proxy refused the login"), nor a --cookie-name hint.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { AddressedClient } from './fixtures/addressed-client.fixture.js';
import { basic, CapturingLogger, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';
import { startFaultRelay, type FaultRelay } from './fixtures/fault-relay.fixture.js';

const PASSWORD = 'org-pw-5b2c-canary';
const CALLBACK_FAILED =
  /^The proxy's callback failed after GitHub let the user in: it could not complete the login with GitHub \(an outage: retry\), or it refuses the user \(organisation or team membership, or SAML SSO, which a login without a browser cannot satisfy\)\. \(request [\w-]+\)$/;

describe.each(ADAPTERS)("the proxy's callback failing after GitHub, on %s", (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  let proxyRelay: FaultRelay;
  let githubRelay: FaultRelay;
  const logger = new CapturingLogger();
  const call = (login: string) => request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, PASSWORD));
  /** Runs `fault` as the service's request for the callback passes the proxy's relay (GitHub has let the user in by then). */
  const atCallback = (fault: () => void) => {
    proxyRelay.onRequestBytes = (chunk) => {
      if (chunk.includes('/oauth2/callback')) fault();
    };
  };

  beforeAll(async () => {
    // Relays in front of the proxy and GitHub: the proxy's own code exchange with GitHub goes through the GitHub one.
    [proxyRelay, githubRelay] = await Promise.all([startFaultRelay(), startFaultRelay()]);
    const logins = ['outsider-org', 'outsider-team', 'outsider-saml', 'outsider-email-domain', 'member', 'outage-503', 'outage-500', 'reset'];
    stack = await startSimulatedStack({ users: logins.map((login) => ({ login, password: PASSWORD })), publicUrls: { proxy: proxyRelay.url, github: githubRelay.url } });
    proxyRelay.forwardTo(stack.serverUrls.proxy);
    githubRelay.forwardTo(stack.serverUrls.github);
    app = await createProxyApp(createAdapter, stack, { logger });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
    await Promise.all([proxyRelay?.close(), githubRelay?.close()]);
    expect(logger.lines.join('\n')).not.toContain(PASSWORD);
  });
  afterEach(() => {
    stack.faults.proxyRefusesAtCallback = undefined;
    stack.faults.githubStatus = undefined;
    proxyRelay.onRequestBytes = undefined;
    githubRelay.onRequestBytes = undefined;
    githubRelay.mode = 'pass';
  });

  it('answers 403 when the callback refuses the user after GitHub (--email-domain: Authorize), logged as login.proxy_refused', async () => {
    const login = 'outsider-email-domain';
    stack.faults.proxyRefusesAtCallback = 'email-domain';
    const res = await call(login);
    expect([res.status, res.body.error_content]).toEqual([403, 'The proxy refused the login after GitHub let the user in (its allowed users, e-mail domains or groups).']);
    expect([stack.stats.logins(login), stack.stats.proxySessions(login)]).toEqual([1, 0]);
    const refused = logger.events.find((line) => line.event === 'login.proxy_refused');
    expect(refused).toMatchObject({ level: 'warn', outcome: 'proxy_refused' });
    expect(String(refused?.detail)).toMatch(/\/oauth2\/callback \(status 403\)/);
    expect(res.text).not.toContain('Invalid session');
  });

  it.each(['org', 'team', 'saml'] as const)('answers 502 naming membership and SAML SSO beside an outage when the callback refuses the user (%s), the status in the log only', async (restriction) => {
    const login = `outsider-${restriction}`;
    stack.faults.proxyRefusesAtCallback = restriction;
    const res = await call(login);
    expect([res.status, res.body.reason, res.body.status_code]).toEqual([502, 'Bad Gateway', 502]);
    expect(res.body.error_content).toMatch(CALLBACK_FAILED);
    expect(res.text).not.toMatch(/cookie-name|proxyCookieName|callback\?/);
    // GitHub's login went through; the proxy issued no session.
    expect([stack.stats.logins(login), stack.stats.proxySessions(login)]).toEqual([1, 0]);
    const failure = logger.events.find((line) => line.event === 'upstream.failed' && String(line.answer).startsWith("The proxy's callback failed"));
    expect(String(failure?.detail)).toMatch(/\/oauth2\/callback \(status 500\)/);
    expect(logger.events).toContainEqual(expect.objectContaining({ level: 'warn', event: 'login.failed', user: login, outcome: 'error', status: 502 }));
  });

  it.each([503, 500] as const)('answers 502, not a refusal, when GitHub answers %i to the code exchange during the callback; the next call logs in', async (status) => {
    const login = `outage-${status}`;
    atCallback(() => (stack.faults.githubStatus = status));
    const res = await call(login);
    expect([res.status, res.body.error_content]).toEqual([502, expect.stringMatching(CALLBACK_FAILED)]);
    stack.faults.githubStatus = undefined;
    proxyRelay.onRequestBytes = undefined;
    // Nothing held against the user: no refusal recorded, no 429, a login straight away.
    expect((await call(login)).status).toBe(200);
    expect([stack.stats.logins(login), stack.stats.failedLogins(login), stack.stats.proxySessions(login)]).toEqual([2, 0, 1]);
  });

  it('answers 502 naming the outage when GitHub answers 503 to a two-factor code, not a second factor that needs a browser', async () => {
    stack.addUser({ login: 'code-outage', password: PASSWORD, twoFactor: 'app' });
    const code = () => request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic('code-outage', PASSWORD)).set('X-GitHub-OTP', stack.twoFactorCode('code-outage')!);
    expect((await call('code-outage')).headers['x-github-otp']).toBe('required; app');
    githubRelay.onRequestBytes = (chunk) => {
      if (chunk.includes('POST /sessions/two-factor')) stack.faults.githubStatus = 503;
    };
    const res = await code();
    expect([res.status, res.body.error_content]).toEqual([502, expect.stringMatching(/^GitHub answered 503 \(an outage\): retry later\. \(request [\w-]+\)$/)]);
    githubRelay.onRequestBytes = undefined;
    stack.faults.githubStatus = undefined;
    expect((await call('code-outage')).headers['x-github-otp']).toBe('required; app');
    expect((await code()).status).toBe(200);
  });

  it("answers 502 when the proxy's connection to GitHub is reset during the callback", async () => {
    atCallback(() => (githubRelay.mode = 'reset'));
    const res = await call('reset');
    expect([res.status, res.body.error_content]).toEqual([502, expect.stringMatching(CALLBACK_FAILED)]);
    githubRelay.mode = 'pass';
    proxyRelay.onRequestBytes = undefined;
    expect((await call('reset')).status).toBe(200);
    expect(stack.stats.failedLogins('reset')).toBe(0);
  });

  it('logs the same user in once the proxy lets members through', async () => {
    stack.faults.proxyRefusesAtCallback = 'org';
    expect((await call('member')).status).toBe(502);
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

  it("a user the proxy refuses cannot spend the service's hourly login budget: each refused login is a sign-in GitHub counted", async () => {
    // GitHub authorised each of these logins before the proxy's callback refused them, yet the account's sign-in
    // gave its place back and nothing counted them: one address with one GitHub account outside the org looped
    // logins until the hour's budget was gone, and every other caller got 503 for the rest of the hour.
    const outsider = await startSimulatedStack({ users: [{ login: 'outsider', password: PASSWORD }, { login: 'owner', password: PASSWORD }] });
    const budget = { perHour: 6, perIdentityPerHour: 2 };
    const guarded = await createProxyApp(createAdapter, outsider, { logger, backend: { loginBudget: budget, timeoutMs: 1_000 } });
    const client = await AddressedClient.of(guarded);
    try {
      outsider.faults.proxyRefusesAtCallback = 'org';
      const answers: number[] = [];
      for (let i = 0; i < 8; i++) answers.push((await client.get('/t/metric/job/metric', '127.0.0.2', { authorization: basic('outsider', PASSWORD) })).status);
      // Two sign-ins (perIdentityPerHour), then the account's sign-in limit, which asks GitHub nothing.
      expect(answers).toEqual([502, 502, 429, 429, 429, 429, 429, 429]);
      outsider.faults.proxyRefusesAtCallback = undefined;
      expect((await client.get('/t/metric/job/metric', '127.0.0.1', { authorization: basic('owner', PASSWORD) })).status).toBe(200);
    } finally {
      await client.close();
      await guarded.close();
      await outsider.stop();
    }
  });
});
