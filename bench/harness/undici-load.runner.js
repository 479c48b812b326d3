// The plain Node client of scenario 4's baseline: an undici Pool with keep-alive, `connections`
// requests in flight (closed loop, like autocannon), for a bounded duration. Latencies are exact
// (hrtime), so p50/p99 here have µs resolution where autocannon's are whole milliseconds.
import { Pool } from 'undici';
import { percentile } from './median.statistic.js';

/**
 * @param {{ origin: string, path: string, connections: number, durationSec: number,
 *           headerSets: Array<Record<string,string>> }} load  worker i sends header set i mod n
 */
export async function runUndiciPool({ origin, path, connections, durationSec, headerSets }) {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 10_000 });
  const latenciesMs = [];
  const counts = { non2xx: 0, errors: 0 };
  const start = process.hrtime.bigint();
  const endAt = start + BigInt(Math.round(durationSec * 1e9));
  const worker = async (i) => {
    const headers = headerSets[i % headerSets.length];
    while (process.hrtime.bigint() < endAt) {
      const sent = process.hrtime.bigint();
      try {
        const res = await pool.request({ path, method: 'GET', headers });
        await res.body.text();
        if (res.statusCode < 200 || res.statusCode > 299) counts.non2xx++;
        latenciesMs.push(Number(process.hrtime.bigint() - sent) / 1e6);
      } catch {
        counts.errors++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, (_, i) => worker(i)));
  } finally {
    await pool.close();
  }
  const elapsedSec = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    requestsPerSec: latenciesMs.length / elapsedSec,
    requests: latenciesMs.length,
    latencyP50Ms: percentile(latenciesMs, 50),
    latencyP99Ms: percentile(latenciesMs, 99),
    latencyMeanMs: latenciesMs.reduce((s, v) => s + v, 0) / (latenciesMs.length || 1),
    non2xx: counts.non2xx,
    errors: counts.errors,
    timeouts: 0,
  };
}
