// The fuzz run's section of RELIABILITY.md (between its markers: the soak writes its own).
import { recordSection } from '../reliability-section.writer.js';

export function fuzzSection(result) {
  const rows = result.reports.map((report) => {
    const statuses = Object.entries(report.statuses).sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => `${status}: ${n}`).join(', ');
    return `| ${report.adapter} | ${report.sent.toLocaleString('en-US')} | ${statuses} | ${report.failures.length} | ${report.secretsInLogs} | ${report.alive ? 'yes' : '**no**'} |`;
  });
  return `## Fuzz run

\`FUZZ_REQUESTS=${result.settings.requests} FUZZ_SEED=${result.settings.seed} node reliability/fuzz.js --record\` (what \`npm run fuzz\` runs), on ${result.date}: ${result.machine}, Node ${result.node}, ${result.seconds.toFixed(0)} s.
Random raw HTTP/1.1 requests (methods, paths with percent-encoding, dot segments and lengths up to 100,000 bytes,
header names and values of any byte, duplicates, sizes up to and past the 16 KiB limit, Authorization variants,
\`X-GitHub-OTP\` and \`X-Request-Id\` values, bodies framed right and wrong) to the sample on each adapter,
behind the simulated oauth2-proxy and GitHub, with secrets planted where callers put them (passwords, codes,
cookies). A request passes when its answer is no 5xx but the backend path's 502/503/504, any error body is
apikit's, no answer shows a planted secret, no error answer quotes a marker planted in paths, queries and
headers (the metric route's relay of its backend's own 4xx aside), and it ends (answer or close) within 10 s; the run passes when,
besides, no log line shows a secret and the process is alive and answering at the end. "closed" counts
connections the server closed without an answer (node's parser does so with some garbage), the codes such as
ECONNRESET the ones it reset.

| Adapter | Requests | Answers by status | Failing answers | Log chunks with a secret | Alive at the end |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`;
}

export function recordFuzzSection(file, result) {
  recordSection(file, 'fuzz', fuzzSection(result));
}
