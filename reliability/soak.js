// `npm run soak`: identities of every kind (plain, two-factor codes through X-GitHub-OTP, device
// verification) calling 3 replicas of the built sample (2 on Express, 1 on Fastify) that share a real
// redis-server, behind fault proxies towards the simulated stack (oauth2-proxy front, GitHub) and Redis,
// whose windows add latency, reset connections, leave them half-open, cut answers and stall them, while
// GitHub answers 5xx in bursts and Redis is restarted once (issue 26). Checked (exit 1 otherwise): no
// answer served as another identity, no failure outside the windows and their grace, only apikit's
// 502/503/504 inside, no GitHub login but each identity's first and the re-logins the faults forced (by
// cause), a live heap without a trend over the last 80% of the load, descriptors and sockets back to
// their start once the callers leave, every replica alive without an unhandled rejection.
// SOAK_MINUTES (10), SOAK_IDENTITIES (1000), SOAK_SEED, SOAK_RATE (calls a second, 100), SOAK_CONCURRENCY (48),
// SOAK_LINKS (proxy,github,redis: the links with faults), SOAK_TRACE (a file: every call as a JSON line),
// SOAK_LOGS (a directory: each replica's log at INFO).
// `npm run soak:short` (`--short`): 60 s of load and 100 identities, the test command's run.
// Writes .tmp/soak-latest.json, and with --record the soak section of RELIABILITY.md.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ask } from '../bench/harness/child-process.registry.js';
import { waitFor200 } from '../bench/harness/http-ready.probe.js';
import { CallLedger } from './soak/call.ledger.js';
import { driveFaults } from './soak/fault.driver.js';
import { faultWindows } from './soak/fault.schedule.js';
import { heapTrend } from './soak/heap.trend.js';
import { runLoad } from './soak/load.driver.js';
import { callAs } from './soak/soak.caller.js';
import { byCause, LoginTimeline } from './soak/login.timeline.js';
import { countDescriptors, sampleHeap } from './soak/replica.sampler.js';
import { failedChecks } from './soak/soak.checks.js';
import { soakIdentities } from './soak/soak-identities.js';
import { recordSoakSection } from './soak/soak.markdown.js';
import { startSoakSystem } from './soak/soak.setup.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = (name, fallback) => (process.env[name] === undefined || process.env[name] === '' ? fallback : Number(process.env[name]));
const short = process.argv.includes('--short');
const minutes = env('SOAK_MINUTES', short ? 1 : 10);
const loadMs = Math.round(minutes * 60_000);
const settings = {
  minutes,
  // Each replica derives an scrypt key per identity (about 32 ms of CPU each, the device-token ones again): the short
  // run's warm-up (12 s) on 2 cores holds 100 identities besides the load.
  identities: env('SOAK_IDENTITIES', short ? 100 : 1000),
  seed: env('SOAK_SEED', 20_261_206),
  rate: env('SOAK_RATE', 100),
  concurrency: env('SOAK_CONCURRENCY', 48),
  adapters: ['express', 'express', 'fastify'],
  // Identities join over the first 20% (the heap's warm-up, left out of its trend); faults come after.
  warmupMs: Math.round(loadMs * 0.2),
  // Short: 5 slots of ~10 s, 3 s windows; long: 30 s slots, 8 s windows.
  slotMs: short ? Math.round((loadMs * 0.8) / 5) : 30_000,
  windowMs: short ? 3_000 : 8_000,
  latencyMs: 150,
  // SOAK_LINKS=proxy,redis: faults on those links only (all three by default), to tell causes apart.
  links: (process.env.SOAK_LINKS || 'proxy,github,redis').split(',').filter(Boolean),
  /**
   * After a window, calls may still meet what it left: Redis reconnecting (node-redis waits up to 2 s between
   * tries) and kept-alive connections it broke (undici keeps an idle one 4 s). 5 s covers both.
   */
  graceMs: 5_000,
  // Proxy sessions end well within the run, spread as the identities joined: sign-ins keep going through GitHub.
  proxySessionMs: Math.max(20_000, Math.round(loadMs * 0.4)),
  record: process.argv.includes('--record'),
};
/** How long the callers' leaving may take to show in the replicas' descriptors: undici's 4 s keep-alive, and margin. */
const SETTLE_MAX_MS = 15_000;
const UNHANDLED = /unhandled ?rejection|uncaught ?exception|UnhandledPromiseRejection/i;

