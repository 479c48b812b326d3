// Prometheus metrics of the shared store (issue 24): two replicas (one per adapter) on a real redis-server.
// A session one replica logged in is a `shared` lookup on the other; `apikit_store_degraded` follows Redis
// going away and coming back.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Registry } from 'prom-client';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { AddressedClient } from './fixtures/addressed-client.fixture.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';
import { parsePrometheusText } from './fixtures/prometheus-text.fixture.js';
import { type RedisServer, startRedisServer } from './fixtures/redis-server.fixture.js';

const SECRET = 'metrics-redis-replicas-secret-0123456789';
const PATH = '/t/metric/job/metric';
const CLIENT = '127.0.0.1';

describe('metrics of two replicas sharing Redis', () => {
  let stack: SimulatedStack;
  let redis: RedisServer;
  const apps: INestApplication[] = [];
  let replicas: AddressedClient[] = [];

  const scrape = async (replica: AddressedClient): Promise<Map<string, number>> => {
    const res = await replica.get('/metrics', CLIENT, {});
    expect(res.status).toBe(200);
    return parsePrometheusText(res.text);
  };
  /** Bounded: asks every 100 ms, at most 100 times, until `replica` reports `value`; returns the last one seen. */
  const degradedBecomes = async (replica: AddressedClient, value: number): Promise<number | undefined> => {
    let seen: number | undefined;
    for (let attempt = 0; attempt < 100 && seen !== value; attempt++) {
      // A request makes the replica use Redis (the 1 s refresh of blocked keys does too).
      await replica.get(PATH, CLIENT, { authorization: basic('octocat', 'right-password') });
      seen = (await scrape(replica)).get('apikit_store_degraded');
      if (seen !== value) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return seen;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    stack = await startSimulatedStack({ users: [{ login: 'octocat', password: 'right-password' }] });
    replicas = await Promise.all(
      ADAPTERS.map(async ([, createAdapter]) => {
        const app = await createProxyApp(createAdapter, stack, {
          metrics: { registry: new Registry() },
          backend: { store: { type: 'redis', url: redis.url, keyPrefix: 'metrics:' }, secret: SECRET },
        });
        apps.push(app);
        return AddressedClient.of(app);
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(replicas.map((client) => client.close()));
    await Promise.all(apps.map((app) => app.close()));
    await stack?.stop();
    await redis?.stop();
  });

  it('counts a session found in Redis as a shared lookup on the replica that did not log in', async () => {
    const [first, second] = replicas;
    const auth = { authorization: basic('octocat', 'right-password') };
    expect((await first.get(PATH, CLIENT, auth)).status).toBe(200);
    expect((await second.get(PATH, CLIENT, auth)).status).toBe(200);
    expect((await second.get(PATH, CLIENT, auth)).status).toBe(200);
    expect(stack.stats.logins('octocat')).toBe(1);

    const one = await scrape(first);
    expect(one.get('apikit_session_lookups_total{result="miss"}')).toBe(1);
    expect(one.get('apikit_session_lookups_total{result="shared"}')).toBe(0);
    expect(one.get('apikit_logins_total{outcome="success"}')).toBe(1);
    const two = await scrape(second);
    expect(two.get('apikit_session_lookups_total{result="shared"}')).toBe(1);
    expect(two.get('apikit_session_lookups_total{result="hit"}')).toBe(1);
    expect(two.get('apikit_session_lookups_total{result="miss"}')).toBe(0);
    expect(two.get('apikit_logins_total{outcome="success"}')).toBe(0);
    for (const samples of [one, two]) {
      expect(samples.get('apikit_sessions')).toBe(1);
      expect(samples.get('apikit_store_degraded')).toBe(0);
    }
  });

  it('reports the store degraded on each replica while Redis is away, and 0 again once it is back', async () => {
    await redis.kill();
    for (const replica of replicas) expect(await degradedBecomes(replica, 1)).toBe(1);
    await redis.restart();
    for (const replica of replicas) expect(await degradedBecomes(replica, 0)).toBe(0);
  }, 60_000);
});
