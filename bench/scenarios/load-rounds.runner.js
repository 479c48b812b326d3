// Runs every load target once per round, round-robin, after one warm-up pass, so that drift of a
// shared machine hits all of them alike; ratios are taken against the baseline of the same round.
// Every other round runs the targets in reverse order (A B B A), so that no target is always the
// one measured first or later than the peer it is compared with. A target with a peer to compare CPU
// with is then loaded once more beside that peer, at the same time: its CPU per request over the
// peer's comes from that slice.
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
  for (const target of settings.warmupSec > 0 ? targets : []) {
    const warm = await target.measure(settings.warmupSec);
    const reason = brokenReason(warm);
    if (reason) problems.push(`${target.id} (warm-up): ${reason}`);
  }
  const rounds = [];
  for (let round = 1; round <= settings.rounds; round++) {
    const figures = {};
    for (const target of round % 2 === 1 ? targets : [...targets].reverse()) {
      figures[target.id] = await target.measure(settings.durationSec);
      const reason = brokenReason(figures[target.id]);
      if (reason) problems.push(`${target.id} (round ${round}): ${reason}`);
      log(`  round ${round} ${target.id}: ${Math.round(figures[target.id].requestsPerSec)} req/s`);
    }
    for (const target of targets) Object.assign(figures[target.id], comparisons(target, figures));
    for (const target of targets.filter((t) => t.measureBesidePeer)) {
      // Which load starts first alternates by round, as the order of the targets does.
      const beside = await target.measureBesidePeer(settings.durationSec, round % 2 === 0);
      const reason = brokenReason(beside.own) ?? brokenReason(beside.peer);
      if (reason) problems.push(`${target.id} beside ${target.peerId} (round ${round}): ${reason}`);
      Object.assign(figures[target.id], besidePeerFigures(figures[target.id], beside));
      log(`  round ${round} ${target.id} beside its peer: library CPU ${figures[target.id].cpuUsOverPeer} µs/req`);
    }
    rounds.push({ round, figures });
  }
  return { rounds, summary: summarise(targets, rounds), problems };
}

/**
 * Ratios of throughput to the baseline, the limit (ceiling) and the peer (hand-written
 * equivalent) of the same round, and what the target adds per request, in µs: from the service
 * time at saturation (1/throughput, over the baseline and over the peer) and from the mean latency
 * at the same concurrency (over `latencyRefId`, measured by the same load generator, since
 * generators differ in their own per-request cost).
 */
function comparisons(target, figures) {
  const own = figures[target.id];
  const [base, limit, peer, latencyRef] = [target.baselineId, target.limitId, target.peerId, target.latencyRefId ?? target.baselineId]
    .map((id) => (id ? figures[id] : undefined));
  const ratio = (other) => (other ? own.requestsPerSec / other.requestsPerSec : null);
  const addedUs = (other) => (other ? 1e6 / own.requestsPerSec - 1e6 / other.requestsPerSec : null);
  return {
    ratioToBaseline: ratio(base),
    ratioToLimit: ratio(limit),
    ratioToPeer: ratio(peer),
    overheadUsFromThroughput: addedUs(base),
    overheadUsFromMeanLatency: latencyRef ? (own.latencyMeanMs - latencyRef.latencyMeanMs) * 1000 : null,
    overheadUsOverPeer: addedUs(peer),
    // What the target's process spends per request beyond the peer's: the library's own CPU cost.
    cpuUsOverPeer: peer && own.serviceCpuUsPerRequest !== null && peer.serviceCpuUsPerRequest !== null
      ? own.serviceCpuUsPerRequest - peer.serviceCpuUsPerRequest
      : null,
  };
}

/**
 * The library's CPU per request from the side-by-side slice: the target's process minus its peer's
 * over the same window. The back-to-back figure stays, as `cpuUsOverPeerBackToBack`, for comparison.
 */
function besidePeerFigures(own, beside) {
  const { serviceCpuUsPerRequest: ownUs } = beside.own;
  const { serviceCpuUsPerRequest: peerUs } = beside.peer;
  return {
    cpuUsOverPeerBackToBack: own.cpuUsOverPeer,
    besidePeerCpuUsPerRequest: ownUs,
    peerBesideCpuUsPerRequest: peerUs,
    cpuUsOverPeer: ownUs !== null && peerUs !== null ? ownUs - peerUs : null,
  };
}

const SUMMARY_KEYS = [
  'requestsPerSec', 'latencyMeanMs', 'latencyP50Ms', 'latencyP99Ms', 'serverCpuPercent', 'serviceCpuUsPerRequest',
  'ratioToBaseline', 'ratioToLimit', 'ratioToPeer', 'overheadUsFromThroughput', 'overheadUsFromMeanLatency', 'overheadUsOverPeer',
  'cpuUsOverPeer', 'cpuUsOverPeerBackToBack', 'besidePeerCpuUsPerRequest', 'peerBesideCpuUsPerRequest',
];

/** Per target: the median of every figure over the rounds (null where it does not apply). */
function summarise(targets, rounds) {
  return targets.map(({ id, scenario, label, path, role, baselineId, limitId, peerId, target, targetAgainst = 'baseline', maxCpuUsOverPeer }) => {
    const medians = Object.fromEntries(SUMMARY_KEYS.map((key) => {
      const m = median(rounds.map((r) => r.figures[id][key]));
      return [key, Number.isNaN(m) ? null : m];
    }));
    return {
      id, scenario, label, path, role: role ?? null, baselineId, limitId: limitId ?? null, peerId: peerId ?? null,
      ...medians,
      target: target ?? null,
      targetAgainst: target ? targetAgainst : null,
      maxCpuUsOverPeer: maxCpuUsOverPeer ?? null,
      targetMet: target ? targetMetBy(medians, target, targetAgainst, maxCpuUsOverPeer) : null,
    };
  });
}

/** The ratio reached and, where the target bounds it, the CPU added per request under its budget. */
export function targetMetBy(figures, target, targetAgainst, maxCpuUsOverPeer) {
  const ratio = targetAgainst === 'peer' ? figures.ratioToPeer : figures.ratioToBaseline;
  return ratio >= target && (maxCpuUsOverPeer == null || figures.cpuUsOverPeer < maxCpuUsOverPeer);
}
