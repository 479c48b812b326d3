// What a soak run must show (issue 26), each check with the figure it read: nothing served as another
// identity, no failure outside the fault windows and only apikit's 502/503/504 inside, no GitHub login
// but each identity's first and those the faults forced, a live heap without a trend, descriptors and
// sockets back to their start, every replica alive with no unhandled rejection.

/** The share of its paced calls a run must make (they were 87-100% on a quiet 2-core machine). */
const PACE_KEPT = 0.75;

/** @returns {string[]} the failed checks, each a sentence; empty: the run passed */
export function failedChecks(result) {
  const failed = [];
  const { calls, logins, replicas } = result;
  // Fault windows slow the pace a little (calls wait out stalls); a machine busy with other work slows it a lot, and
  // then every figure below is the machine's, not the service's.
  const paced = result.settings.rate * result.settings.minutes * 60;
  if (calls.calls < PACE_KEPT * paced) {
    failed.push(`the run kept ${Math.round((100 * calls.calls) / paced)}% of its pace (${calls.calls} calls of ${paced}): the machine was too busy (load average ${result.loadAverage.join(' -> ')}), the figures are not the service's`);
  }
  if (calls.wrongIdentity.total > 0) failed.push(`${calls.wrongIdentity.total} answers served as another identity`);
  if (calls.failedOutside.total > 0) failed.push(`${calls.failedOutside.total} calls failed outside the fault windows (and their ${result.settings.graceMs} ms grace)`);
  if (calls.failedInsideBadly.total > 0) failed.push(`${calls.failedInsideBadly.total} calls failed inside a fault window otherwise than with apikit's 502/503/504`);
  if (logins.total > logins.identities + logins.forced) {
    failed.push(`${logins.total} GitHub logins for ${logins.identities} identities and ${logins.forced} re-logins the faults forced`);
  }
  if (logins.unforced.length > 0) failed.push(`${logins.unforced.length} re-logins outside the fault windows (and their ${result.settings.graceMs} ms grace)`);
  if (calls.calls === 0) failed.push('no call was made');
  for (const replica of replicas) {
    if (!replica.alive) failed.push(`${replica.label} is not alive and answering at the end`);
    if (replica.unhandled > 0) failed.push(`${replica.label} logged ${replica.unhandled} unhandled rejections or uncaught exceptions`);
    if (replica.heap.grows) {
      failed.push(`${replica.label}: the live heap rose ${mb(replica.heap.riseBytes)} over the last 80% of the load, more than its noise (${mb(replica.heap.noiseBytes)}) and V8's warm-up allowance (${mb(replica.heap.allowanceBytes)})`);
    }
    const { start, end } = replica.descriptors;
    if (end === undefined || end.fds > start.fds || end.sockets > start.sockets) {
      failed.push(`${replica.label}: ${end?.fds ?? '?'} descriptors (${end?.sockets ?? '?'} sockets) after the load, ${start.fds} (${start.sockets}) before it`);
    }
  }
  if (!result.stackAlive) failed.push('the simulated stack is not alive at the end');
  return failed;
}

function mb(bytes) {
  return `${(bytes / 2 ** 20).toFixed(2)} MiB`;
}
