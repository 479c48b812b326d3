// Scenario 8, the Redis store: (a) the backend path of the sample with REDIS_URL against the same
// sample with the memory store, same rounds (the steady state: pooled sessions); (b) logins of several
// identities spread over three replicas sharing one Redis; (c) what Redis holds per identity after N
// logins; (d) the scrypt of an identity's stored keys alone, against the HMAC it replaced (issue 27);
// (e) the first request of a new identity, login included, Redis store against memory store.
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { Pool } from 'undici';
import { ask, spawnNode, waitForMessage } from '../harness/child-process.registry.js';
import { runAutocannon } from '../harness/autocannon.runner.js';
import { basicAuthorization, benchIdentities } from '../harness/bench-identities.js';
import { withServerCpu } from '../harness/process-cpu.meter.js';
import { median } from '../harness/median.statistic.js';
import { startRedisServer } from '../harness/redis-server.process.js';
import { startStackChild } from './backend-path-targets.js';
import { runLoadRounds } from './load-rounds.runner.js';
import { startSample } from './sample.launcher.js';
import { measureStoredKeyCost } from './stored-keys.cost.js';

const SECRET = 'bench-replicas-share-this-secret-0123456789';
const PATH = '/mymicroservice/bench-job/time';
const REPLICAS = 3;

export async function runRedisScenario(settings, log) {
  // First, on an idle machine (no server started yet): the derivation alone, in this process.
  const storedKeys = await measureStoredKeyCost(SECRET, settings.storedKeyDerivations, log);
  const redis = await startRedisServer();
  try {
    // Each part has a simulated stack of its own, with the same bench identities: an empty Redis each
    // time (services sharing one Redis use a keyPrefix each; here it is one service at a time).
    const path = await backendPathRows(settings, redis, log);
    await flush(redis);
    const replicas = await replicaLogins(settings, redis, log);
    await flush(redis);
    const memory = await redisMemory(settings, redis, log);
    return {
      ...path,
      replicas,
      memory,
      storedKeys,
      problems: [...path.problems, ...replicas.problems, ...memory.problems, ...storedKeys.problems, ...path.firstCalls.problems],
    };
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

/**
 * (a) The sample's metric route, memory store (baseline) and Redis store, interleaved in the same rounds;
 * before the rounds, on the same two samples, (e) the first calls of identities neither has seen.
 */
async function backendPathRows(settings, redis, log) {
  const firstCallCount = FIRST_CALL_WARMUP + settings.firstCallIdentities;
  const stack = await startStackChild(settings.backendIdentities + firstCallCount);
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
  // Identities after the load's: accounts of the stack that neither sample has logged in yet.
  const firstCalls = await firstCallLatencies(stack, memory, withRedis, benchIdentities(firstCallCount, settings.backendIdentities), log);
  const rows = await runLoadRounds(
    [
      target('sample-express-memory-store', 'sample metric route, memory store, Express', memory, { role: 'baseline' }),
      target('sample-express-redis-store', 'sample metric route, Redis store, Express', withRedis, { baselineId: 'sample-express-memory-store', target: 0.9 }),
    ],
    settings,
    log,
  );
  return { ...rows, firstCalls };
}

/**
 * First identities of (e) kept out of the medians (reported apart): a process's first login loads its tools,
 * and with Redis each of libuv's 4 threads pays more for its first scrypts (page faults of its 16 MiB),
 * ~5 derivations in all (bench/servers/stored-key.cost.js).
 */
const FIRST_CALL_WARMUP = 6;

/**
 * (e) One identity at a time, the two samples in turns (which goes first alternates): the latency of its
 * first request (a login through the simulated stack; with Redis also the scrypt of its stored keys, the
 * shared-session lookup, the attempt reservation and the writes), then of its second (a pool hit). Each
 * first request must cost exactly one login.
 */
async function firstCallLatencies(stack, memory, withRedis, identities, log) {
  const pools = { memory: new Pool(memory.origin, { connections: 1 }), redis: new Pool(withRedis.origin, { connections: 1 }) };
  const runs = [];
  const problems = [];
  const timed = async (store, authorization) => {
    const t0 = process.hrtime.bigint();
    const res = await pools[store].request({ path: PATH, method: 'GET', headers: { authorization } });
    await res.body.text();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (res.statusCode !== 200) problems.push(`redis first calls: ${store} store answered ${res.statusCode}`);
    return ms;
  };
  try {
    for (const [i, identity] of identities.entries()) {
      const authorization = basicAuthorization(identity);
      const figures = { login: identity.login, warmup: i < FIRST_CALL_WARMUP };
      for (const store of i % 2 === 0 ? ['memory', 'redis'] : ['redis', 'memory']) {
        const before = (await ask(stack.child, 'stats', { logins: [identity.login] })).loginsByUser[identity.login];
        figures[`${store}FirstMs`] = await timed(store, authorization);
        figures[`${store}SecondMs`] = await timed(store, authorization);
        const after = (await ask(stack.child, 'stats', { logins: [identity.login] })).loginsByUser[identity.login];
        if (after - before !== 1) problems.push(`redis first calls: ${identity.login} cost ${after - before} logins on the ${store} store, expected 1`);
      }
      runs.push(figures);
    }
  } finally {
    await Promise.all(Object.values(pools).map((pool) => pool.close()));
  }
  const counted = runs.filter((r) => !r.warmup);
  const m = (key) => median(counted.map((r) => r[key]));
  const result = {
    identities: counted.length,
    warmupIdentities: FIRST_CALL_WARMUP,
    memoryFirstMedianMs: m('memoryFirstMs'),
    redisFirstMedianMs: m('redisFirstMs'),
    // Per identity, the two first calls a few ms apart: the paired difference is steadier than a difference of medians.
    redisOverMemoryFirstMedianMs: median(counted.map((r) => r.redisFirstMs - r.memoryFirstMs)),
    memorySecondMedianMs: m('memorySecondMs'),
    redisSecondMedianMs: m('redisSecondMs'),
    // The first identities after the samples started, in order: what a restarted replica's first callers pay.
    freshMemoryFirstMs: runs.filter((r) => r.warmup).map((r) => r.memoryFirstMs),
    freshRedisFirstMs: runs.filter((r) => r.warmup).map((r) => r.redisFirstMs),
    runs,
    problems,
  };
  const list = (values) => values.map((v) => v.toFixed(0)).join(', ');
  log(`  first call of a new identity (median of ${result.identities}): memory store ${result.memoryFirstMedianMs.toFixed(1)} ms, Redis store ${result.redisFirstMedianMs.toFixed(1)} ms (+${result.redisOverMemoryFirstMedianMs.toFixed(1)} ms); second call ${result.memorySecondMedianMs.toFixed(2)} / ${result.redisSecondMedianMs.toFixed(2)} ms`);
  log(`  the first ${FIRST_CALL_WARMUP} identities after start (not in the medians): memory ${list(result.freshMemoryFirstMs)} ms; Redis ${list(result.freshRedisFirstMs)} ms`);
  return result;
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
