// Runs every load target once per round, round-robin, after one warm-up pass, so that drift of a
// shared machine hits all of them alike; ratios are taken against the baseline of the same round.
import { median } from '../harness/median.statistic.js';

function brokenReason(figures) {
  if (figures.requests === 0) return 'no request completed';
  if (figures.non2xx > 0) return `${figures.non2xx} non-2xx responses`;
  if (figures.errors > 0 || figures.timeouts > 0) return `${figures.errors} errors, ${figures.timeouts} timeouts`;
  return null;
}

/**
 * @param {Array<{ id: string, baselineId: string|null, measure: (sec: number) => Promise<object> }>} targets
 * @param {{ rounds: number, warmupSec: number, durationSec: number }} settings
 * @param {(line: string) => void} log
 */
export async function runLoadRounds(targets, settings, log) {
  const problems = [];
  for (const target of targets) {
    const warm = await target.measure(settings.warmupSec);
    const reason = brokenReason(warm);
    if (reason) problems.push(`${target.id} (warm-up): ${reason}`);
  }
  const rounds = [];
  for (let round = 1; round <= settings.rounds; round++) {
    const figures = {};
    for (const target of targets) {
      figures[target.id] = await target.measure(settings.durationSec);
      const reason = brokenReason(figures[target.id]);
      if (reason) problems.push(`${target.id} (round ${round}): ${reason}`);
      log(`  round ${round} ${target.id}: ${Math.round(figures[target.id].requestsPerSec)} req/s`);
    }
    for (const target of targets) {
      const base = target.baselineId && figures[target.baselineId];
      const limit = target.limitId && figures[target.limitId];
      figures[target.id].ratioToBaseline = base ? figures[target.id].requestsPerSec / base.requestsPerSec : null;
      figures[target.id].ratioToLimit = limit ? figures[target.id].requestsPerSec / limit.requestsPerSec : null;
      Object.assign(figures[target.id], overheadOver(figures[target.id], base));
    }
    rounds.push({ round, figures });
  }
  return { rounds, summary: summarise(targets, rounds), problems };
}

/**
 * What the target adds per request over its baseline, in µs, two ways: from the service time at
 * saturation (1/throughput) and from the mean latency at the same concurrency.
 */
function overheadOver(figures, base) {
  if (!base) return { overheadUsFromThroughput: null, overheadUsFromMeanLatency: null };
  return {
    overheadUsFromThroughput: 1e6 / figures.requestsPerSec - 1e6 / base.requestsPerSec,
    overheadUsFromMeanLatency: (figures.latencyMeanMs - base.latencyMeanMs) * 1000,
  };
}

function summarise(targets, rounds) {
  const of = (id, key) => median(rounds.map((r) => r.figures[id][key]));
  return targets.map(({ id, scenario, label, path, baselineId, limitId, target }) => {
    const ratio = baselineId ? of(id, 'ratioToBaseline') : null;
    return {
      id, scenario, label, path, baselineId,
      requestsPerSec: of(id, 'requestsPerSec'),
      latencyMeanMs: of(id, 'latencyMeanMs'),
      latencyP50Ms: of(id, 'latencyP50Ms'),
      latencyP99Ms: of(id, 'latencyP99Ms'),
      serverCpuPercent: of(id, 'serverCpuPercent'),
      ratioToBaseline: ratio,
      ratioToLimit: limitId ? of(id, 'ratioToLimit') : null,
      overheadUsFromThroughput: baselineId ? of(id, 'overheadUsFromThroughput') : null,
      overheadUsFromMeanLatency: baselineId ? of(id, 'overheadUsFromMeanLatency') : null,
      target: target ?? null,
      targetMet: target ? ratio >= target : null,
    };
  });
}
