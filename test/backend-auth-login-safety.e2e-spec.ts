// Login safety, round 3 (one process, the memory store): guesses bounded per client address whatever
// answers them, reservations that concurrency cannot race, fair turns between addresses, and a login
// waiting for its code that others' failures cannot lock out. Each client is a loopback address of its own.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { BackendSessionOptions } from '../lib/index.js';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { AddressedClient } from './fixtures/addressed-client.fixture.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const PATH = '/t/metric/job/metric';

describe.each(ADAPTERS)('login safety on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  const apps: INestApplication[] = [];
  const clients: AddressedClient[] = [];
  let users = 0;
  /** A fresh loopback address for each client a test plays. */
  let lastAddress = 20;
  const newAddress = (): string => `127.0.${Math.floor(lastAddress / 250)}.${(lastAddress++ % 250) + 2}`;

  const newUser = (extra: Partial<Parameters<SimulatedStack['addUser']>[0]> = {}): { login: string; password: string } => {
    const user = { login: `safe${++users}`, password: `right-${users}` };
    stack.addUser({ ...user, ...extra });
    return user;
  };
  const boot = async (backend: BackendSessionOptions = {}): Promise<AddressedClient> => {
    const app = await createProxyApp(createAdapter, stack, { backend });
    apps.push(app);
    const client = await AddressedClient.of(app);
    clients.push(client);
    return client;
  };
  const as = (login: string, password: string, extra: Record<string, string> = {}) => ({ authorization: basic(login, password), ...extra });

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [] });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(apps.map((app) => app.close()));
    await stack?.stop();
  });
  afterEach(() => {
    stack.faults.githubDelayMs = 0;
  });

  describe('point 1: every guess counts, whatever answers it, per client address', () => {
    it('stops a guesser after 10 failed checks: its right password then answers 429 too, while the owner elsewhere keeps its session', async () => {
      const client = await boot();
      const { login, password } = newUser();
      const owner = newAddress();
      const guesser = newAddress();
      expect((await client.get(PATH, owner, as(login, password))).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await client.get(PATH, guesser, as(login, `guess-${i}`))).status);
      const right = await client.get(PATH, guesser, as(login, password));
      // GitHub answered 5 guesses, the username throttle 5 more; from the 11th on, the address bound.
      expect(stack.stats.failedLogins(login)).toBe(5);
      expect(statuses.slice(0, 10).filter((status) => status === 401)).toHaveLength(5);
      expect(statuses.slice(10).every((status) => status === 429)).toBe(true);
      expect(right.status).toBe(429);
      expect(JSON.parse(right.text).error_content).toMatch(/^Too many failed logins from your address; retry in \d+ s\.$/);
      expect(Number(right.headers['retry-after'])).toBeGreaterThan(800);
      expect((await client.get(PATH, owner, as(login, password))).status).toBe(200);
      expect(stack.stats.logins(login)).toBe(1);
    });

    it('counts a pool miss for a username with a live session: the pool answers no guess', async () => {
      const client = await boot({ usernameThrottle: { maxFailures: 0 }, failedLoginBackoffMs: 0 });
      const { login, password } = newUser();
      const guesser = newAddress();
      expect((await client.get(PATH, newAddress(), as(login, password))).status).toBe(200);
      for (let i = 0; i < 10; i++) expect((await client.get(PATH, guesser, as(login, `guess-${i}`))).status).toBe(401);
      expect((await client.get(PATH, guesser, as(login, password))).status).toBe(429);
    });

    it('does not count malformed headers: a client that sent junk still logs in', async () => {
      const client = await boot();
      const { login, password } = newUser();
      const sloppy = newAddress();
      for (let i = 0; i < 15; i++) expect((await client.get(PATH, sloppy, { authorization: `Basic !!${i}` })).status).toBe(401);
      expect((await client.get(PATH, sloppy, as(login, password))).status).toBe(200);
    });

    it('ignores X-Forwarded-For from a peer that is no trusted proxy: a spoofed header changes nothing', async () => {
      const client = await boot();
      const { login, password } = newUser();
      const guesser = newAddress();
      for (let i = 0; i < 10; i++) await client.get(PATH, guesser, as(login, `guess-${i}`, { 'x-forwarded-for': `203.0.113.${i}` }));
      expect((await client.get(PATH, guesser, as(login, password, { 'x-forwarded-for': '198.51.100.77' }))).status).toBe(429);
    });

    it('behind trusted proxies, counts each client by its forwarded address: one guesser does not block the others', async () => {
      const client = await boot({ trustedProxies: ['127.0.0.0/8'] });
      const { login, password } = newUser();
      const ingress = newAddress();
      const from = (forwardedFor: string, pw: string) => client.get(PATH, ingress, as(login, pw, { 'x-forwarded-for': forwardedFor }));
      expect((await from('198.51.100.1', password)).status).toBe(200);
      for (let i = 0; i < 10; i++) await from('203.0.113.9', `guess-${i}`);
      expect((await from('203.0.113.9', password)).status).toBe(429);
      // The proxy appends the peer it saw: the right-most entry that is no trusted proxy is the client.
      expect((await from('203.0.113.9, 198.51.100.1', password)).status).toBe(200);
      // Whatever a client writes left of that is not believed.
      expect((await from('198.51.100.1, 203.0.113.9', password)).status).toBe(429);
    });
  });

  describe('point 1, what a review found next', () => {
    it('answers 429 to a pooled right password while the address holds its bound in logins in flight', async () => {
      const client = await boot();
      const { login, password } = newUser();
      expect((await client.get(PATH, newAddress(), as(login, password))).status).toBe(200);
      stack.faults.githubDelayMs = 300;
      const guesser = newAddress();
      const held = Promise.all(Array.from({ length: 10 }, (_, i) => client.get(PATH, guesser, as(`held${users}x${i}`, 'nope'))));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const answers = [await client.get(PATH, guesser, as(login, 'wrong')), await client.get(PATH, guesser, as(login, password))];
      await held;
      expect(answers.map((answer) => answer.status)).toEqual([429, 429]);
    });

    it('counts a miss on a pooled username as a failed guess even when the busy budget answers it (503)', async () => {
      const client = await boot({ loginBudget: { perMinute: 1 }, timeoutMs: 300 });
      const { login, password } = newUser();
      expect((await client.get(PATH, newAddress(), as(login, password))).status).toBe(200); // spends the minute's one start
      const guesser = newAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await client.get(PATH, guesser, as(login, `guess-${i}`))).status);
      expect(statuses.slice(0, 10).every((status) => status === 503)).toBe(true);
      expect((await client.get(PATH, guesser, as(login, password))).status).toBe(429);
    });

    it('counts an IPv6 client by its /64: a fresh address of the same block is the same client', async () => {
      const client = await boot({ trustedProxies: ['127.0.0.0/8'] });
      const { login, password } = newUser();
      const ingress = newAddress();
      expect((await client.get(PATH, ingress, as(login, password, { 'x-forwarded-for': '2001:db8:1:3::1' }))).status).toBe(200);
      for (let i = 0; i < 10; i++) await client.get(PATH, ingress, as(login, `guess-${i}`, { 'x-forwarded-for': `2001:db8:1:2::${i + 1}` }));
      expect((await client.get(PATH, ingress, as(login, password, { 'x-forwarded-for': '2001:db8:1:2:ffff::1' }))).status).toBe(429);
      expect((await client.get(PATH, ingress, as(login, password, { 'x-forwarded-for': '2001:db8:1:3::1' }))).status).toBe(200);
    });
  });

  describe('point 2: reserve before acting', () => {
    it('lets GitHub see at most 5 of 20 concurrent wrong passwords of one username', async () => {
      const client = await boot();
      const { login } = newUser();
      stack.faults.githubDelayMs = 30;
      const guessers = [newAddress(), newAddress()];
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => client.get(PATH, guessers[i % 2], as(i % 3 ? login : login.toUpperCase(), `guess-${i}`))));
      expect(stack.stats.failedLogins(login)).toBeLessThanOrEqual(5);
      expect(answers.filter((answer) => answer.status === 401)).toHaveLength(stack.stats.failedLogins(login));
      expect(answers.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true);
    });

    it('lets GitHub see at most 5 of 12 concurrent wrong codes sent through case variants of the username', async () => {
      const client = await boot();
      const { login, password } = newUser({ twoFactor: 'app' });
      const caller = newAddress();
      expect((await client.get(PATH, caller, as(login, password))).headers['x-github-otp']).toBe('required; app');
      stack.faults.githubDelayMs = 30;
      const variants = [login, login.toUpperCase(), `S${login.slice(1)}`];
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => client.get(PATH, newAddress(), as(variants[i % 3], password, { 'x-github-otp': '000000' }))));
      expect(stack.stats.failedCodes(login)).toBeLessThanOrEqual(5);
      expect(answers.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true);
    });
  });

  describe('point 3: no address starves the others', () => {
    it('logs a real user in at another address while one address sends 60 random usernames', async () => {
      // The deadline stands in for "within 2 s": a login that waited longer would answer 503 or 504.
      const client = await boot({ timeoutMs: 2_000 });
      const { login, password } = newUser();
      stack.faults.githubDelayMs = 50;
      const flood = newAddress();
      const junk = Promise.all(Array.from({ length: 60 }, (_, i) => client.get(PATH, flood, as(`junk${users}x${i}`, 'nope'))));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const real = await client.get(PATH, newAddress(), as(login, password));
      const junkAnswers = await junk;
      expect(real.status).toBe(200);
      // The flood's logins in flight count toward its address bound: junk stops after 10.
      expect(junkAnswers.filter((answer) => answer.status === 401).length).toBeLessThanOrEqual(10);
      expect(junkAnswers.filter((answer) => answer.status === 429).length).toBeGreaterThanOrEqual(50);
    });

    it('lets one address alone log 10 distinct identities in at once (a chat bot), within a 3 s deadline', async () => {
      const client = await boot({ timeoutMs: 3_000 });
      stack.faults.githubDelayMs = 50;
      const bot = newAddress();
      const people = Array.from({ length: 10 }, () => newUser());
      const answers = await Promise.all(people.map(({ login, password }) => client.get(PATH, bot, as(login, password))));
      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    });

    it('serves waiting addresses in turn: with the budget full, a newcomer goes before the 3rd login of a busy address', async () => {
      const client = await boot({ loginBudget: { maxConcurrent: 1 }, timeoutMs: 10_000 });
      stack.faults.githubDelayMs = 40;
      const busy = newAddress();
      const order: string[] = [];
      const track = (name: string, call: Promise<{ status: number }>) => call.then((answer) => order.push(`${name}:${answer.status}`));
      const first = Array.from({ length: 3 }, () => newUser()).map((user, i) => track(`busy${i}`, client.get(PATH, busy, as(user.login, user.password))));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const newcomer = newUser();
      const late = track('newcomer', client.get(PATH, newAddress(), as(newcomer.login, newcomer.password)));
      await Promise.all([...first, late]);
      expect(order).toContain('busy2:200');
      expect(order.indexOf('newcomer:200')).toBeLessThan(order.indexOf('busy2:200'));
    });
  });

  describe('point 6: no lockout of a login waiting for its code', () => {
    it('takes the victim\'s right code although a guesser failed 5 times on the username since the code was asked', async () => {
      const client = await boot();
      const { login, password } = newUser({ twoFactor: 'app' });
      const victim = newAddress();
      expect((await client.get(PATH, victim, as(login, password))).headers['x-github-otp']).toBe('required; app');
      const guesser = newAddress();
      for (let i = 0; i < 8; i++) await client.get(PATH, guesser, as(login, `guess-${i}`));
      expect(stack.stats.failedLogins(login)).toBe(5);
      expect((await client.get(PATH, newAddress(), as(login, 'another-guess'))).status).toBe(429);
      expect((await client.get(PATH, victim, as(login, password, { 'x-github-otp': stack.twoFactorCode(login)! }))).status).toBe(200);
    });
  });
});
