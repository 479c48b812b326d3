// Scenario 7, the measuring side: a process holding nestjs-apikit's backend session, which logs
// IDENTITIES distinct callers in through the simulated stack (another process, so its memory is
// not counted here) with bounded concurrency, then reports the memory the pool grew by.
// Run with --expose-gc so both readings are taken after full collections.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiKitModule, BitlyProxySession } from 'nestjs-apikit';
// Internal class, not in the public barrel: read only to check that the pool really holds every identity.
import { ProxySessionPool } from '../../dist/lib/backend-auth/pool/proxy-session.pool.js';
import { benchIdentity } from '../harness/bench-identities.js';
import { announceError, announceReady } from './parent.channel.js';

const { START_URL, PROXY_URL, GITHUB_URL, REDIS_URL, SESSION_SECRET } = process.env;
const identities = Number(process.env.IDENTITIES);
const concurrency = Number(process.env.CONCURRENCY ?? 16);
/** Identities logged in before the first reading, to warm code paths and connection pools. */
export const WARM_IDENTITIES = 20;

function memory() {
  globalThis.gc();
  globalThis.gc();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

async function callAs(session, index) {
  const { login, password } = benchIdentity(index);
  const res = await session.as({ username: login, password }).get(`${PROXY_URL}/api`, { params: { metric: 'time', job: 'bench-job' } });
  if (!res.ok) throw new Error(`identity ${index}: backend answered ${res.status}`);
}

try {
  class MemoryModule {}
  Module({
    imports: [
      ApiKitModule.forRoot({
        name: 'bench-memory',
        version: '1.0.0',
        repository: 'https://github.com/lsst-sqre/bench-service',
        description: 'Holds one backend session per identity',
        auth: { type: 'bitly-proxy', data: { username: '', password: '', endpoint: START_URL } },
        // The default pool keeps 1000 identities and the login budget allows 60 a minute; this
        // scenario logs every identity in at once, to measure what the pool holds.
        backend: {
          githubUrl: GITHUB_URL,
          pool: { maxEntries: identities + WARM_IDENTITIES },
          // Thousands of identities log in once each: the hourly budget (1000 by default) must not stop them.
          loginBudget: { maxConcurrent: concurrency, perMinute: identities + WARM_IDENTITIES, perHour: identities + WARM_IDENTITIES },
          // The Redis rows: the same logins, shared through Redis (whose memory the parent reads).
          ...(REDIS_URL ? { store: { type: 'redis', url: REDIS_URL }, secret: SESSION_SECRET } : {}),
        },
      }),
    ],
  })(MemoryModule);
  const app = await NestFactory.createApplicationContext(MemoryModule, { logger: false });
  const session = app.get(BitlyProxySession);
  const pool = app.get(ProxySessionPool, { strict: false });

  for (let i = 0; i < WARM_IDENTITIES; i++) await callAs(session, identities + i);
  const before = memory();
  const poolSizeBefore = pool.size;
  const started = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < identities) await callAs(session, next++);
  }));
  const loginMs = Date.now() - started;
  const after = memory();
  announceReady({ before, after, poolSizeBefore, poolSizeAfter: pool.size, loginMs });
  await app.close();
} catch (err) {
  announceError(err);
  process.exit(1);
}
