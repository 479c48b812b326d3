// The soak's section of RELIABILITY.md (between its markers: the fuzz run writes its own).
import { recordSection } from '../reliability-section.writer.js';

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const list = (counts) => Object.entries(counts).map(([what, n]) => `${what}: ${n}`).join('; ') || 'none';

export function soakSection(result) {
  const { settings: s, calls, logins } = result;
  const replicaRows = result.replicas.map(({ label, heap, descriptors: d, alive, unhandled }) =>
    `| ${label} | ${mib(heap.firstBytes ?? 0)} → ${mib(heap.lastBytes ?? 0)} | ${(heap.slopeBytesPerMin / 1024).toFixed(0)} KiB/min | ${mib(heap.riseBytes)} / ${mib(heap.noiseBytes + heap.allowanceBytes)} | ${d.start.fds} → ${d.peak.fds} → ${d.end.fds} (${d.start.sockets} → ${d.peak.sockets} → ${d.end.sockets}) | ${alive ? 'yes' : '**no**'} | ${unhandled} |`);
  const outcome = result.failedChecks.length === 0 ? 'every check passed' : `**failed**: ${result.failedChecks.join('; ')}`;
  const long = isLongRun(s);
  return `## ${long ? `Long soak with faults: ${s.minutes} minutes` : 'Soak with faults'}

\`SOAK_MINUTES=${s.minutes} SOAK_IDENTITIES=${s.identities} SOAK_SEED=${s.seed} node reliability/soak.js --record\` (what \`${long ? `SOAK_MINUTES=${s.minutes} ` : ''}npm run soak\` runs), on ${result.date}: ${result.machine}, Node ${result.node}, ${result.seconds.toFixed(0)} s in all; ${outcome}.
${s.identities} identities (12 in 20 plain, 5 with two-factor codes sent as \`X-GitHub-OTP\`, 3 verifying their device by
emailed code, then calling with the \`X-ApiKit-Device\` token they were given) called \`GET /<login>/whoami\` at
${s.rate} calls/s (${s.concurrency} at most in flight, one per identity) on 3 replicas of the built sample (${s.adapters.join(', ')})
sharing a redis-server, with TCP fault proxies between the replicas and the oauth2-proxy front, GitHub and Redis.
After a ${s.warmupMs / 1000} s warm-up, every ${s.slotMs / 1000} s each link had a ${s.windowMs / 1000} s fault window, in turn: ${s.latencyMs} ms
of latency each way, connection resets, half-open connections (nothing forwarded, nothing closed), answers cut
in half, stalls; GitHub answered 5xx in bursts, and Redis was restarted once, mid-run. A call is inside a window
when it overlaps it or the ${s.graceMs / 1000} s after it (Redis reconnecting, kept-alive connections it broke). Proxy sessions
lasted ${s.proxySessionMs / 1000} s, so that sign-ins went through GitHub all along.

- Calls: ${calls.calls.toLocaleString('en-US')} (${list(calls.statuses)}); ${calls.codesAsked} codes supplied.
- Answers served as another identity (the demo backend's \`whoami\` against the caller): **${calls.wrongIdentity.total}**.
- Calls failed outside the windows: **${calls.failedOutside.total}**; inside them otherwise than with apikit's 502/503/504: **${calls.failedInsideBadly.total}**.
  Failed inside, by window: ${list(calls.failedInsideByWindow)}.
- GitHub password logins: **${logins.total}** for ${logins.identities} identities; re-logins the faults forced, by cause: ${list(logins.byCause)};
  outside the windows: **${logins.unforced.length}** (a Redis fault that cost a replica an identity's session shows on the identity's
  first call to that replica since, which may come after the grace: such a re-login is put down to that fault). Codes asked again: ${list(logins.codesAskedAgain.byCause)}, outside the windows: ${logins.codesAskedAgain.outside}.
  Sign-ins in all (through kept GitHub sessions too): ${logins.signIns}.
- Live heap, sampled every second after a full collection (\`--expose-gc\` and a probe over IPC): a least-squares line over the
  last 80% of the load must not rise by more than its noise (twice the standard deviation of the samples around it) and
  1 MiB that V8 still adds to a young process (compiled code, feedback of paths first taken in a fault window: 0.5-0.6 MiB
  over the last 48 s of a fault-free one-minute run). Descriptors and sockets (/proc/<pid>/fd) must be back to their level
  before the load once the callers have gone: ${(result.replicas[0]?.descriptors.settleMs ?? 0) / 1000} s here (the replicas' kept-alive
  connections to the proxy and GitHub close after 4 s idle).
- Load average ${result.loadAverage.join(' at the start, ')} at the end.

| Replica | Live heap, first → last (last 80%) | Slope | Rise / noise and allowance | Descriptors (sockets): before → peak → after | Alive | Unhandled rejections |
| --- | --- | --- | --- | --- | --- | --- |
${replicaRows.join('\n')}`;
}

/** Longer than `npm run soak`'s 10 minutes: a long run has its own section, beside the 10-minute one, not over it. */
function isLongRun(settings) {
  return settings.minutes > 10;
}

export function recordSoakSection(file, result) {
  recordSection(file, isLongRun(result.settings) ? 'soak-long' : 'soak', soakSection(result));
}
