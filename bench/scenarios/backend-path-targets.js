// Scenario 4, the backend path: the sample's metric route (Express and Fastify) against the
// simulated oauth2-proxy + GitHub + demo backend in a child of its own, with a handful of caller
// identities; baseline: a plain Node client (undici Pool) calling the proxy's /api directly with
// the same identities' session cookies. autocannon straight at the proxy is the ceiling, and a
// hand-written Nest route forwarding with a known cookie separates Nest + the extra hop from the library.
import { fileURLToPath } from 'node:url';
import { spawnNode, waitForMessage } from '../harness/child-process.registry.js';
import { runAutocannon } from '../harness/autocannon.runner.js';
import { basicAuthorization, benchIdentities } from '../harness/bench-identities.js';
import { withServerCpu } from '../harness/process-cpu.meter.js';
import { runUndiciPool } from '../harness/undici-load.runner.js';
import { loginCookies } from './proxy-cookie.login.js';
import { startSample } from './sample.launcher.js';

const JOB = 'bench-job';
const METRIC = 'time';

/** The simulated stack in its own process, with `users` bench identities as GitHub accounts. */
export async function startStackChild(users) {
  const file = fileURLToPath(new URL('../servers/simulated-stack.server.js', import.meta.url));
  const child = spawnNode(file, { env: { BENCH_USERS: String(users) }, label: 'simulated stack' });
  const ready = await waitForMessage(child, 'ready', 60_000);
  return { child, proxyUrl: ready.proxyUrl, startUrl: ready.startUrl, githubUrl: ready.githubUrl };
}

async function startHandWrittenForward(adapter, proxyUrl, basicHeaders, cookies) {
  const file = fileURLToPath(new URL('../servers/hand-written-forward.server.js', import.meta.url));
  const byAuthorization = Object.fromEntries(basicHeaders.map((h, i) => [h.authorization, cookies[i]]));
  const env = { PROXY_URL: proxyUrl, COOKIES_BY_AUTHORIZATION: JSON.stringify(byAuthorization), HTTP_ADAPTER: adapter };
  const child = spawnNode(file, { env, label: `hand-written forwarding route (${adapter})` });
  const { port } = await waitForMessage(child, 'ready');
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid };
}

export async function startBackendPathTargets({ connections, backendIdentities }) {
  const stack = await startStackChild(backendIdentities);
  const identities = benchIdentities(backendIdentities);
  const [express, fastify, cookies] = await Promise.all([
    startSample({ adapter: 'express', backendUrl: stack.proxyUrl, githubUrl: stack.githubUrl }),
    startSample({ adapter: 'fastify', backendUrl: stack.proxyUrl, githubUrl: stack.githubUrl }),
    loginCookies({ startUrl: stack.startUrl, proxyUrl: stack.proxyUrl, githubUrl: stack.githubUrl, identities }),
  ]);
  const basicHeaders = identities.map((identity) => ({ authorization: basicAuthorization(identity) }));
  const [handWrittenExpress, handWrittenFastify] = await Promise.all(
    ['express', 'fastify'].map((adapter) => startHandWrittenForward(adapter, stack.proxyUrl, basicHeaders, cookies)),
  );
  const handWritten = { express: handWrittenExpress, fastify: handWrittenFastify };
  const cookieHeaders = cookies.map((cookie) => ({ cookie, accept: 'application/json' }));
  const apiPath = `/api?metric=${METRIC}&job=${JOB}`;
  const title = (adapter) => `${adapter[0].toUpperCase()}${adapter.slice(1)}`;
  const handWrittenTarget = (adapter) => ({
    id: `hand-written-forward-${adapter}`,
    scenario: 4,
    label: `hand-written Nest route forwarding with a known cookie, ${title(adapter)}`,
    path: `GET /${JOB}/${METRIC}`,
    baselineId: 'direct-undici-api',
    limitId: 'direct-autocannon-api',
    latencyRefId: 'direct-autocannon-api',
    measure: (durationSec) =>
      withServerCpu([handWritten[adapter].pid, stack.child.pid], () =>
        runAutocannon({ url: `${handWritten[adapter].origin}/${JOB}/${METRIC}`, connections, durationSec, headerSets: basicHeaders })),
  });
  const sampleTarget = (adapter, sample) => ({
    id: `sample-${adapter}-metric`,
    scenario: 4,
    label: `sample metric route, ${title(adapter)}`,
    path: `GET /${JOB}/${METRIC}`,
    baselineId: 'direct-undici-api',
    limitId: 'direct-autocannon-api',
    latencyRefId: 'direct-autocannon-api',
    peerId: `hand-written-forward-${adapter}`,
    target: 0.8,
    measure: (durationSec) =>
      withServerCpu([sample.pid, stack.child.pid], () =>
        runAutocannon({ url: `${sample.origin}/${JOB}/${METRIC}`, connections, durationSec, headerSets: basicHeaders })),
  });
  return [
    {
      id: 'direct-undici-api',
      scenario: 4,
      label: 'direct client (undici Pool) to the proxy',
      path: `GET ${apiPath}`,
      role: 'baseline',
      baselineId: null,
      measure: (durationSec) =>
        withServerCpu([stack.child.pid], () =>
          runUndiciPool({ origin: stack.proxyUrl, path: apiPath, connections, durationSec, headerSets: cookieHeaders })),
    },
    {
      id: 'direct-autocannon-api',
      scenario: 4,
      label: 'autocannon straight to the proxy (ceiling)',
      path: `GET ${apiPath}`,
      role: 'ceiling',
      baselineId: null,
      measure: (durationSec) =>
        withServerCpu([stack.child.pid], () =>
          runAutocannon({ url: `${stack.proxyUrl}${apiPath}`, connections, durationSec, headerSets: cookieHeaders })),
    },
    handWrittenTarget('express'),
    handWrittenTarget('fastify'),
    sampleTarget('express', express),
    sampleTarget('fastify', fastify),
  ];
}
