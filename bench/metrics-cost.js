// `npm run bench:metrics-cost`: what metrics add to one backend-path request, measured where the macro benchmark
// cannot see it. Its "cost of metrics" rows compare two processes whose per-request CPU varies by tens of µs from round
// to round on a shared machine (BENCHMARKS.md), so a cost of 3% (~5 µs) is lost in their noise. Here the library's
// own observer seam runs a pooled request's metric work (a session lookup, a backend call started and ended) with no
// observer (metrics off) and with the prom-client observer (metrics on), in alternating rounds of one process: the
// difference is the cost, as a share of the sample's per-request CPU on the backend path (the last full run's).
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as prom from 'prom-client';
import { median } from './harness/median.statistic.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { ApiKitObservers } = await import(`${root}dist/lib/observability/index.js`);
const { ApiKitMetrics } = await import(`${root}dist/lib/metrics/apikit-metrics.observer.js`);

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const REQUESTS = Number(process.env.REQUESTS ?? 200_000);
const url = new URL('http://127.0.0.1:4180/api?metric=time');
const statuses = [200, 200, 200, 200, 404]; // a backend mostly answering, sometimes not: two label sets

function observersWith(metrics) {
  const observers = new ApiKitObservers();
  if (metrics) {
    const sources = { sessions: () => 1, loginsWaiting: () => 0, storeDegraded: () => false };
    observers.add(new ApiKitMetrics(prom, new prom.Registry(), 'apikit_', sources));
  }
  return observers;
}

/** ns per request of the metric work of `REQUESTS` pooled requests. */
function round(observers) {
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const requestId = 'bench';
    observers.sessionLookup('hit', requestId);
    observers.backendCallStarted('GET', url, requestId).end(statuses[i % statuses.length]);
  }
  return ((performance.now() - started) * 1e6) / REQUESTS;
}

/** The sample's per-request CPU on the backend path, Express and Fastify, from the newest full `npm run bench`. */
function backendPathCpu() {
  const dir = `${root}bench/results/`;
  const full = readdirSync(dir).filter((file) => /^\d{4}-.*\.json$/.test(file)).sort().pop();
  const results = JSON.parse(readFileSync(dir + full, 'utf8'));
  const cpu = (id) => results.scenarios.load.summary.find((row) => row.id === id)?.serviceCpuUsPerRequest;
  return { file: full, node: results.versions.node, express: cpu('sample-express-metric'), fastify: cpu('sample-fastify-metric') };
}

const off = observersWith(false);
const on = observersWith(true);
// Warm-up: both paths optimised before measuring.
for (let i = 0; i < 3; i++) {
  round(off);
  round(on);
}
const offNs = [];
const onNs = [];
for (let i = 0; i < ROUNDS; i++) {
  // Alternating which goes first, so that a slow moment of the machine falls on both.
  const first = i % 2 === 0 ? [offNs, off] : [onNs, on];
  const second = i % 2 === 0 ? [onNs, on] : [offNs, off];
  first[0].push(round(first[1]));
  second[0].push(round(second[1]));
}
const deltas = offNs.map((offRound, i) => onNs[i] - offRound);
const costUs = median(deltas) / 1000;
const path = backendPathCpu();
const share = (cpuUs) => (cpuUs ? `${((100 * costUs) / cpuUs).toFixed(2)}% of ${cpuUs} µs` : 'unknown');
console.log(`Node ${process.versions.node}, ${ROUNDS} rounds of ${REQUESTS.toLocaleString('en')} requests`);
console.log(`metrics off: ${median(offNs).toFixed(0)} ns/request (rounds ${Math.min(...offNs).toFixed(0)}-${Math.max(...offNs).toFixed(0)})`);
console.log(`metrics on:  ${median(onNs).toFixed(0)} ns/request (rounds ${Math.min(...onNs).toFixed(0)}-${Math.max(...onNs).toFixed(0)})`);
console.log(`cost: ${costUs.toFixed(2)} µs/request (median of per-round differences, ${(Math.min(...deltas) / 1000).toFixed(2)}-${(Math.max(...deltas) / 1000).toFixed(2)})`);
console.log(`of the sample's backend-path CPU per request (${path.file}, Node ${path.node}): Express ${share(path.express)}, Fastify ${share(path.fastify)}`);
