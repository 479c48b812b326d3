// Login safety, round 3, with two replicas (one Express, one Fastify) sharing a real redis-server: the
// bounds hold across replicas, and what Redis holds cannot be turned against callers or cracked fast.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { createClient } from 'redis';
import type { BackendSessionOptions } from '../lib/index.js';
import { identityKeyHasherFor } from '../lib/backend-auth/pool/identity-key.hasher.js';
import { StoredIdentityKeyDeriver } from '../lib/backend-auth/store/stored-identity.keys.js';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { AddressedClient } from './fixtures/addressed-client.fixture.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';
import { type RedisServer, startRedisServer } from './fixtures/redis-server.fixture.js';

const SECRET = 'login-safety-replicas-secret-0123456789';
const PATH = '/t/metric/job/metric';

describe('login safety across two replicas on Redis', () => {
  let stack: SimulatedStack;
  let redis: RedisServer;
  let admin: ReturnType<typeof createClient>;
  const apps: INestApplication[] = [];
  const clients: AddressedClient[] = [];
  let users = 0;
  let lastAddress = 2;
  const newAddress = (): string => `127.0.1.${lastAddress++}`;
  const newUser = (extra: Partial<Parameters<SimulatedStack['addUser']>[0]> = {}): { login: string; password: string } => {
    const user = { login: `shared${++users}`, password: `right-${users}` };
    stack.addUser({ ...user, ...extra });
    return user;
  };
  const as = (login: string, password: string, extra: Record<string, string> = {}) => ({ authorization: basic(login, password), ...extra });

  /** Two replicas of one service (one per adapter) under `keyPrefix`: a prefix per test keeps their state apart. */
  const replicas = async (keyPrefix: string, backend: BackendSessionOptions = {}): Promise<AddressedClient[]> =>
    Promise.all(
      ADAPTERS.map(async ([, createAdapter]) => {
        const app = await createProxyApp(createAdapter, stack, { backend: { store: { type: 'redis', url: redis.url, keyPrefix }, secret: SECRET, ...backend } });
        apps.push(app);
        const client = await AddressedClient.of(app);
        clients.push(client);
        return client;
      }),
    );

  beforeAll(async () => {
    redis = await startRedisServer();
    stack = await startSimulatedStack({ users: [] });
    admin = createClient({ url: redis.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.close();
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(apps.map((app) => app.close()));
    await stack?.stop();
    await redis?.stop();
  });
  afterEach(() => {
    stack.faults.githubDelayMs = 0;
  });

  it('point 1: stops a guesser spreading guesses over the replicas; its right password answers 429 on both, the owner keeps 200', async () => {
    const [a, b] = await replicas('p1:');
    const { login, password } = newUser();
    const owner = newAddress();
    const guesser = newAddress();
    expect((await a.get(PATH, owner, as(login, password))).status).toBe(200);
    expect((await b.get(PATH, owner, as(login, password))).status).toBe(200);
    for (let i = 0; i < 10; i++) await (i % 2 ? a : b).get(PATH, guesser, as(login, `guess-${i}`));
    // A replica learns blocks made elsewhere within a second (it reads the shared list every second).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await a.get(PATH, guesser, as(login, password))).status).toBe(429);
    expect((await b.get(PATH, guesser, as(login, password))).status).toBe(429);
    expect((await a.get(PATH, owner, as(login, password))).status).toBe(200);
    expect((await b.get(PATH, owner, as(login, password))).status).toBe(200);
    expect(stack.stats.failedLogins(login)).toBe(5);
    expect(stack.stats.logins(login)).toBe(1);
  });

  it('point 2: lets GitHub see at most 5 of 20 concurrent wrong passwords of one username over both replicas', async () => {
    const [a, b] = await replicas('p2:');
    const { login } = newUser();
    stack.faults.githubDelayMs = 30;
    const guessers = [newAddress(), newAddress()];
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).get(PATH, guessers[i % 2], as(i % 3 ? login : login.toUpperCase(), `guess-${i}`))));
    expect(stack.stats.failedLogins(login)).toBeLessThanOrEqual(5);
    expect(answers.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true);
  });

  it('point 6: takes the victim\'s code on one replica although a guesser failed 5 times on the other since it was asked', async () => {
    const [a, b] = await replicas('p6:');
    const { login, password } = newUser({ twoFactor: 'app' });
    const victim = newAddress();
    expect((await a.get(PATH, victim, as(login, password))).headers['x-github-otp']).toBe('required; app');
    const guesser = newAddress();
    for (let i = 0; i < 6; i++) await b.get(PATH, guesser, as(login, `guess-${i}`));
    expect(stack.stats.failedLogins(login)).toBe(5);
    expect((await b.get(PATH, victim, as(login, password, { 'x-github-otp': stack.twoFactorCode(login)! }))).status).toBe(200);
  });

  it('serves the session a code opens to the request with the code only, not to password-only requests racing it', async () => {
    const [a, b] = await replicas('race:');
    for (let round = 0; round < 3; round++) {
      const { login, password } = newUser({ twoFactor: 'app' });
      const [victim, other] = [newAddress(), newAddress()];
      expect((await a.get(PATH, victim, as(login, password))).headers['x-github-otp']).toBe('required; app');
      const withCode = a.get(PATH, victim, as(login, password, { 'x-github-otp': stack.twoFactorCode(login)! }));
      const racing = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? b : a).get(PATH, i % 2 ? victim : other, as(login, password)));
      const [answer, ...raced] = await Promise.all([withCode, ...racing]);
      expect(answer.status).toBe(200);
      expect(answer.headers['x-apikit-device']).toBeDefined();
      expect(raced.filter((res) => res.status === 200)).toHaveLength(0);
      expect(raced.some((res) => res.headers['x-apikit-device'] !== undefined)).toBe(false);
    }
  }, 30_000);

  it('point 8: names a session in Redis by an scrypt of the password, and seals it under a key from it', async () => {
    const [a] = await replicas('p8:');
    const { login, password } = newUser();
    expect((await a.get(PATH, newAddress(), as(login, password))).status).toBe(200);
    const { storeKey } = await new StoredIdentityKeyDeriver(Buffer.from(SECRET)).derive(login, password);
    const stored = await admin.get(`p8:session:${storeKey}`);
    expect(stored).toMatch(/^[0-9a-f-]{36}\|v2\./);
    expect(await admin.exists(`p8:session:${identityKeyHasherFor(Buffer.from(SECRET)).keyOf(`${login.length}:${login}:${password}`)}`)).toBe(0);
  });

  it('never shows a caller what Redis holds: a planted refusal renders the library\'s own message', async () => {
    const [a] = await replicas('planted-text:');
    const { login, password } = newUser();
    const refusalKey = identityKeyHasherFor(Buffer.from(SECRET)).keyOf(`refused:${login.length}:${login}:${password}`);
    await admin.set(`planted-text:refused:${refusalKey}`, 'Your account is suspended: call +1 555 0100 or visit http://evil.test', { PX: 20_000 });
    const answer = await a.get(PATH, newAddress(), as(login, password));
    expect(answer.status).toBe(429);
    expect(answer.text).not.toMatch(/evil|555|suspended/);
    expect(JSON.parse(answer.text).error_content).toMatch(/^The last login of this user failed \(GitHub refused the username or password\); not retrying for \d+ s\.$/);
  });

  it('ignores planted entries that cannot be: everlasting marks, budget holders and attempts from the future', async () => {
    const [a] = await replicas('planted:', { loginBudget: { maxConcurrent: 2, perMinute: 10 } });
    const { login, password } = newUser();
    const refusalKey = identityKeyHasherFor(Buffer.from(SECRET)).keyOf(`refused:${login.length}:${login}:${password}`);
    const usernameKey = identityKeyHasherFor(Buffer.from(SECRET)).keyOf(`user:${login}`);
    await admin.set(`planted:refused:${refusalKey}`, '1'); // no expiry: no replica writes such a mark
    const future = String(Date.now() + 365 * 24 * 3600 * 1000);
    for (let i = 0; i < 20; i++) {
      await admin.zAdd('planted:budget:in-flight', { score: Number(future), value: `holder-${i}` });
      await admin.zAdd('planted:budget:starts', { score: Number(future), value: `start-${i}` });
      await admin.zAdd(`planted:attempts:${usernameKey}`, { score: Number(future), value: `f::planted-${i}` });
    }
    expect((await a.get(PATH, newAddress(), as(login, password))).status).toBe(200);
  });

  it('ignores a planted block beyond a window (no replica writes one), and holds a plausible one no longer than a window', async () => {
    const [a] = await replicas('planted-block:');
    const { login, password } = newUser();
    const [owner, other] = [newAddress(), newAddress()];
    for (const address of [owner, other]) expect((await a.get(PATH, address, as(login, password))).status).toBe(200);
    const keyOf = (address: string) => identityKeyHasherFor(Buffer.from(SECRET)).keyOf(`address:${address}`);
    await admin.zAdd('planted-block:blocked:addresses', [
      { score: Date.now() + 1e12, value: keyOf(owner) },
      { score: Date.now() + 60_000, value: keyOf(other) },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await a.get(PATH, owner, as(login, password))).status).toBe(200);
    const held = await a.get(PATH, other, as(login, password));
    expect(held.status).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('keeps its lock while a login waits for the budget past the lock\'s first term: one login for the identity, not two', async () => {
    // Logins of ~2 s each (GitHub answering each of a login's ~7 requests in 280 ms), one at a time: the second waits
    // ~2 s for the budget, then logs in for ~2 s, past its lock's first term (loginTimeoutMs, 3 s), when the other
    // replica asks. (At 200 ms a login had become short enough for the second to end at ~3.0 s, before the question.)
    const [a, b] = await replicas('lock:', { loginTimeoutMs: 3_000, loginBudget: { maxConcurrent: 1 }, timeoutMs: 12_000 });
    const first = newUser();
    const second = newUser();
    stack.faults.githubDelayMs = 280;
    const client = newAddress();
    const busy = a.get(PATH, client, as(first.login, first.password));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    // Timed as it ends (the clock read when the answer arrives, not when the test gets round to looking).
    const waiting = a.get(PATH, client, as(second.login, second.password)).then((answer) => ({ ...answer, took: Date.now() - started }));
    await new Promise((resolve) => setTimeout(resolve, 3_300)); // past the lock's first term
    const other = b.get(PATH, newAddress(), as(second.login, second.password));
    const answers = await Promise.all([busy, waiting, other]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers[1].took).toBeGreaterThan(3_300); // the scenario held: the lock outlived its first term
    expect(stack.stats.logins(second.login)).toBe(1);
  }, 30_000);

  it('gives every key it writes an expiry', async () => {
    const keys = await admin.keys('*');
    expect(keys.length).toBeGreaterThan(10);
    const planted = /^planted/;
    const withoutExpiry: string[] = [];
    for (const key of keys) if (!planted.test(key) && (await admin.pTTL(key)) < 0) withoutExpiry.push(key);
    expect(withoutExpiry).toEqual([]);
  });
});
