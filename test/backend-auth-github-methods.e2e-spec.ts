// The user's preferred second factor decides GitHub's first page after the password (issue 22, point 2):
// GitHub Mobile's push, the captcha-guarded "Send SMS" page, a passkey page linking only to the method chooser.
// Each is switched on per user in the simulated stack (`preferred2fa`); the login reaches the app's code page.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startSimulatedStack, type SimulatedCode, type SimulatedStack, type SimulatedUser } from '../lib/testing/index.js';
import { basic, CapturingLogger, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const PASSWORD = 'gh-pw-methods-7c2f';

describe.each(ADAPTERS)('the preferred 2FA method GitHub shows first, on %s', (_name, createAdapter) => {
  const codes: SimulatedCode[] = [];
  const logger = new CapturingLogger();
  let stack: SimulatedStack;
  let app: INestApplication;
  let userCount = 0;

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [], onCode: (code) => codes.push(code) });
    app = await createProxyApp(createAdapter, stack, { logger });
  });

  afterAll(async () => {
    await app.close();
    await stack.stop();
    expect(logger.lines.join('\n')).not.toContain(PASSWORD);
  });

  const call = (login: string, otp?: string) => {
    const req = request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, PASSWORD));
    return otp === undefined ? req : req.set('X-GitHub-OTP', otp);
  };
  const addUser = (user: Omit<SimulatedUser, 'login' | 'password'>): string => {
    const login = `method${++userCount}`;
    stack.addUser({ login, password: PASSWORD, ...user });
    return login;
  };

  /** Asked for the app's code, then logged in with it: one code posted, no SMS sent. */
  async function expectAppCodeLogin(login: string): Promise<void> {
    const asked = await call(login);
    expect([asked.status, asked.headers['x-github-otp']]).toEqual([401, 'required; app']);
    expect((await call(login, stack.twoFactorCode(login))).status).toBe(200);
    expect(stack.stats.codePosts(login)).toBe(1);
    expect(codes.filter((code) => code.login === login && code.kind === 'sms')).toEqual([]);
  }

  it("GitHub Mobile preferred: follows the push page's link to the authenticator app and asks for its code", async () => {
    await expectAppCodeLogin(addUser({ twoFactor: 'app', preferred2fa: 'mobile' }));
  });

  it('a passkey preferred, with only "Use another method": takes the chooser to the app, not a false "security key only"', async () => {
    await expectAppCodeLogin(addUser({ twoFactor: 'app', preferred2fa: 'webauthn' }));
  });

  it('SMS preferred on an account with an app too: takes the app rather than the captcha-guarded "Send SMS"', async () => {
    await expectAppCodeLogin(addUser({ twoFactor: 'app+sms', preferred2fa: 'sms' }));
  });

  it.each([
    ['SMS', 'sms'],
    ['GitHub Mobile', 'mobile'],
  ] as const)('%s preferred with SMS the only code: 502 saying GitHub wants a captcha before the SMS, nothing sent, nothing counted', async (_what, preferred2fa) => {
    const login = addUser({ twoFactor: 'sms', preferred2fa });
    const res = await call(login);
    expect(res.status).toBe(502);
    expect(res.headers['x-github-otp']).toBeUndefined();
    expect(res.body.error_content).toMatch(/GitHub wants a captcha solved before it sends the SMS.*an authenticator app/);
    expect([stack.stats.codePosts(login), stack.stats.failedLogins(login)]).toEqual([0, 0]);
    expect(codes.filter((code) => code.login === login)).toEqual([]);
    // Not a refusal: the same answer again, never a throttle; GitHub showed its captcha each time, and no button was pressed.
    expect((await call(login)).status).toBe(502);
    expect(stack.stats.captchaAnswers(login)).toBe(2);
  });
});
