// The login, round 2, point 1: a two-factor user types a code once per GitHub session, and that session
// (with the pooled one) is bound to the caller who gave the code, through its device token.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { BackendSessionOptions } from '../lib/index.js';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, CapturingLogger, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const PATH = '/t/metric/job/metric';
const DEVICE = 'x-apikit-device';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(ADAPTERS)('device tokens on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  const apps: INestApplication[] = [];
  let users = 0;

  const newUser = (extra: Partial<Parameters<SimulatedStack['addUser']>[0]> = {}) => {
    const user = { login: `device${++users}`, password: `pw-device-${users}` };
    stack.addUser({ ...user, ...extra });
    return user;
  };
  const boot = async (backend: BackendSessionOptions = {}, logger?: CapturingLogger) => {
    const app = await createProxyApp(createAdapter, stack, { backend, logger });
    apps.push(app);
    return (login: string, password: string, headers: Record<string, string> = {}) => {
      const req = request(app.getHttpServer()).get(PATH).set('Authorization', basic(login, password));
      for (const [name, value] of Object.entries(headers)) req.set(name, value);
      return req;
    };
  };
  /** Logs a two-factor user in with one code; the device token its answer gave. */
  const logInWithCode = async (call: Awaited<ReturnType<typeof boot>>, login: string, password: string): Promise<string> => {
    const asked = await call(login, password);
    expect([asked.status, asked.headers['x-github-otp']]).toEqual([401, 'required; app']);
    const answer = await call(login, password, { 'x-github-otp': stack.twoFactorCode(login)! });
    expect(answer.status).toBe(200);
    expect(answer.headers[DEVICE]).toMatch(/^[A-Za-z0-9_-]{44}$/);
    return answer.headers[DEVICE] as string;
  };

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [] });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await stack?.stop();
  });

  it('asks a TOTP user one code for 8 pool sessions over 10 s, with one password POST; the password alone gets a new code', async () => {
    // 9 sign-ins within the hour: past the default perIdentityPerHour (8), which backend-auth-login-bounds tests.
    const call = await boot({ pool: { maxAgeMs: 1_000 }, loginBudget: { perIdentityPerHour: 20 } });
    const { login, password } = newUser({ twoFactor: 'app' });
    const token = await logInWithCode(call, login, password);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      await sleep(1_250); // each request after the pool session ended
      statuses.push((await call(login, password, { [DEVICE]: token })).status);
    }
    expect(statuses).toEqual(Array(8).fill(200));
    expect(stack.stats.twoFactorChallenges(login)).toBe(1);
    expect(stack.stats.codePosts(login)).toBe(1);
    expect(stack.stats.passwordPosts(login)).toBe(1);
    expect(stack.stats.authorizeOnlySignIns(login)).toBe(8);
    const tokenless = await call(login, password);
    expect([tokenless.status, tokenless.headers['x-github-otp']]).toEqual([401, 'required; app']);
  }, 30_000);

  it('never serves the session a code opened to the password alone, nor to another token', async () => {
    const call = await boot();
    const { login, password } = newUser({ twoFactor: 'app' });
    await logInWithCode(call, login, password);
    const alone = await call(login, password);
    expect([alone.status, alone.headers['x-github-otp']]).toEqual([401, 'required; app']);
    const forged = await call(login, password, { [DEVICE]: 'A'.repeat(32) });
    expect([forged.status, forged.headers['x-github-otp']]).toEqual([401, 'required; app']);
    expect(stack.stats.backendRequests(login)).toBe(1);
  });

  it('serves both backend calls of the request that gives the code: the second finds the session the first opened', async () => {
    const call = await boot();
    const { login, password } = newUser({ twoFactor: 'app' });
    expect((await call(login, password)).headers['x-github-otp']).toBe('required; app');
    const answer = await call(login, password, { 'x-github-otp': stack.twoFactorCode(login)! });
    const twice = await request(apps.at(-1)!.getHttpServer())
      .get('/t/twice')
      .set('Authorization', basic(login, password))
      .set(DEVICE, answer.headers[DEVICE] as string);
    expect(twice.body).toEqual({ first: 200, second: 200 });
    const fresh = newUser({ twoFactor: 'app' });
    const asked = await request(apps.at(-1)!.getHttpServer()).get('/t/twice').set('Authorization', basic(fresh.login, fresh.password));
    expect(asked.headers['x-github-otp']).toBe('required; app');
    const withCode = await request(apps.at(-1)!.getHttpServer())
      .get('/t/twice')
      .set('Authorization', basic(fresh.login, fresh.password))
      .set('X-GitHub-OTP', stack.twoFactorCode(fresh.login)!);
    expect([withCode.status, withCode.body]).toEqual([200, { first: 200, second: 200 }]);
    expect([stack.stats.passwordPosts(fresh.login), stack.stats.codePosts(fresh.login)]).toEqual([1, 1]);
  });

  it('ignores a token it did not issue: 15 made-up tokens with the password start no login and send no code', async () => {
    const call = await boot();
    const { login, password } = newUser({ twoFactor: 'app' });
    const statuses: string[] = [];
    for (let i = 0; i < 15; i++) {
      const res = await call(login, password, { [DEVICE]: randomBytes(33).toString('base64url') });
      statuses.push(`${res.status} ${res.headers['x-github-otp']}`);
    }
    expect(statuses).toEqual(Array(15).fill('401 required; app'));
    expect([stack.stats.passwordPosts(login), stack.stats.twoFactorChallenges(login)]).toEqual([1, 1]);
    const plain = newUser();
    expect((await call(plain.login, plain.password, { [DEVICE]: randomBytes(33).toString('base64url') })).status).toBe(200);
    expect(stack.stats.signIns(plain.login)).toBe(1);
  });

  it("lets a guesser's failures not hold a token holder's re-login through the kept GitHub session (no password shown)", async () => {
    const call = await boot({ pool: { maxAgeMs: 1_000 } });
    const { login, password } = newUser({ twoFactor: 'app' });
    const token = await logInWithCode(call, login, password);
    const guesses: number[] = [];
    for (let i = 0; i < 6; i++) guesses.push((await call(login, `wrong-${i}`)).status);
    expect(guesses.at(-1)).toBe(429);
    await sleep(1_100);
    expect((await call(login, password, { [DEVICE]: token })).status).toBe(200);
    expect(stack.stats.passwordPosts(login)).toBe(1 + 5);
  });

  it('refuses a malformed device token with 400, never echoing it', async () => {
    const call = await boot();
    const { login, password } = newUser();
    const answer = await call(login, password, { [DEVICE]: 'short<script>' });
    expect(answer.status).toBe(400);
    expect(answer.text).not.toContain('<script>');
  });

  it('binds device verification to the token too: with it no new email, without it GitHub asks again', async () => {
    const call = await boot({ pool: { maxAgeMs: 1_000 }, githubSessionTtlMs: 0 });
    const { login, password } = newUser({ deviceVerification: true });
    const asked = await call(login, password);
    expect(asked.headers['x-github-otp']).toBe('required; device-verification');
    const answer = await call(login, password, { 'x-github-otp': stack.emailedCode(login)! });
    expect(answer.status).toBe(200);
    const token = answer.headers[DEVICE] as string;
    await sleep(1_100);
    expect((await call(login, password, { [DEVICE]: token })).status).toBe(200);
    expect(stack.stats.passwordPosts(login)).toBe(2); // no GitHub session kept: the password again, but no email
    expect((await call(login, password)).headers['x-github-otp']).toBe('required; device-verification');
  });

  it('keeps today\'s behaviour for accounts without a second factor: no token, and a re-login through the kept GitHub session', async () => {
    const call = await boot({ pool: { maxAgeMs: 1_000 } });
    const { login, password } = newUser();
    const first = await call(login, password);
    expect(first.status).toBe(200);
    expect(first.headers[DEVICE]).toBeUndefined();
    await sleep(1_100);
    expect((await call(login, password)).status).toBe(200);
    expect([stack.stats.passwordPosts(login), stack.stats.authorizeOnlySignIns(login)]).toEqual([1, 1]);
  });

  it('lets a changed password end the kept GitHub session: the old password is refused at the next login', async () => {
    const call = await boot({ pool: { maxAgeMs: 1_000 } });
    const { login, password } = newUser();
    expect((await call(login, password)).status).toBe(200);
    stack.addUser({ login, password: `${password}-changed` }); // GitHub signs the account's web sessions out
    await sleep(1_100);
    expect((await call(login, password)).status).toBe(401);
    expect((await call(login, `${password}-changed`)).status).toBe(200);
  });

  it('asks a code per pool session with githubSessionTtlMs: 0, as before', async () => {
    const call = await boot({ pool: { maxAgeMs: 1_000 }, githubSessionTtlMs: 0 });
    const { login, password } = newUser({ twoFactor: 'app' });
    const token = await logInWithCode(call, login, password);
    await sleep(1_100);
    const again = await call(login, password, { [DEVICE]: token });
    expect([again.status, again.headers['x-github-otp']]).toEqual([401, 'required; app']);
  });

  it('never logs the device token', async () => {
    const logger = new CapturingLogger();
    const call = await boot({}, logger);
    const { login, password } = newUser({ twoFactor: 'app' });
    const token = await logInWithCode(call, login, password);
    expect((await call(login, password, { [DEVICE]: token })).status).toBe(200);
    expect(logger.lines.join('\n')).not.toContain(token);
  });
});
