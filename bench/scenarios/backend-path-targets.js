// Scenario 4, the backend path: the sample's metric route (Express and Fastify) against the
// simulated oauth2-proxy + GitHub + demo backend in a child of its own, with a handful of caller
// identities; baseline: a plain Node client (undici Pool) calling the proxy's /api directly with
// the same identities' session cookies. autocannon straight at the proxy is the ceiling, and a
// hand-written Nest route forwarding with a known cookie separates Nest + the extra hop from the library.
// The same pair again in `auth.type: basic` mode, against the demo backend checking Basic credentials.
import { fileURLToPath } from 'node:url';
import { spawnNode, waitForMessage } from '../harness/child-process.registry.js';
import { runAutocannon } from '../harness/autocannon.runner.js';
import { basicAuthorization, benchIdentities } from '../harness/bench-identities.js';
import { sideBySideCpu, withServerCpu } from '../harness/process-cpu.meter.js';
import { runUndiciPool } from '../harness/undici-load.runner.js';
import { loginCookies } from './proxy-cookie.login.js';
import { startSample } from './sample.launcher.js';

/** The CPU µs per request the library may add to the hand-written route (issue 11). */
export const LIBRARY_CPU_BUDGET_US = 15;
/** Metrics on may cost at most 3% of the backend path's throughput (issue 24). */
const METRICS_TARGET = 0.97;
/** ... and this much CPU per request: a counter and a histogram per backend call, a lookup counter. */
const METRICS_CPU_BUDGET_US = 5;

const JOB = 'bench-job';
const METRIC = 'time';

/**
 * The simulated stack in its own process, with `users` bench identities as GitHub accounts. For the soak:
 * `publicUrls`, the relays in front of it (its fault proxies), which it gives out (`serverUrls` is where it
 * listens), and `proxySessionMs`, the proxy sessions' lifetime.
 */
export async function startStackChild(users, { publicUrls = {}, proxySessionMs } = {}) {
  const file = fileURLToPath(new URL('../servers/simulated-stack.server.js', import.meta.url));
  const env = {
    BENCH_USERS: String(users),
    STACK_PUBLIC_PROXY_URL: publicUrls.proxy ?? '',
    STACK_PUBLIC_GITHUB_URL: publicUrls.github ?? '',
    STACK_PROXY_SESSION_MS: proxySessionMs === undefined ? '' : String(proxySessionMs),
  };
  const child = spawnNode(file, { env, label: 'simulated stack' });
  const ready = await waitForMessage(child, 'ready', 60_000);
  return { child, proxyUrl: ready.proxyUrl, startUrl: ready.startUrl, githubUrl: ready.githubUrl, basicUrl: ready.basicUrl, serverUrls: ready.serverUrls };
}

/** `cookies`: one per caller (bitly-proxy mode); none: the caller's Authorization header is forwarded (basic mode). */
async function startHandWrittenForward(adapter, backendUrl, basicHeaders, cookies) {
  const file = fileURLToPath(new URL('../servers/hand-written-forward.server.js', import.meta.url));
  const env = { PROXY_URL: backendUrl, HTTP_ADAPTER: adapter };
  if (cookies) env.COOKIES_BY_AUTHORIZATION = JSON.stringify(Object.fromEntries(basicHeaders.map((h, i) => [h.authorization, cookies[i]])));
  else env.FORWARD = 'authorization';
  const child = spawnNode(file, { env, label: `hand-written forwarding route (${adapter}, ${cookies ? 'bitly-proxy' : 'basic'})` });
  const { port } = await waitForMessage(child, 'ready');
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid };
}

/** The metric route written with `@UseBackendAuth()` and the injected `BitlyProxySession` (the AsyncLocalStorage path). */
async function startUseBackendAuth(adapter, stack) {
  const file = fileURLToPath(new URL('../servers/use-backend-auth.server.js', import.meta.url));
  const env = { PROXY_URL: stack.proxyUrl, START_URL: stack.startUrl, GITHUB_URL: stack.githubUrl, HTTP_ADAPTER: adapter };
  const child = spawnNode(file, { env, label: `@UseBackendAuth() route (${adapter})` });
  const { port } = await waitForMessage(child, 'ready');
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid };
}

