// `npm run bench:profile [-- --adapter=fastify --auth=basic --seconds=8 --target=hand-written --rate=1500]`:
// a CPU profile (`node --cpu-prof`) of the backend path under load, as scenario 4 loads it, and a
// summary of where the service's time goes (self time by package and by function), so that an
// optimisation starts from a measurement; `--rate` loads at a fixed request rate instead of
// saturating. The .cpuprofile goes to .tmp/profiles (open it in Chrome DevTools or speedscope for
// the flame graph).
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnNode, stopAll, stopChild, waitForMessage } from './harness/child-process.registry.js';
import { runAutocannon } from './harness/autocannon.runner.js';
import { basicAuthorization, benchIdentities } from './harness/bench-identities.js';
import { withServerCpu } from './harness/process-cpu.meter.js';
import { summariseProfile } from './report/cpu-profile.summary.js';
import { startStackChild } from './scenarios/backend-path-targets.js';
import { startSample } from './scenarios/sample.launcher.js';
import { loginCookies } from './scenarios/proxy-cookie.login.js';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const adapter = arg('adapter', 'express');
const auth = arg('auth', 'bitly-proxy');
const seconds = Number(arg('seconds', '8'));
const target = arg('target', 'sample');
const ratePerSec = Number(arg('rate', '0'));
const identitiesCount = 5;

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = `${root}.tmp/profiles/${target}-${adapter}-${auth}`;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${dir}`];

try {
  const stack = await startStackChild(identitiesCount);
  const identities = benchIdentities(identitiesCount);
  const headerSets = identities.map((identity) => ({ authorization: basicAuthorization(identity) }));
  let service;
  if (target === 'hand-written') {
    const file = fileURLToPath(new URL('./servers/hand-written-forward.server.js', import.meta.url));
    const env = { HTTP_ADAPTER: adapter, PROXY_URL: auth === 'basic' ? stack.basicUrl : stack.proxyUrl };
    if (auth === 'basic') env.FORWARD = 'authorization';
    else {
      const cookies = await loginCookies({ startUrl: stack.startUrl, proxyUrl: stack.proxyUrl, githubUrl: stack.githubUrl, identities });
      env.COOKIES_BY_AUTHORIZATION = JSON.stringify(Object.fromEntries(headerSets.map((h, i) => [h.authorization, cookies[i]])));
    }
    const child = spawnNode(file, { nodeArgs, env });
    const { port } = await waitForMessage(child, 'ready');
    service = { origin: `http://127.0.0.1:${port}`, pid: child.pid, child };
  } else {
    const env = auth === 'basic' ? { AUTH_TYPE: 'basic' } : {};
    const backendUrl = auth === 'basic' ? stack.basicUrl : stack.proxyUrl;
    service = await startSample({ adapter, backendUrl, githubUrl: stack.githubUrl, env, nodeArgs });
  }
  const url = `${service.origin}/bench-job/time`;
  await runAutocannon({ url, connections: 10, durationSec: 2, headerSets }); // logins and JIT warm-up
  // The summary keeps the samples of this window only (V8's profile clock and hrtime are both the monotonic clock).
  const windowUs = [Number(process.hrtime.bigint() / 1000n)];
  const figures = await withServerCpu([service.pid], () => runAutocannon({ url, connections: 10, durationSec: seconds, headerSets, ratePerSec }));
  windowUs.push(Number(process.hrtime.bigint() / 1000n));
  await stopChild(service.child, 10_000);
  await stopAll();
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  console.log(`${target} (${adapter}, ${auth}): ${Math.round(figures.requestsPerSec)} req/s, ` +
    `${figures.serviceCpuUsPerRequest} CPU µs per request, non-2xx ${figures.non2xx}`);
  console.log(summariseProfile(JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')), { root, windowUs }));
  console.log(`profile: ${dir}/${file}`);
} finally {
  await stopAll();
}
