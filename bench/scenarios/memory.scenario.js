// Scenario 7: memory of the session pool after N distinct identities, total and per identity.
// Pool entries only come from real bitly-proxy logins, so N logins run against the simulated
// stack (loopback, 16 at a time); the pool's maxEntries is raised to hold them all.
import { fileURLToPath } from 'node:url';
import { ask, spawnNode, waitForMessage } from '../harness/child-process.registry.js';
import { startStackChild } from './backend-path-targets.js';

const WARM_IDENTITIES = 20; // as in servers/session-pool.memory.js
const CONCURRENCY = 16;

export async function runMemoryScenario(settings, log) {
  const n = settings.memoryIdentities;
  const stack = await startStackChild(n + WARM_IDENTITIES);
  const file = fileURLToPath(new URL('../servers/session-pool.memory.js', import.meta.url));
  const child = spawnNode(file, {
    nodeArgs: ['--expose-gc'],
    env: { START_URL: stack.startUrl, PROXY_URL: stack.proxyUrl, GITHUB_URL: stack.githubUrl, IDENTITIES: String(n), CONCURRENCY: String(CONCURRENCY) },
    label: 'session pool memory',
  });
  const m = await waitForMessage(child, 'ready', 600_000);
  const stats = await ask(stack.child, 'stats');
  const pooled = m.poolSizeAfter - m.poolSizeBefore;
  const delta = (key) => m.after[key] - m.before[key];
  const result = {
    identities: n,
    loginConcurrency: CONCURRENCY,
    poolMaxEntries: n + WARM_IDENTITIES,
    pooledIdentities: pooled,
    stackLogins: stats.logins,
    loginMs: m.loginMs,
    rssDeltaBytes: delta('rss'),
    heapUsedDeltaBytes: delta('heapUsed'),
    externalDeltaBytes: delta('external'),
    rssPerIdentityBytes: delta('rss') / pooled,
    heapUsedPerIdentityBytes: delta('heapUsed') / pooled,
    before: m.before,
    after: m.after,
    problems: [],
  };
  if (pooled !== n) result.problems.push(`memory: the pool holds ${pooled} new identities, expected ${n}`);
  if (stats.logins !== n + WARM_IDENTITIES) result.problems.push(`memory: ${stats.logins} logins, expected ${n + WARM_IDENTITIES}`);
  log(`  ${pooled} identities in ${m.loginMs} ms: heap +${(delta('heapUsed') / 2 ** 20).toFixed(1)} MiB, rss +${(delta('rss') / 2 ** 20).toFixed(1)} MiB, ${Math.round(result.heapUsedPerIdentityBytes)} B heap per identity`);
  return result;
}
