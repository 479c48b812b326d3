// `npm run fuzz`: random raw HTTP requests against the sample on Express and Fastify, backed by the
// simulated stack (oauth2-proxy + GitHub + the demo backend) in a process of its own (issue 26).
// Bounded by a count and a time: FUZZ_REQUESTS (default 100,000, half per adapter), FUZZ_MINUTES
// (default 20), FUZZ_SEED (default 20261205); FUZZ_CONCURRENCY requests in flight per adapter (8).
// `npm run fuzz:short` (`--short`) is the test command's run: 10,000 requests, the fixed seed, 5 minutes at most.
// Pass: no 5xx but the backend path's 502/503/504, every error body apikit's, no planted secret in
// any answer or log line, no error answer quoting the request's path or headers, no hang, both processes alive at the end. Each failure prints its seed:
// `FUZZ_SEED=<seed> FUZZ_REQUESTS=1 node reliability/fuzz.js --adapter=<a>` replays it alone.
// Writes .tmp/fuzz-latest.json, and with --record the fuzz section of RELIABILITY.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { spawnNode, stopChild } from '../bench/harness/child-process.registry.js';
import { benchIdentities } from '../bench/harness/bench-identities.js';
import { waitFor200 } from '../bench/harness/http-ready.probe.js';
import { freeLoopbackPort } from '../bench/harness/loopback-port.finder.js';
import { startStackChild } from '../bench/scenarios/backend-path-targets.js';
import { problemsOf } from './fuzz/answer.checks.js';
import { exchange, parseAnswer } from './fuzz/raw-http.client.js';
import { rawRequest } from './fuzz/request.arbitrary.js';
import { watchForSecrets } from './fuzz/secret-watch.js';
import { recordFuzzSection } from './fuzz/reliability.markdown.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = (name, fallback) => (process.env[name] === undefined || process.env[name] === '' ? fallback : Number(process.env[name]));
const short = process.argv.includes('--short');
const settings = {
  requests: env('FUZZ_REQUESTS', short ? 10_000 : 100_000),
  minutes: env('FUZZ_MINUTES', short ? 5 : 20),
  seed: env('FUZZ_SEED', 20_261_205),
  concurrency: env('FUZZ_CONCURRENCY', 8),
  adapters: (process.argv.find((arg) => arg.startsWith('--adapter='))?.slice(10) ?? 'express,fastify').split(','),
  record: process.argv.includes('--record'),
};
const IDENTITIES = benchIdentities(5);
/**
 * The markers' own seed, fixed: from the run's, a failure replayed alone (`FUZZ_SEED=<its seed>`) planted other
 * markers, so its request's bytes differed from the failing one's (the default run's seed: the same markers as ever).
 */
const MARKER_SEED = 20_261_205;
/** Planted where callers put secrets; the identities' real passwords are secrets too. */
const CANARY = `fzc${MARKER_SEED.toString(36)}q7`;
const SECRETS = [CANARY, ...IDENTITIES.map((identity) => identity.password)];
/** Planted in paths, queries and headers: an error answer must not quote the request back. */
const ECHO = `fze${MARKER_SEED.toString(36)}k4`;

async function startSample(adapter, stack, onSecret) {
  const port = await freeLoopbackPort();
  const child = spawnNode(`${root}dist/sample/main.js`, {
    env: { PORT: String(port), HOST: '127.0.0.1', HTTP_ADAPTER: adapter, BACKEND_URL: stack.proxyUrl, GITHUB_URL: stack.githubUrl, LOGLEVEL: 'DEBUG', SHUTDOWN_DELAY_MS: '0' },
    label: `sample (${adapter})`,
  });
  watchForSecrets(child.stdout, SECRETS, onSecret);
  watchForSecrets(child.stderr, SECRETS, onSecret);
  await waitFor200(`http://127.0.0.1:${port}/`, { child, intervalMs: 20 });
  return { adapter, port, child };
}

/** Runs requests `first`, `first + 1`... (each from seed + its index) against one sample until `count` or the deadline. */
async function fuzzOne(target, count, deadline, report) {
  const arbitrary = rawRequest(IDENTITIES, CANARY, ECHO);
  let next = 0;
  const worker = async () => {
    while (next < count && Date.now() < deadline) {
      const index = next++;
      const seed = settings.seed + index;
      const [request] = fc.sample(arbitrary, { seed, numRuns: 1 });
      const exchanged = await exchange(target.port, request.bytes);
      const answer = parseAnswer(exchanged.raw);
      const key = answer === undefined ? (exchanged.error ?? 'closed') : String(answer.status);
      report.statuses[key] = (report.statuses[key] ?? 0) + 1;
      report.sent += 1;
      for (const problem of problemsOf(request, exchanged, answer, SECRETS, ECHO)) {
        report.failures.push({ seed, problem, method: JSON.stringify(request.method.slice(0, 20)), target: JSON.stringify(request.target.slice(0, 80)) });
      }
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, worker));
}

const started = Date.now();
const deadline = started + settings.minutes * 60_000;
const stack = await startStackChild(IDENTITIES.length);
const reports = [];
try {
  const perAdapter = Math.ceil(settings.requests / settings.adapters.length);
  for (const adapter of settings.adapters) {
    const report = { adapter, sent: 0, statuses: {}, failures: [], secretsInLogs: 0, logLines: [], alive: false };
    const target = await startSample(adapter, stack, (line) => {
      report.secretsInLogs += 1;
      if (report.logLines.length < 10) report.logLines.push(line);
    });
    console.log(`fuzz: ${perAdapter} requests to the sample on ${adapter}, seeds ${settings.seed}..${settings.seed + perAdapter - 1}`);
    await fuzzOne(target, perAdapter, deadline, report);
    report.alive = target.child.exitCode === null && target.child.signalCode === null;
    if (report.alive) report.alive = (await waitFor200(`http://127.0.0.1:${target.port}/`, { child: target.child, timeoutMs: 5_000 }).then(() => true, () => false));
    target.child.stopping = true;
    await stopChild(target.child);
    reports.push(report);
  }
} finally {
  stack.child.stopping = true;
  await stopChild(stack.child);
}

const seconds = (Date.now() - started) / 1000;
const result = { date: new Date(started).toISOString(), seconds, settings, node: process.version, machine: `${cpus()[0]?.model ?? 'cpu'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`, reports };
mkdirSync(`${root}.tmp`, { recursive: true });
writeFileSync(`${root}.tmp/fuzz-latest.json`, JSON.stringify(result, null, 2));
if (settings.record) recordFuzzSection(`${root}RELIABILITY.md`, result);

let failed = false;
for (const report of reports) {
  const failures = report.failures.length + report.secretsInLogs + (report.alive ? 0 : 1);
  console.log(`fuzz ${report.adapter}: ${report.sent} requests, statuses ${JSON.stringify(report.statuses)}, ${report.failures.length} failing answers, ${report.secretsInLogs} log chunks with a secret, ${report.alive ? 'alive' : 'NOT ALIVE'}`);
  for (const failure of report.failures.slice(0, 20)) console.log(`  FAIL seed ${failure.seed}: ${failure.problem} (${failure.method} ${failure.target})`);
  for (const line of report.logLines) console.log(`  LOG LINE WITH A SECRET: ${line}`);
  if (report.failures.length > 20) console.log(`  ... and ${report.failures.length - 20} more (.tmp/fuzz-latest.json)`);
  failed ||= failures > 0;
}
console.log(`fuzz: done in ${seconds.toFixed(1)} s`);
process.exit(failed ? 1 : 0);
