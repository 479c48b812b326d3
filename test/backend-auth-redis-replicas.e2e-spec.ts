// Sessions shared across replicas through Redis: three sample processes (two on Express, one on
// Fastify) behind one simulated stack and one real redis-server, requests spread over them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { Pool } from 'undici';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { type RedisServer, startRedisServer } from './fixtures/redis-server.fixture.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = 'dist/sample/main.js';
const SECRET = 'replicas-share-this-secret-of-more-than-32-bytes';
const PASSWORD = 'pw-redis-canary-51f0';
const PATH = '/mymicroservice/buildmyapp/time';

interface Replica {
  child: ChildProcess;
  url: string;
}

/** One sample process as deployed, pointed at the shared stack and Redis; resolves once it listens. */
function startReplica(stack: SimulatedStack, redis: RedisServer, adapter: 'express' | 'fastify'): Promise<Replica> {
  const env = {
    PATH: process.env.PATH ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    HTTP_ADAPTER: adapter,
    BACKEND_URL: stack.proxyUrl,
    GITHUB_URL: stack.githubUrl,
    REDIS_URL: redis.url,
    SESSION_SECRET: SECRET,
    LOGLEVEL: 'INFO',
    SHUTDOWN_DELAY_MS: '0', // stopped by the test, no endpoints to wait for
  };
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`replica did not listen:\n${out}`)), 20_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.once('exit', (code) => reject(new Error(`replica exited (${code}):\n${out}`)));
  });
}

const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

describe('backend sessions shared by three replicas through Redis', () => {
  let stack: SimulatedStack;
  let redis: RedisServer;
  let replicas: Replica[] = [];

  const pools = new Map<string, Pool>();
  /** Each test calls from its own loopback address: the address bound would carry one test's guesses into the next. */
  let clientAddress = '127.0.0.1';
  let nextAddress = 10;
  beforeEach(() => {
    clientAddress = `127.0.0.${nextAddress++}`;
  });

  /** The `index`-th request goes to replica `index % 3`, from `from` (default: this test's address). */
  async function call(
    index: number,
    login: string,
    password = PASSWORD,
    otp?: string,
    device?: string,
    from = clientAddress,
  ): Promise<{ status: number; otpHeader?: string; retryAfter?: string; device?: string }> {
    const headers: Record<string, string> = { authorization: basic(login, password), ...(otp ? { 'x-github-otp': otp } : {}), ...(device ? { 'x-apikit-device': device } : {}) };
    const replica = replicas[index % replicas.length];
    const poolKey = `${replica.url} ${from}`;
    let pool = pools.get(poolKey);
    if (pool === undefined) pools.set(poolKey, (pool = new Pool(replica.url, { connections: 32, localAddress: from })));
    const res = await pool.request({ path: PATH, method: 'GET', headers });
    await res.body.text();
    const text = (name: string): string | undefined => res.headers[name] as string | undefined;
    return { status: res.statusCode, otpHeader: text('x-github-otp'), retryAfter: text('retry-after'), device: text('x-apikit-device') };
  }

  beforeAll(async () => {
    if (!existsSync(`${ROOT}${MAIN}`)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does).`);
    redis = await startRedisServer();
    stack = await startSimulatedStack({ users: [] });
    replicas = await Promise.all((['express', 'express', 'fastify'] as const).map((adapter) => startReplica(stack, redis, adapter)));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(
      [...pools.values()].map((pool) => pool.close()),
    );
    await Promise.all(
      replicas.map(async ({ child }) => {
        if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM'));
      }),
    );
    await stack?.stop();
    await redis?.stop();
  });

  it('makes exactly one login per identity for 10 identities x 300 requests interleaved over the replicas', async () => {
    const logins = Array.from({ length: 10 }, (_, i) => `spread${i}`);
    for (const login of logins) stack.addUser({ login, password: PASSWORD });
    const order = Array.from({ length: 3000 }, (_, i) => i);
    let next = 0;
    const statuses = new Map<number, number>();
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        while (next < order.length) {
          const i = next++;
          const { status } = await call(i * 7, logins[i % 10]);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: 3000 });
    expect(logins.map((login) => stack.stats.logins(login))).toEqual(Array(10).fill(1));
  }, 60_000);

  it('makes one login for 60 concurrent first requests of one identity across the replicas', async () => {
    stack.addUser({ login: 'crowd', password: PASSWORD });
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => call(i, 'crowd')));
    expect(results.every(({ status }) => status === 200)).toBe(true);
    expect(stack.stats.logins('crowd')).toBe(1);
  });

  it('completes a two-factor login on another replica than the one that was asked for the code', async () => {
    stack.addUser({ login: 'twofa', password: PASSWORD, twoFactor: 'app' });
    const asked = await call(0, 'twofa');
    expect([asked.status, asked.otpHeader]).toEqual([401, 'required; app']);
    const done = await call(1, 'twofa', PASSWORD, stack.twoFactorCode('twofa'));
    expect(done.status).toBe(200);
    // The session is the code-giver's: the third replica serves it with its device token, and not without.
    expect((await call(2, 'twofa', PASSWORD, undefined, done.device)).status).toBe(200);
    expect((await call(2, 'twofa')).otpHeader).toBe('required; app');
    expect([stack.stats.twoFactorChallenges('twofa'), stack.stats.codePosts('twofa'), stack.stats.logins('twofa')]).toEqual([2, 1, 1]);
  });

  it('asks GitHub at most 5 times for 20 wrong passwords of one username spread over the replicas', async () => {
    stack.addUser({ login: 'guessed', password: PASSWORD });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await call(i, i % 2 ? 'guessed' : 'GUESSED', `guess-${i}`)).status);
    expect(stack.stats.failedLogins('guessed')).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - stack.stats.failedLogins('guessed'));
  });

  it('keeps nothing readable in Redis: no username, password, cookie value or code in clear', async () => {
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const dump: string[] = [];
      for (const key of await client.keys('*')) {
        dump.push(key);
        const type = await client.type(key);
        if (type === 'string') dump.push(String(await client.get(key)));
        if (type === 'zset') dump.push(...(await client.zRange(key, 0, -1)));
      }
      const text = dump.join('\n');
      expect(dump.length).toBeGreaterThan(10);
      for (const secret of ['spread0', 'crowd', 'twofa', 'guessed', PASSWORD, '_oauth2_proxy', 'user_session', '_device_id']) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await client.close();
    }
  });

  it('fails no request while Redis is killed mid-load, and shares again once it is back', async () => {
    const logins = Array.from({ length: 3 }, (_, i) => `steady${i}`);
    for (const login of logins) stack.addUser({ login, password: PASSWORD });
    for (let i = 0; i < 3; i++) expect((await call(i, logins[i])).status).toBe(200);
    let sent = 0;
    const failed: number[] = [];
    const load = (async () => {
      for (; sent < 600; sent++) {
        const { status } = await call(sent, logins[sent % 3]);
        if (status !== 200) failed.push(status);
      }
    })();
    while (sent < 100) await new Promise((resolve) => setTimeout(resolve, 10));
    await redis.kill();
    while (sent < 400) await new Promise((resolve) => setTimeout(resolve, 10));
    await redis.restart();
    await load;
    expect(failed).toEqual([]);
    // The replicas reconnect within 2 s (their back-off's ceiling); then a new identity logs in once again.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    stack.addUser({ login: 'afterwards', password: PASSWORD });
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => call(i, 'afterwards')));
    expect(results.every(({ status }) => status === 200)).toBe(true);
    expect(stack.stats.logins('afterwards')).toBe(1);
  }, 60_000);
});