export async function startBackendPathTargets({ connections, backendIdentities }) {
  const stack = await startStackChild(backendIdentities);
  const identities = benchIdentities(backendIdentities);
  const basicEnv = { AUTH_TYPE: 'basic' };
  // The sample serves metrics unless METRICS=off: the same sample without them prices them.
  const noMetrics = { METRICS: 'off' };
  const [express, fastify, alsExpress, alsFastify, basicExpress, basicFastify, cookies, expressNoMetrics, fastifyNoMetrics] = await Promise.all([
    startSample({ adapter: 'express', backendUrl: stack.proxyUrl, githubUrl: stack.githubUrl }),
    startSample({ adapter: 'fastify', backendUrl: stack.proxyUrl, githubUrl: stack.githubUrl }),
    startUseBackendAuth('express', stack),
    startUseBackendAuth('fastify', stack),
    startSample({ adapter: 'express', backendUrl: stack.basicUrl, env: basicEnv }),
    startSample({ adapter: 'fastify', backendUrl: stack.basicUrl, env: basicEnv }),
    loginCookies({ startUrl: stack.startUrl, proxyUrl: stack.proxyUrl, githubUrl: stack.githubUrl, identities }),
    startSample({ adapter: 'express', backendUrl: stack.proxyUrl, githubUrl: stack.githubUrl, env: noMetrics }),
    startSample({ adapter: 'fastify', backendUrl: stack.proxyUrl, githubUrl: stack.githubUrl, env: noMetrics }),
  ]);
  const basicHeaders = identities.map((identity) => ({ authorization: basicAuthorization(identity) }));
  const handWritten = {};
  await Promise.all(['express', 'fastify'].flatMap((adapter) => [
    startHandWrittenForward(adapter, stack.proxyUrl, basicHeaders, cookies).then((server) => (handWritten[`${adapter}-bitly-proxy`] = server)),
    startHandWrittenForward(adapter, stack.basicUrl, basicHeaders).then((server) => (handWritten[`${adapter}-basic`] = server)),
  ]));
  const cookieHeaders = cookies.map((cookie) => ({ cookie, accept: 'application/json' }));
  const apiPath = `/api?metric=${METRIC}&job=${JOB}`;
  const title = (adapter) => `${adapter[0].toUpperCase()}${adapter.slice(1)}`;
  const handWrittenTarget = (adapter, mode) => ({
    id: `hand-written-forward-${adapter}${mode === 'basic' ? '-basic' : ''}`,
    scenario: 4,
    label: mode === 'basic'
      ? `hand-written Nest route forwarding the caller's Basic credentials, ${title(adapter)}`
      : `hand-written Nest route forwarding with a known cookie, ${title(adapter)}`,
    path: `GET /${JOB}/${METRIC}`,
    baselineId: 'direct-undici-api',
    limitId: 'direct-autocannon-api',
    latencyRefId: 'direct-autocannon-api',
    measure: (durationSec) => {
      const server = handWritten[`${adapter}-${mode}`];
      return withServerCpu([server.pid, stack.child.pid], () =>
        runAutocannon({ url: `${server.origin}/${JOB}/${METRIC}`, connections, durationSec, headerSets: basicHeaders }));
    },
  });
  // The target: the library's route at least 0.9x the hand-written one on the same adapter and mode,
  // and under LIBRARY_CPU_BUDGET_US of CPU per request more than it.
  const sampleTarget = (adapter, mode, sample, viaAls = false) => ({
    id: viaAls ? `use-backend-auth-${adapter}-metric` : `sample-${adapter}-metric${mode === 'basic' ? '-basic' : ''}`,
    scenario: 4,
    label: viaAls
      ? `the metric route with @UseBackendAuth() (AsyncLocalStorage), ${title(adapter)}, auth ${mode}`
      : `sample metric route, ${title(adapter)}, auth ${mode}`,
    path: `GET /${JOB}/${METRIC}`,
    baselineId: 'direct-undici-api',
    limitId: 'direct-autocannon-api',
    latencyRefId: 'direct-autocannon-api',
    peerId: `hand-written-forward-${adapter}${mode === 'basic' ? '-basic' : ''}`,
    target: 0.9,
    targetAgainst: 'peer',
    maxCpuUsOverPeer: LIBRARY_CPU_BUDGET_US,
    measure: (durationSec) =>
      withServerCpu([sample.pid, stack.child.pid], () =>
        runAutocannon({ url: `${sample.origin}/${JOB}/${METRIC}`, connections, durationSec, headerSets: basicHeaders })),
    // The library's CPU: the sample and its peer loaded at the same time, so that both see the same machine.
    measureBesidePeer: (durationSec, peerFirst) => besidePeer(sample, handWritten[`${adapter}-${mode}`], durationSec, peerFirst),
  });
  /** Both loaded at once, each by its own connections: the CPU each process spends over the same window. */
  const besidePeer = async (sample, peer, durationSec, peerFirst) => {
    const load = (server) => ({
      pid: server.pid,
      run: () => runAutocannon({ url: `${server.origin}/${JOB}/${METRIC}`, connections, durationSec, headerSets: basicHeaders }),
    });
    const loads = peerFirst ? [load(peer), load(sample)] : [load(sample), load(peer)];
    const figures = await sideBySideCpu(loads);
    const [own, other] = peerFirst ? [figures[1], figures[0]] : figures;
    return { own, peer: other };
  };
  // The sample as deployed (metrics on) again, against itself with METRICS=off: what metrics cost.
  const withoutMetricsTarget = (adapter, sample) => ({
    ...sampleTarget(adapter, 'bitly-proxy', sample),
    id: `sample-${adapter}-metric-without-metrics`,
    label: `sample metric route with METRICS=off, ${title(adapter)}, auth bitly-proxy`,
    target: undefined,
    measureBesidePeer: undefined,
  });
  const metricsCostTarget = (adapter, sample, withoutMetrics) => ({
    ...sampleTarget(adapter, 'bitly-proxy', sample),
    id: `metrics-cost-${adapter}`,
    label: `the cost of metrics: the sample as deployed (METRICS=on) against METRICS=off, ${title(adapter)}, auth bitly-proxy`,
    peerId: `sample-${adapter}-metric-without-metrics`,
    target: METRICS_TARGET,
    maxCpuUsOverPeer: METRICS_CPU_BUDGET_US,
    measureBesidePeer: (durationSec, peerFirst) => besidePeer(sample, withoutMetrics, durationSec, peerFirst),
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
    // Each sample route right beside its hand-written peer: the pair sees the same state of the machine.
    handWrittenTarget('express', 'bitly-proxy'),
    sampleTarget('express', 'bitly-proxy', express),
    sampleTarget('express', 'bitly-proxy', alsExpress, true),
    handWrittenTarget('fastify', 'bitly-proxy'),
    sampleTarget('fastify', 'bitly-proxy', fastify),
    sampleTarget('fastify', 'bitly-proxy', alsFastify, true),
    withoutMetricsTarget('express', expressNoMetrics),
    metricsCostTarget('express', express, expressNoMetrics),
    withoutMetricsTarget('fastify', fastifyNoMetrics),
    metricsCostTarget('fastify', fastify, fastifyNoMetrics),
    handWrittenTarget('express', 'basic'),
    sampleTarget('express', 'basic', basicExpress),
    handWrittenTarget('fastify', 'basic'),
    sampleTarget('fastify', 'basic', basicFastify),
  ];
}
