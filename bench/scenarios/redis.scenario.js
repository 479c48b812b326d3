// Scenario 8, the Redis store: (a) the backend path of the sample with REDIS_URL against the same
// sample with the memory store, same rounds; (b) logins of several identities spread over three
// replicas sharing one Redis; (c) what Redis holds per identity after N logins.
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { Pool } from 'undici';
import { ask, spawnNode, waitForMessage } from '../harness/child-process.registry.js';
import { runAutocannon } from '../harness/autocannon.runner.js';
import { basicAuthorization, benchIdentities } from '../harness/bench-identities.js';
import { withServerCpu } from '../harness/process-cpu.meter.js';
import { startRedisServer } from '../harness/redis-server.process.js';
import { startStackChild } from './backend-path-targets.js';
import { runLoadRounds } from './load-rounds.runner.js';
import { startSample } from './sample.launcher.js';

const SECRET = 'bench-replicas-share-this-secret-0123456789';
const PATH = '/mymicroservice/bench-job/time';
const REPLICAS = 3;

export async function runRedisScenario(settings, log) {
  const redis = await startRedisServer();
  try {
    // Each part has a simulated stack of its own, with the same bench identities: an empty Redis each
    // time (services sharing one Redis use a keyPrefix each; here it is one service at a time).
    const path = await backendPathRows(settings, redis, log);
    await flush(redis);
    const replicas = await replicaLogins(settings, redis, log);
    await flush(redis);
    const memory = await redisMemory(settings, redis, log);
    return { ...path, replicas, memory, problems: [...path.problems, ...replicas.problems, ...memory.problems] };
  } finally {
    await redis.stop();
  }
}

async function flush(redis) {
  const client = createClient({ url: redis.url });
  await client.connect();
  await client.flushAll();
  await client.close();
}

/** (a) The sample's metric route, memory store (baseline) and Redis store, interleaved in the same rounds. */
async function backendPathRows(settings, redis, log) {
  const stack = await startStackChild(settings.backendIdentities);
  const shared = { BACKEND_URL: stack.proxyUrl, GITHUB_URL: stack.githubUrl };
  const [memory, withRedis] = await Promise.all([
    startSample({ adapter: 'express', env: shared }),
    startSample({ adapter: 'express', env: { ...shared, REDIS_URL: redis.url, SESSION_SECRET: SECRET } }),
  ]);
  const headerSets = benchIdentities(settings.backendIdentities).map((identity) => ({ authorization: basicAuthorization(identity) }));
  const target = (id, label, sample, extra) => ({
    id,
    scenario: 8,
    label,
    path: `GET ${PATH}`,
    baselineId: null,
    ...extra,
    measure: (durationSec) =>
      withServerCpu([sample.pid, stack.child.pid], () => runAutocannon({ url: `${sample.origin}${PATH}`, connections: settings.connections, durationSec, headerSets })),
  });
  return runLoadRounds(
    [
      target('sample-express-memory-store', 'sample metric route, memory store, Express', memory, { role: 'baseline' }),
      target('sample-express-redis-store', 'sample metric route, Redis store, Express', withRedis, { baselineId: 'sample-express-memory-store', target: 0.9 }),
    ],
    settings,
    log,
  );
}

/** (b) N identities x M requests spread round-robin over three replicas sharing Redis: logins must equal identities. */
async function replicaLogins(settings, redis, log) {
  const n = settings.loginIdentities;
  const stack = await startStackChild(n);
  const env = { BACKEND_URL: stack.proxyUrl, GITHUB_URL: stack.githubUrl, REDIS_URL: redis.url, SESSION_SECRET: SECRET };
  const samples = await Promise.all(Array.from({ length: REPLICAS }, (_, i) => startSample({ adapter: i === REPLICAS - 1 ? 'fastify' : 'express', env })));
  const pools = samples.map((sample) => new Pool(sample.origin, { connections: 10 }));
  const identities = benchIdentities(n);
  const requests = n * settings.loginRequestsPerIdentity;
  let next = 0;
  let failed = 0;
  try {
    await Promise.all(Array.from({ length: 10 }, async () => {
      while (next < requests) {
        const i = next++;
        const res = await pools[i % REPLICAS].request({ path: PATH, method: 'GET', headers: { authorization: basicAuthorization(identities[Math.floor(i / REPLICAS) % n]) } });
        await res.body.text();
        if (res.statusCode !== 200) failed++;
      }
    }));
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
  const { logins } = await ask(stack.child, 'stats');
  log(`  ${requests} requests over ${REPLICAS} replicas: ${logins} logins for ${n} identities`);
  const problems = [];
  if (logins !== n) problems.push(`redis: ${n} identities over ${REPLICAS} replicas cost ${logins} logins, expected ${n}`);
  if (failed) problems.push(`redis: ${failed} requests over the replicas failed`);
  return { replicas: REPLICAS, identities: n, requests, logins, failedRequests: failed, problems };
}

/** (c) Redis's used memory after N identities logged in through one process with the Redis store. */
async function redisMemory(settings, redis, log) {
  const n = Math.min(settings.memoryIdentities, 2_000);
  const stack = await startStackChild(n + 20);
  const client = createClient({ url: redis.url });
  await client.connect();
  try {
    const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))[1]);
    const before = await usedMemory();
    const file = fileURLToPath(new URL('../servers/session-pool.memory.js', import.meta.url));
    const child = spawnNode(file, {
      nodeArgs: ['--expose-gc'],
      env: { START_URL: stack.startUrl, PROXY_URL: stack.proxyUrl, GITHUB_URL: stack.githubUrl, IDENTITIES: String(n), CONCURRENCY: '16', REDIS_URL: redis.url, SESSION_SECRET: SECRET },
      label: 'session pool memory (Redis store)',
    });
    await waitForMessage(child, 'ready', 600_000);
    const after = await usedMemory();
    const keys = await client.dbSize();
    const identities = n + 20;
    const perIdentity = (after - before) / identities;
    log(`  ${identities} identities: Redis +${((after - before) / 2 ** 20).toFixed(1)} MiB, ${keys} keys, ${Math.round(perIdentity)} B per identity`);
    return { identities, usedMemoryDeltaBytes: after - before, keys, bytesPerIdentity: perIdentity, problems: [] };
  } finally {
    await client.close();
  }
}
