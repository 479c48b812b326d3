// Scenario 5: how many GitHub logins the sample makes. 10 identities x N interleaved requests must
// cost exactly 10 logins (one pooled session per identity); the original's single shared session
// re-logged in at every change of identity, which is counted on the same sequence. And 100
// concurrent first requests of one new identity must share a single login.
import { Pool } from 'undici';
import { ask } from '../harness/child-process.registry.js';
import { basicAuthorization, benchIdentities } from '../harness/bench-identities.js';
import { seededShuffle } from '../harness/seeded-shuffle.js';
import { startStackChild } from './backend-path-targets.js';
import { startSample } from './sample.launcher.js';

const PATH = '/bench-job/time';

/** Sends `sequence` (identity indexes) in order through `connections` workers; returns non-200 count. */
async function sendSequence(origin, sequence, identities, connections) {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const headers = identities.map((identity) => ({ authorization: basicAuthorization(identity) }));
  let next = 0;
  let failed = 0;
  const statuses = new Map();
  const worker = async () => {
    while (next < sequence.length) {
      const res = await pool.request({ path: PATH, method: 'GET', headers: headers[sequence[next++]] });
      await res.body.text();
      if (res.statusCode !== 200) {
        failed++;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, worker));
  } finally {
    await pool.close();
  }
  return { failed, statuses: Object.fromEntries(statuses) };
}

/** The original's policy: one session for everyone, a new login whenever the caller changes. */
function sharedSessionLogins(sequence) {
  return sequence.reduce((logins, id, i) => logins + (i === 0 || sequence[i - 1] !== id ? 1 : 0), 0);
}

export async function runLoginScenario(settings, log) {
  const { loginIdentities: n, loginRequestsPerIdentity: perIdentity, concurrentFirstRequests } = settings;
  const identities = benchIdentities(n + 1); // the last one is kept fresh for the concurrent test
  const stack = await startStackChild(n + 1);
  const sample = await startSample({ adapter: 'express', backendUrl: stack.proxyUrl, githubUrl: stack.githubUrl });
  const problems = [];

  const sequence = seededShuffle(Array.from({ length: n * perIdentity }, (_, i) => i % n), 20_150_806);
  const started = Date.now();
  const interleaved = await sendSequence(sample.origin, sequence, identities, 10);
  const afterInterleaved = await ask(stack.child, 'stats', { logins: identities.map((i) => i.login) });
  log(`  ${sequence.length} interleaved requests in ${Date.now() - started} ms: ${afterInterleaved.logins} logins`);

  const solo = identities[n];
  const concurrent = await sendSequence(sample.origin, Array(concurrentFirstRequests).fill(n), identities, concurrentFirstRequests);
  const afterConcurrent = await ask(stack.child, 'stats', { logins: [solo.login] });
  const soloLogins = afterConcurrent.loginsByUser[solo.login];
  log(`  ${concurrentFirstRequests} concurrent first requests of one identity: ${soloLogins} login(s)`);

  if (interleaved.failed) problems.push(`logins: ${interleaved.failed} interleaved requests failed ${JSON.stringify(interleaved.statuses)}`);
  if (concurrent.failed) problems.push(`logins: ${concurrent.failed} concurrent requests failed ${JSON.stringify(concurrent.statuses)}`);
  if (afterInterleaved.logins !== n) problems.push(`logins: ${n} identities cost ${afterInterleaved.logins} logins, expected ${n}`);
  if (soloLogins !== 1) problems.push(`logins: ${concurrentFirstRequests} concurrent first requests cost ${soloLogins} logins, expected 1`);

  return {
    identities: n,
    requestsPerIdentity: perIdentity,
    requests: sequence.length,
    inFlight: 10,
    logins: afterInterleaved.logins,
    loginsPerIdentity: identities.slice(0, n).map((i) => afterInterleaved.loginsByUser[i.login]),
    sharedSessionLogins: sharedSessionLogins(sequence),
    sharedSessionLoginsRoundRobin: sequence.length,
    concurrentFirstRequests,
    concurrentFirstRequestLogins: soloLogins,
    failedRequests: interleaved.failed + concurrent.failed,
    problems,
  };
}
