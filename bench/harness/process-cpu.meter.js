// CPU time of the server processes during a measurement: a server below ~90% of one core was not
// the bottleneck (on 2 cores the load generator competes for the same CPUs), which the reader of
// a ratio near 1.0 needs to know. Linux /proc only; elsewhere the figure is null.
import { readFileSync } from 'node:fs';

const TICKS_PER_SEC = 100; // USER_HZ, 100 on every Linux platform Node supports

function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return null;
  }
}

/**
 * Runs `work` and returns its result with `serverCpuPercent` (100 = one core busy) of the given pids
 * and, when `work` reports `requests`, `serviceCpuUsPerRequest`: the CPU time of the first pid (the
 * service under test) per completed request, in µs. Less sensitive to the shared cores than throughput,
 * it is the figure to compare two builds of the same service with.
 */
export async function withServerCpu(pids, work) {
  const before = pids.map(cpuTicks);
  const start = process.hrtime.bigint();
  const result = await work();
  const elapsedSec = Number(process.hrtime.bigint() - start) / 1e9;
  const after = pids.map(cpuTicks);
  const ok = before.every((t) => t !== null) && after.every((t) => t !== null);
  const ticks = ok ? after.reduce((s, t, i) => s + t - before[i], 0) : null;
  const serviceTicks = ok ? after[0] - before[0] : null;
  const serviceCpuUsPerRequest =
    serviceTicks !== null && result.requests > 0 ? Math.round((serviceTicks / TICKS_PER_SEC / result.requests) * 1e6) : null;
  return {
    ...result,
    serverCpuPercent: ticks === null ? null : Math.round((ticks / TICKS_PER_SEC / elapsedSec) * 100),
    serviceCpuUsPerRequest,
  };
}

/**
 * Runs loads at the same time, each against its own server process, and returns each load's result
 * with `serviceCpuUsPerRequest`: its process's CPU time per request over the same window. Two
 * services compared this way see the same state of a shared machine, which back-to-back slices do
 * not (on this project's 2-core VM, the same server's CPU per request moved by up to 1.7x between
 * 3 s slices).
 * @param {Array<{ pid: number, run: () => Promise<{ requests: number }> }>} loads
 */
export async function sideBySideCpu(loads) {
  const before = loads.map(({ pid }) => cpuTicks(pid));
  const results = await Promise.all(loads.map(({ run }) => run()));
  const after = loads.map(({ pid }) => cpuTicks(pid));
  return results.map((result, i) => ({
    ...result,
    serviceCpuUsPerRequest:
      before[i] !== null && after[i] !== null && result.requests > 0
        ? Math.round(((after[i] - before[i]) / TICKS_PER_SEC / result.requests) * 1e6)
        : null,
  }));
}
