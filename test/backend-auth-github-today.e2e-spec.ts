// The login against today's GitHub and oauth2-proxy, each behaviour switched on in the simulated stack:
// two-factor and device codes through X-GitHub-OTP, security keys, lockouts, account picker and consent,
// User-Agent, cookie names, CSRF per request, the proxy's unauthenticated answers, its htpasswd form.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { BackendSessionOptions } from '../lib/index.js';
import {
  startSimulatedStack,
  type SimulatedBackendHandler,
  type SimulatedCode,
  type SimulatedStack,
  type SimulatedStackOptions,
} from '../lib/testing/index.js';
import { basic, CapturingLogger, createProxyApp, echoingBackendHandler } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const PASSWORD = 'gh-pw-4d1e-canary';

/** The backend also answers `/headers` with what it received that a test looks at. */
const headerTellingBackend: SimulatedBackendHandler = (req, res, ctx) => {
  if (req.url !== '/headers') return echoingBackendHandler(req, res, ctx);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ userAgent: req.headers['user-agent'] ?? null }));
};

describe.each(ADAPTERS)("the login against today's GitHub and oauth2-proxy, on %s", (_name, createAdapter) => {
  const stacks: SimulatedStack[] = [];
  const apps: INestApplication[] = [];
  const codes: SimulatedCode[] = [];
  const logger = new CapturingLogger();
  let userCount = 0;

  /** A stack and a service in front of it; closed after the suite. */
  async function setUp(stackOptions: SimulatedStackOptions = {}, backend: BackendSessionOptions = {}) {
    const stack = await startSimulatedStack({ users: [], backendHandler: headerTellingBackend, onCode: (code) => codes.push(code), ...stackOptions });
    stacks.push(stack);
    const app = await createProxyApp(createAdapter, stack, { backend, logger });
    apps.push(app);
    const call = (login: string, otp?: string, device?: string, path = '/t/metric/job/metric') => {
      const req = request(app.getHttpServer()).get(path).set('Authorization', basic(login, PASSWORD));
      if (device !== undefined) req.set('X-ApiKit-Device', device);
      return otp === undefined ? req : req.set('X-GitHub-OTP', otp);
    };
    return { stack, app, call };
  }
  const newLogin = (): string => `gh${++userCount}`;

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all(stacks.map((stack) => stack.stop()));
    expect(logger.lines.join('\n')).not.toContain(PASSWORD);
    for (const { code } of codes) expect(logger.lines.join('\n')).not.toContain(code);
  });

  describe('two-factor codes through X-GitHub-OTP', () => {
    it("asks an app user for its code, then finishes the same login with it (GitHub's cookies kept)", async () => {
      const { stack, call } = await setUp();
      const login = newLogin();
      stack.addUser({ login, password: PASSWORD, twoFactor: 'app' });
      const asked = await call(login);
      expect(asked.status).toBe(401);
      expect(asked.headers['x-github-otp']).toBe('required; app');
      expect(asked.body.error_content).toMatch(/X-GitHub-OTP: <code>/);
      const done = await call(login, stack.twoFactorCode(login));
      expect(done.status).toBe(200);
      expect(done.text).not.toContain(stack.twoFactorCode(login)!);
      // The session is pooled for the caller that gave the code (its device token): no code needed any more.
      expect((await call(login, undefined, done.headers['x-apikit-device'])).status).toBe(200);
      expect([stack.stats.twoFactorChallenges(login), stack.stats.logins(login)]).toEqual([1, 1]);
    });

    it('asks an SMS user for its code without sending a second SMS while it waits, and accepts it', async () => {
      const { stack, call } = await setUp();
      const login = newLogin();
      stack.addUser({ login, password: PASSWORD, twoFactor: 'sms' });
      expect((await call(login)).headers['x-github-otp']).toBe('required; sms');
      const sent = stack.twoFactorCode(login);
      const again = await call(login);
      expect([again.status, again.headers['x-github-otp']]).toEqual([401, 'required; sms']);
      expect(stack.twoFactorCode(login)).toBe(sent);
      expect(codes.filter((code) => code.login === login)).toHaveLength(1);
      expect((await call(login, sent)).status).toBe(200);
    });

    it('answers a wrong code with the same 401 and header, keeps the login waiting, and counts it against the username', async () => {
      const { stack, call } = await setUp({}, { usernameThrottle: { maxFailures: 2 } });
      const login = newLogin();
      stack.addUser({ login, password: PASSWORD, twoFactor: 'app' });
      await call(login);
      const wrong = await call(login, '000000' === stack.twoFactorCode(login) ? '111111' : '000000');
      expect([wrong.status, wrong.headers['x-github-otp']]).toEqual([401, 'required; app']);
      expect(wrong.body.error_content).toMatch(/^GitHub did not accept the code/);
      expect((await call(login, stack.twoFactorCode(login))).status).toBe(200);

      const guessed = newLogin();
      stack.addUser({ login: guessed, password: PASSWORD, twoFactor: 'app' });
      await call(guessed);
      for (const code of ['000001', '000002']) expect((await call(guessed, code)).status).toBe(401);
      expect((await call(guessed, '000003')).status).toBe(429);
    });

    it('does not submit a code sent while no login waits for one (a stale code must not burn the username\'s attempts), then takes the next', async () => {
      const { stack, call } = await setUp();
      const login = newLogin();
      stack.addUser({ login, password: PASSWORD, twoFactor: 'app' });
      const stale = await call(login, '000000');
      expect(stale.status).toBe(401);
      expect(stale.headers['x-github-otp']).toBe('required; app');
      expect(stack.stats.twoFactorChallenges(login)).toBe(1);
      expect((await call(login, stack.twoFactorCode(login))).status).toBe(200);
      expect(stack.stats.failedLogins(login)).toBe(0);
    });

    it('refuses a malformed X-GitHub-OTP header with 400, never echoing it', async () => {
      const { call } = await setUp();
      const res = await call(newLogin(), '12 34<script>');
      expect(res.status).toBe(400);
      expect(res.text).not.toContain('<script>');
    });

    it('uses the authenticator app of an account that also has a security key', async () => {
      const { stack, call } = await setUp();
      const login = newLogin();
      stack.addUser({ login, password: PASSWORD, twoFactor: 'webauthn+app' });
      expect((await call(login)).headers['x-github-otp']).toBe('required; app');
      expect((await call(login, stack.twoFactorCode(login))).status).toBe(200);
    });

    it('answers 401 without X-GitHub-OTP for a security-key-only account: a key needs a browser', async () => {
      const { stack, call } = await setUp();
      const login = newLogin();
      stack.addUser({ login, password: PASSWORD, twoFactor: 'webauthn' });
      const res = await call(login);
      expect(res.status).toBe(401);
      expect(res.headers['x-github-otp']).toBeUndefined();
      expect(res.body.error_content).toMatch(/security key \(WebAuthn\), which cannot be used without a browser/);
    });
  });

  describe('device verification', () => {
    it("asks for the emailed code once, then GitHub's device cookie spares the next login the question", async () => {
      const { stack, call } = await setUp({}, { reloginIntervalMs: 0 });
      const login = newLogin();
      stack.addUser({ login, password: PASSWORD, deviceVerification: true });
      const asked = await call(login);
      expect([asked.status, asked.headers['x-github-otp']]).toEqual([401, 'required; device-verification']);
      const verified = await call(login, stack.emailedCode(login));
      expect(verified.status).toBe(200);
      stack.expireSessions(); // the proxy session is renewed: a new login through GitHub, with the caller's device token
      expect((await call(login, undefined, verified.headers['x-apikit-device'])).status).toBe(200);
      expect(stack.stats.signIns(login)).toBe(2);
      expect(codes.filter((code) => code.login === login && code.kind === 'device-verification')).toHaveLength(1);
    });
  });

  describe('lockout', () => {
    it('answers the lockout page with 429 + Retry-After, logs a warning, and asks GitHub nothing until it ends', async () => {
      const { stack, app, call } = await setUp({ lockoutAfterFailures: 2 });
      const login = newLogin();
      stack.addUser({ login, password: PASSWORD });
      for (const wrong of ['wrong-1', 'wrong-2']) {
        expect((await request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, wrong))).status).toBe(401);
      }
      const locked = await call(login); // the right password, but GitHub has stopped listening
      expect(locked.status).toBe(429);
      expect(locked.headers['retry-after']).toBe('300');
      expect(locked.body.error_content).toMatch(/several failed attempts/);
      expect(logger.events).toContainEqual(expect.objectContaining({ level: 'warn', event: 'login.locked_out', user: login, outcome: 'locked_out' }));
      const github = stack.stats.failedLogins(login) + stack.stats.logins(login);
      expect((await call(login)).status).toBe(429);
      expect(stack.stats.failedLogins(login) + stack.stats.logins(login)).toBe(github);
    });
  });

  describe('OAuth pages GitHub may show', () => {
    // consentRequired, GitHub's re-authorise page, is a 503 (backend-auth-github-interstitials, backend-auth-login-bounds).
    it('classifies accountPicker with what to do (502)', async () => {
      const { stack, call } = await setUp();
      const login = newLogin();
      stack.addUser({ login, password: PASSWORD });
      stack.faults.accountPicker = true;
      const res = await call(login);
      expect(res.status).toBe(502);
      expect(res.body.error_content).toMatch(/account picker, as it does to OAuth apps whose callback is not https/);
    });
  });

  describe('User-Agent', () => {
    it('sends nestjs-apikit/<version> by default, backend.userAgent when set (GitHub refuses none)', async () => {
      const byDefault = await setUp();
      const login = newLogin();
      byDefault.stack.addUser({ login, password: PASSWORD });
      expect((await byDefault.call(login, undefined, undefined, '/t/headers')).body).toEqual({ userAgent: expect.stringMatching(/^nestjs-apikit\/\d+\.\d+\.\d+/) });
      const custom = await setUp({}, { userAgent: 'lsst-chatbot/2.1 (+https://example.org)' });
      custom.stack.addUser({ login, password: PASSWORD });
      expect((await custom.call(login, undefined, undefined, '/t/headers')).body).toEqual({ userAgent: 'lsst-chatbot/2.1 (+https://example.org)' });
    });
  });

  describe("oauth2-proxy's cookies and answers", () => {
    it('logs in with another --cookie-name when told it, and says what to set when not', async () => {
      const named = await setUp({ proxyCookieName: 'lsst_auth', splitSessionCookie: true }, { proxyCookieName: 'lsst_auth' });
      const login = newLogin();
      named.stack.addUser({ login, password: PASSWORD });
      expect((await named.call(login)).status).toBe(200);
      const unaware = await setUp({ proxyCookieName: 'lsst_auth' });
      unaware.stack.addUser({ login, password: PASSWORD });
      const res = await unaware.call(login);
      expect(res.status).toBe(502);
      expect(res.body.error_content).toMatch(/did not set its session cookie \(_oauth2_proxy\): .* set backend\.proxyCookieName/);
    });

    it.each([false, true])('carries the CSRF cookie through the login (csrfPerRequest %s)', async (csrfPerRequest) => {
      const { stack, call } = await setUp({ csrfPerRequest });
      const login = newLogin();
      stack.addUser({ login, password: PASSWORD });
      expect((await call(login)).status).toBe(200);
    });

    it.each([
      ['a redirect to GitHub (--skip-provider-button)', { skipProviderButton: true }],
      ['a 401 on an --api-route', { apiRoutes: ['/api'] }],
      ['the 403 sign-in page', {}],
    ] as Array<[string, SimulatedStackOptions]>)('reads %s as a stale session: logs in again and retries', async (_what, options) => {
      const { stack, call } = await setUp(options);
      const login = newLogin();
      stack.addUser({ login, password: PASSWORD });
      expect((await call(login)).status).toBe(200);
      stack.expireSessions();
      expect((await call(login)).status).toBe(200);
      // Signed in again, through GitHub's kept web session.
      expect(stack.stats.signIns(login)).toBe(2);
    });

    it("never posts the GitHub password to the proxy's htpasswd form when auth.data.endpoint is its sign-in page", async () => {
      const stack = await startSimulatedStack({ users: [{ login: 'alice', password: PASSWORD }], htpasswdForm: true });
      stacks.push(stack);
      const app = await createProxyApp(createAdapter, { ...stack, startUrl: `${stack.proxyUrl}/oauth2/sign_in` } as SimulatedStack, { logger });
      apps.push(app);
      const res = await request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic('alice', PASSWORD));
      expect(res.status).toBe(502);
      expect(res.body.error_content).toMatch(/auth\.data\.endpoint must be the proxy's \/oauth2\/start, not its sign-in page/);
      expect(stack.stats.proxySignInPosts()).toBe(0);
    });
  });
});
