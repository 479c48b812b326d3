// The identity's login lock, shared through Redis, when Redis answers late or not at all (issue 26, the 120-minute
// soak: twice, a caller waited its whole 10 s and got "Too many GitHub logins in progress", 5 s after a Redis stall
// ended, with no login in progress anywhere). The lock's SET had timed out during the stall and the login went on
// without it; Redis ran the SET when the stall ended, and the lock, which no login held, kept every replica's next
// login of the identity waiting for the lock's whole term (the login time-out).
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { createClient } from 'redis';
import request from 'supertest';
import { CallDeadline } from '../lib/backend-auth/http/call-deadline.js';
import { RedisConnection, type RedisCommandClient } from '../lib/backend-auth/store/redis-connection.js';
import { SharedLoginCoordinator } from '../lib/backend-auth/store/shared-login.coordinator.js';
import { SharedLoginState } from '../lib/backend-auth/store/shared-login-state.js';
import { ValueCipher } from '../lib/backend-auth/store/value.cipher.js';
import { withBackendSessionDefaults } from '../lib/options/backend-options.defaults.js';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';
import { startFaultRelay, type FaultRelay } from './fixtures/fault-relay.fixture.js';
import { type RedisServer, startRedisServer } from './fixtures/redis-server.fixture.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SECRET = 'orphan-lock-replicas-share-this-secret-0123';
const PASSWORD = 'pw-orphan-lock-canary-2b9c';

describe('the login lock in Redis, its commands answered late or lost', () => {
  let redis: RedisServer;
  let client: ReturnType<typeof createClient>;

  beforeAll(async () => {
    redis = await startRedisServer();
    client = createClient({ url: redis.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await redis?.stop();
  });

  const stateOver = (sendCommand: RedisCommandClient['sendCommand'], prefix: string) =>
    new SharedLoginState(new RedisConnection({ sendCommand }, 50), new ValueCipher(Buffer.alloc(32, 7)), prefix);

  const coordinatorOver = (state: SharedLoginState) => new SharedLoginCoordinator(state, withBackendSessionDefaults({ loginTimeoutMs: 15_000 }));
  const singleFlight = async (coordinator: SharedLoginCoordinator, login: () => Promise<string>) => {
    const deadline = new CallDeadline(5_000, 'The test');
    try {
      return await coordinator.singleFlight('identity', async () => undefined, deadline, login);
    } finally {
      deadline.dispose();
    }
  };

  it('gives back a lock whose SET timed out once its login ended: Redis ran it, and no login holds it', async () => {
    // Redis runs each command at once; its reply reaches the store 100 ms late, past a 50 ms time-out.
    const state = stateOver(async (args) => (await Promise.all([client.sendCommand(args), sleep(100)]))[0], 'late:');
    expect(await singleFlight(coordinatorOver(state), async () => 'logged in')).toBe('logged in');
    await sleep(200); // the unlock, sent after the login, has run
    expect(await client.exists('late:lock:identity')).toBe(0);
  });

  it('keeps the single flight while a lock whose answer was lost lives, and gives it back after its login', async () => {
    // The SET reaches Redis, its answer is lost with the connection (a reset): the other replicas wait for this login.
    const state = stateOver(async (args) => {
      const reply = await client.sendCommand(args);
      if (args[0] === 'SET' && args[1] === 'lost-answer:lock:identity') throw new Error('Socket closed unexpectedly');
      return reply;
    }, 'lost-answer:');
    const done = await singleFlight(coordinatorOver(state), async () => {
      expect(await client.exists('lost-answer:lock:identity')).toBe(1);
      return 'logged in';
    });
    expect(done).toBe('logged in');
    expect(await client.exists('lost-answer:lock:identity')).toBe(0);
  });

  it('sends an unlock Redis did not answer again, until one is answered', async () => {
    let unlocksLost = 2;
    const state = stateOver(async (args) => {
      // A reset connection: the first unlocks fail, unsent.
      if (args[0] === 'EVAL' && args[1].includes("'DEL'") && unlocksLost-- > 0) throw new Error('Socket closed unexpectedly');
      return client.sendCommand(args);
    }, 'lost:');
    const done = await singleFlight(coordinatorOver(state), async () => {
      expect(await client.exists('lost:lock:identity')).toBe(1);
      return 'logged in';
    });
    expect(done).toBe('logged in');
    expect(await client.exists('lost:lock:identity')).toBe(1); // the first unlock was lost
    await sleep(1_200); // tried again after 250 ms (lost), then after 500 ms more
    expect(unlocksLost).toBe(-1);
    expect(await client.exists('lost:lock:identity')).toBe(0);
  });
});

describe.each(ADAPTERS)('a login during a Redis stall, then the identity again, on %s', (adapter, createAdapter) => {
  let stack: SimulatedStack;
  let redis: RedisServer;
  let redisRelay: FaultRelay;
  let app: INestApplication;
  const login = `orphan-${adapter}`;
  const call = () => request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, PASSWORD));

  beforeAll(async () => {
    [redis, redisRelay] = await Promise.all([startRedisServer(), startFaultRelay()]);
    redisRelay.forwardTo(`http://127.0.0.1:${redis.port}`);
    stack = await startSimulatedStack({ users: [{ login, password: PASSWORD }] });
    // The lock lasts the login time-out (10 s): longer than the caller's 5 s, as the soak's 15 s outlast its 10 s.
    const backend = { store: { type: 'redis' as const, url: `redis://127.0.0.1:${new URL(redisRelay.url).port}/0` }, secret: SECRET, loginTimeoutMs: 10_000, timeoutMs: 5_000 };
    app = await createProxyApp(createAdapter, stack, { backend });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
    await redisRelay?.close();
    await redis?.stop();
  });

  it('logs the identity in at its next call: the lock Redis took late is given back', async () => {
    // Redis stalls (it runs what it is sent, its answers are held); GitHub is down: the login fails without a session.
    redisRelay.mode = 'hold-answers';
    stack.faults.githubStatus = 503;
    const during = await call();
    expect(during.status).toBe(502);
    stack.faults.githubStatus = undefined;
    redisRelay.mode = 'pass';

    // Before: the lock waited for until the call's deadline, then a 503 "Too many GitHub logins in progress".
    const after = await call();
    expect([after.status, after.body.error_content]).toEqual([200, undefined]);
    expect(stack.stats.logins(login)).toBe(1);
  }, 20_000);
});