const started = Date.now();
const loadAtStart = loadavg()[0];
if (short) console.log(`soak --short: ${settings.identities} identities (a full run has 1000: each costs every replica an scrypt, which the short warm-up must fit), ${minutes * 60} s of load`);
const identities = soakIdentities(settings.identities, settings.seed);
const unhandled = new Map();
const system = await startSoakSystem({
  identities,
  adapters: settings.adapters,
  proxySessionMs: settings.proxySessionMs,
  onReplicaLine: (replica, line) => {
    if (!UNHANDLED.test(line)) return;
    const seen = unhandled.get(replica.index) ?? [];
    seen.push(line.slice(0, 500));
    unhandled.set(replica.index, seen);
  },
});
const { replicas, stack } = system;
console.log(`soak: ${replicas.map((r) => r.label).join(', ')} up in ${((Date.now() - started) / 1000).toFixed(1)} s; ${settings.identities} identities, ${settings.rate} calls/s, ${minutes} min, seed ${settings.seed}`);

let result;
try {
  await delay(500);
  const startLevels = replicas.map((replica) => countDescriptors(replica.pid));
  const windows = faultWindows({ loadMs, ...settings });
  const ledger = new CallLedger(windows, settings.graceMs);
  const timeline = new LoginTimeline();
  const heaps = replicas.map(() => []);
  const peaks = replicas.map(() => ({ fds: 0, sockets: 0 }));
  const logins = identities.map((identity) => identity.login);
  const sample = async () => {
    const t = Date.now();
    await Promise.all(replicas.map(async (replica, i) => {
      const heap = await sampleHeap(replica.child);
      if (heap !== undefined) heaps[i].push({ t, ...heap });
      const now = countDescriptors(replica.pid);
      peaks[i] = { fds: Math.max(peaks[i].fds, now.fds), sockets: Math.max(peaks[i].sockets, now.sockets) };
    }));
    timeline.update(Date.now(), (await ask(stack.child, 'stats', { logins })).loginsByUser);
  };
  // A few calls to each replica first, not counted: a process's first logins (code not compiled yet, Redis scripts not
  // loaded) take seconds, and the first identities' would wait on them for the login budget.
  const agent = new Agent({ keepAlive: true, maxSockets: settings.concurrency });
  const codeOf = (login) => ask(stack.child, 'code', { login });
  for (const replica of replicas) for (const identity of identities.slice(0, 3)) await callAs(identity, replica, { agent, codeOf });
  const startsAt = Date.now() + 200;
  const endsAt = startsAt + loadMs;
  const sampler = setInterval(() => void sample().catch(() => undefined), 1_000);
  const faults = driveFaults(windows, { startsAt, links: system.links, stack, redis: system.redis });
  // SOAK_TRACE=<file>: every call as a JSON line (times from the start of the load), to follow an identity through a failure.
  const trace = process.env.SOAK_TRACE ? createWriteStream(process.env.SOAK_TRACE) : undefined;
  const onResult = (call) => {
    ledger.record(call);
    trace?.write(`${JSON.stringify({ t: call.started - startsAt, ms: call.ended - call.started, login: call.identity.login, kind: call.identity.kind, replica: call.replica.index + 1, status: call.status, codes: call.codesAsked, error: call.body?.error_content })}\n`);
  };
  await runLoad({ identities, replicas, rate: settings.rate, concurrency: settings.concurrency, startsAt, warmupMs: settings.warmupMs, endsAt, agent, codeOf, onResult });
  trace?.end();
  clearInterval(sampler);
  await faults.finish();
  await sample();

  // The callers leave; the replicas' own pools close after their keep-alive.
  agent.destroy();
  const settleFrom = Date.now();
  let endLevels;
  for (;;) {
    endLevels = replicas.map((replica) => countDescriptors(replica.pid));
    const settled = endLevels.every((end, i) => end.fds <= startLevels[i].fds && end.sockets <= startLevels[i].sockets);
    if (settled || Date.now() - settleFrom >= SETTLE_MAX_MS) break;
    await delay(500);
  }
  const settleMs = Date.now() - settleFrom;
  const counts = await ask(stack.child, 'counts');
  const alive = await Promise.all(replicas.map((replica) =>
    replica.child.exitCode === null && replica.child.signalCode === null
      ? waitFor200(`http://127.0.0.1:${replica.port}/`, { child: replica.child, timeoutMs: 5_000 }).then(() => true, () => false)
      : false));

  const relogins = byCause(timeline.events.filter((e) => e.nth > 1), windows, settings.graceMs, 1_000, ledger.visits);
  const codesAgain = byCause(ledger.codesAskedAgain, windows, settings.graceMs, 0, ledger.visits);
  const relative = (t) => (t === undefined ? undefined : t - startsAt);
  result = {
    date: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    settings,
    node: process.version,
    machine: `${cpus()[0]?.model ?? 'cpu'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    loadAverage: [loadAtStart, loadavg()[0]].map((load) => Number(load.toFixed(1))),
    windows: windows.map((w) => ({ label: w.label, openedMs: relative(w.openedAt), closedMs: relative(w.closedAt) })),
    calls: { calls: ledger.calls, statuses: ledger.statuses, codesAsked: ledger.codesAsked, failedInsideByWindow: ledger.failedInsideByWindow,
      wrongIdentity: ledger.wrongIdentity, failedOutside: ledger.failedOutside, failedInsideBadly: ledger.failedInsideBadly },
    logins: {
      identities: settings.identities,
      loggedIn: new Set(timeline.events.map((e) => e.login)).size,
      total: counts.logins,
      forced: timeline.events.filter((e) => e.nth > 1).length - relogins.outside.length,
      byCause: relogins.causes,
      relogins: timeline.events.filter((e) => e.nth > 1).map((e) => `${Math.round((e.t - startsAt) / 100) / 10}:${e.login}`),
      unforced: relogins.outside.map((e) => ({ ...e, t: relative(e.t) })),
      codesAskedAgain: { byCause: codesAgain.causes, outside: codesAgain.outside.length },
      signIns: counts.signIns,
      codePosts: counts.codePosts,
      failedCodes: counts.failedCodes,
      failedLogins: counts.failedLogins,
    },
    links: Object.fromEntries(Object.entries(system.links).map(([name, link]) => [name, link.done])),
    replicas: replicas.map((replica, i) => ({
      label: replica.label,
      adapter: replica.adapter,
      alive: alive[i],
      unhandled: unhandled.get(replica.index)?.length ?? 0,
      unhandledLines: unhandled.get(replica.index)?.slice(0, 5) ?? [],
      heap: heapTrend(heaps[i]),
      heapSamples: heaps[i].length,
      heapSeries: heaps[i].map((h) => [Math.round((h.t - startsAt) / 100) / 10, Math.round(h.heapUsed / 1024), Math.round((h.spaces?.code_space ?? 0) / 1024), Math.round((h.spaces?.old_space ?? 0) / 1024)]),
      rssBytes: heaps[i].at(-1)?.rss,
      descriptors: { start: startLevels[i], peak: peaks[i], end: endLevels[i], settleMs },
    })),
    stackAlive: stack.child.exitCode === null && stack.child.signalCode === null,
  };
} finally {
  await system.stop();
}

result.seconds = (Date.now() - started) / 1000;
result.failedChecks = failedChecks(result);
mkdirSync(`${root}.tmp`, { recursive: true });
writeFileSync(`${root}.tmp/soak-latest.json`, JSON.stringify(result, null, 2));
if (settings.record) recordSoakSection(`${root}RELIABILITY.md`, result);
printSummary(result);
process.exit(result.failedChecks.length > 0 ? 1 : 0);

function printSummary({ calls, logins, replicas, failedChecks: failed, seconds }) {
  const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  console.log(`soak: ${calls.calls} calls, statuses ${JSON.stringify(calls.statuses)}, ${calls.codesAsked} codes supplied`);
  console.log(`  failed inside windows, by window: ${JSON.stringify(calls.failedInsideByWindow)}`);
  console.log(`  wrong identity: ${calls.wrongIdentity.total}; failed outside windows: ${calls.failedOutside.total}; failed inside otherwise than apikit's 502/503/504: ${calls.failedInsideBadly.total}`);
  console.log(`  GitHub logins: ${logins.total} for ${logins.identities} identities; re-logins forced by cause: ${JSON.stringify(logins.byCause)}; outside windows: ${logins.unforced.length}`);
  console.log(`  codes asked again, by cause: ${JSON.stringify(logins.codesAskedAgain.byCause)}, outside windows: ${logins.codesAskedAgain.outside}; sign-ins ${logins.signIns}`);
  for (const replica of replicas) {
    const { heap, descriptors: d } = replica;
    console.log(`  ${replica.label}: live heap ${mib(heap.firstBytes ?? 0)} -> ${mib(heap.lastBytes ?? 0)}, slope ${(heap.slopeBytesPerMin / 1024).toFixed(0)} KiB/min, rise ${mib(heap.riseBytes)} vs noise ${mib(heap.noiseBytes)}; fds ${d.start.fds} -> peak ${d.peak.fds} -> ${d.end.fds} (sockets ${d.start.sockets} -> ${d.peak.sockets} -> ${d.end.sockets}) after ${(d.settleMs / 1000).toFixed(1)} s; ${replica.alive ? 'alive' : 'NOT ALIVE'}, ${replica.unhandled} unhandled`);
  }
  for (const example of calls.failedOutside.examples.slice(0, 10)) console.log(`  FAILED OUTSIDE: ${JSON.stringify(example)}`);
  for (const example of calls.failedInsideBadly.examples.slice(0, 10)) console.log(`  FAILED INSIDE: ${JSON.stringify(example)}`);
  for (const example of calls.wrongIdentity.examples.slice(0, 10)) console.log(`  WRONG IDENTITY: ${JSON.stringify(example)}`);
  for (const relogin of logins.unforced.slice(0, 10)) console.log(`  RE-LOGIN OUTSIDE: ${JSON.stringify(relogin)}`);
  for (const line of failed) console.log(`  FAIL: ${line}`);
  console.log(`soak: ${failed.length === 0 ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)} s`);
}
