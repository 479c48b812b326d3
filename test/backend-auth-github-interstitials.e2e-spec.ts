// Captchas, interstitials and refusals GitHub shows around a sign-in (issue 22, point 3), each switched on in the
// simulated stack: a captcha on the login page or after the password, the 2FA check-up and the recovery prompt
// after sign-in, the re-authorise page, a GitHub that signs in through an external identity provider.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack, type SimulatedUser } from '../lib/testing/index.js';
import { AddressedClient } from './fixtures/addressed-client.fixture.js';
import { basic, CapturingLogger, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const PASSWORD = 'gh-pw-interstitial-3b9e';
const logger = new CapturingLogger();

describe.each(ADAPTERS)('captchas and interstitials around a GitHub sign-in, on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  let userCount = 0;

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [] });
    app = await createProxyApp(createAdapter, stack, { logger });
  });

  afterEach(() => {
    stack.faults.loginCaptcha = undefined;
    stack.faults.signInInterstitial = undefined;
    stack.faults.identityProviderLogin = undefined;
    stack.faults.consentRequired = false;
  });

  afterAll(async () => {
    await app.close();
    await stack.stop();
    expect(logger.lines.join('\n')).not.toContain(PASSWORD);
  });

  const call = (login: string, otp?: string, device?: string) => {
    const req = request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, PASSWORD));
    if (device !== undefined) req.set('X-ApiKit-Device', device);
    return otp === undefined ? req : req.set('X-GitHub-OTP', otp);
  };
  const addUser = (user: Omit<SimulatedUser, 'login' | 'password'> = {}): string => {
    const login = `inter${++userCount}`;
    stack.addUser({ login, password: PASSWORD, ...user });
    return login;
  };

  describe('after sign-in', () => {
    it('the 2FA check-up: takes "Remind me later", never re-posts the used code nor asks for a new one', async () => {
      const login = addUser({ twoFactor: 'app' });
      stack.faults.signInInterstitial = 'two-factor-checkup';
      expect((await call(login)).headers['x-github-otp']).toBe('required; app');
      const done = await call(login, stack.twoFactorCode(login));
      expect(done.status).toBe(200);
      expect([stack.stats.codePosts(login), stack.stats.failedCodes(login)]).toEqual([1, 0]);
      expect((await call(login, undefined, done.headers['x-apikit-device'])).status).toBe(200);
    });

    it('the account-recovery prompt: postpones it and goes on', async () => {
      const login = addUser();
      stack.faults.signInInterstitial = 'recovery-prompt';
      expect((await call(login)).status).toBe(200);
      expect(stack.stats.passwordPosts(login)).toBe(1);
    });
  });

  describe('refusals', () => {
    it('the re-authorise page: 503 + Retry-After naming the hourly limit of 10 sign-ins and new scopes', async () => {
      const login = addUser();
      stack.faults.consentRequired = true;
      const res = await call(login);
      expect([res.status, res.headers['retry-after']]).toEqual([503, '3600']);
      expect(res.body.error_content).toMatch(/10 sign-ins .* an hour/);
      expect(res.body.error_content).toMatch(/new scopes/);
    });

    it.each(['saml', 'cas'] as const)('an identity provider (%s) behind /login: 502 saying the library cannot sign in there; no password sent', async (idp) => {
      const login = addUser();
      stack.faults.identityProviderLogin = idp;
      const res = await call(login);
      expect(res.status).toBe(502);
      expect(res.body.error_content).toMatch(/^This GitHub signs in through an identity provider/);
      expect(res.body.error_content).not.toContain('sso.example.test');
      expect(stack.stats.passwordPosts(login)).toBe(0);
    });
  });

  // Last: a captcha holds an app's password posts for a minute (each case has an app of its own).
  describe('captcha', () => {
    it.each([
      ['on the login page', 'login-page', 0],
      ['after the password POST', 'after-password', 1],
    ] as const)(
      '%s: 503 + Retry-After, never a wrong password; a password met by one is a guess, and none is posted again for a minute',
      async (_where, fault, passwordPosts) => {
        const own = await createProxyApp(createAdapter, stack, { logger });
        const ownCall = (login: string) => request(own.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, PASSWORD));
        try {
          const login = addUser();
          stack.faults.loginCaptcha = fault;
          const captchasBefore = stack.stats.captchaAnswers();
          for (let i = 0; i < 3; i++) {
            const res = await ownCall(login);
            expect(res.status).toBe(503);
            expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
            expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
            expect(res.body.error_content).toMatch(/^GitHub asks for a captcha .* from this service's address/);
          }
          // GitHub showed one captcha (after the password, one guess); the next two logins asked GitHub nothing (the hold),
          // nor does a login of anyone else's.
          expect(stack.stats.passwordPosts(login)).toBe(passwordPosts);
          expect(stack.stats.captchaAnswers() - captchasBefore).toBe(1);
          expect(stack.stats.failedLogins(login)).toBe(0);
          expect((await ownCall(addUser())).status).toBe(503);
          expect(stack.stats.captchaAnswers() - captchasBefore).toBe(1);
        } finally {
          await own.close();
        }
      },
    );

    it("counts a password GitHub answered with a captcha against the username: the username's throttle answers next", async () => {
      const strict = await createProxyApp(createAdapter, stack, { logger, backend: { usernameThrottle: { maxFailures: 1 } } });
      try {
        const login = addUser();
        stack.faults.loginCaptcha = 'after-password';
        const guess = () => request(strict.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, 'a-guess'));
        expect((await guess()).status).toBe(503);
        expect((await guess()).status).toBe(429);
        expect(stack.stats.passwordPosts(login)).toBe(1);
      } finally {
        await strict.close();
      }
    });

    it.each(['after-password', 'login-page'] as const)("logins the hold refuses take no place in the login budget: one address cannot spend it while GitHub's captcha lasts (%s)", async (fault) => {
      // Held logins were refused only at GitHub's login page, each after taking a start of the hourly budget and
      // counted by nothing (a 503): one address looped them until the hour's budget was gone, and the logins the
      // hold lets through (a kept GitHub session's) got 503 for the rest of the hour.
      const budgeted = await createProxyApp(createAdapter, stack, { logger: new CapturingLogger(), backend: { loginBudget: { perHour: 4 }, timeoutMs: 1_000 } });
      const client = await AddressedClient.of(budgeted);
      try {
        const owner = addUser();
        const asOwner = { authorization: basic(owner, PASSWORD) };
        expect((await client.get('/t/metric/job/metric', '127.0.0.1', asOwner)).status).toBe(200);
        stack.faults.loginCaptcha = fault;
        const held: number[] = [];
        for (let i = 0; i < 8; i++) held.push((await client.get('/t/metric/job/metric', '127.0.0.2', { authorization: basic(addUser(), 'a-guess') })).status);
        expect(held).toEqual([503, 503, 503, 503, 503, 503, 503, 503]);
        // The owner's session ends; its re-login goes through GitHub's kept session, which the hold lets through.
        stack.faults.loginCaptcha = undefined;
        stack.expireSessions();
        expect((await client.get('/t/metric/job/metric', '127.0.0.1', asOwner)).status).toBe(200);
        expect(stack.stats.passwordPosts(owner)).toBe(1);
      } finally {
        await client.close();
        await budgeted.close();
      }
    });
  });
});

afterAll(() => {
  // Both adapters met captchas within a minute: the operator is warned once, not per login.
  expect(logger.lines.filter((line) => line.startsWith('warn') && /captcha/i.test(line))).toHaveLength(1);
});