// A caller that waited for another replica's login of its identity until its own deadline: a 504 (the login took too
// long), not the budget's 503 "Too many GitHub logins in progress", with the budget empty.
describe.each(ADAPTERS)("waiting for another replica's login until the deadline, on %s", (adapter, createAdapter) => {
  let stack: SimulatedStack;
  let redis: RedisServer;
  let github: FaultRelay;
  const replicas: INestApplication[] = [];
  const login = `slow-${adapter}`;
  const call = (replica: number) => request(replicas[replica].getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, PASSWORD));

  beforeAll(async () => {
    [redis, github] = await Promise.all([startRedisServer(), startFaultRelay()]);
    stack = await startSimulatedStack({ users: [{ login, password: PASSWORD }], publicUrls: { github: github.url } });
    github.forwardTo(stack.serverUrls.github);
    const backend = { store: { type: 'redis' as const, url: redis.url }, secret: SECRET, loginTimeoutMs: 3_000, timeoutMs: 1_500 };
    for (let i = 0; i < 2; i++) replicas.push(await createProxyApp(createAdapter, stack, { backend }));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((app) => app.close()));
    await stack?.stop();
    await github?.close();
    await redis?.stop();
  });

  it('answers 504 to the caller that waited, and the login goes through once GitHub answers', async () => {
    // GitHub's answers stall: replica 0's login holds the identity's lock until its 3 s time-out.
    github.mode = 'hold-answers';
    const first = call(0).then((res) => res);
    await sleep(300);
    const waited = await call(1);
    expect([waited.status, waited.headers['retry-after']]).toEqual([504, undefined]);
    expect(waited.body.error_content).not.toMatch(/Too many GitHub logins/);
    expect((await first).status).toBe(504);
    // Replica 0's login ends (its held answers delivered, or its 3 s time-out), then the identity logs in: a call may
    // still meet the lock first (CI, on a loaded machine), hence a few.
    github.mode = 'pass';
    let status = 0;
    for (let tries = 0; tries < 5 && status !== 200; tries++) status = (await call(1)).status;
    expect(status).toBe(200);
  }, 20_000);
});
