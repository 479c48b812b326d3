// Starts the sample service (dist/sample/main.js) as its users do, from the environment, on a
// port picked up front, and waits for its health check. No BACKEND_URL means demo mode.
import { fileURLToPath } from 'node:url';
import { spawnNode } from '../harness/child-process.registry.js';
import { waitFor200 } from '../harness/http-ready.probe.js';
import { freeLoopbackPort } from '../harness/loopback-port.finder.js';

export const sampleMain = fileURLToPath(new URL('../../dist/sample/main.js', import.meta.url));

/**
 * @param {{ adapter: 'express'|'fastify', backendUrl?: string, githubUrl?: string, env?: Record<string, string>, nodeArgs?: string[] }} options
 *   `nodeArgs`: for node itself, e.g. `--cpu-prof` (bench/profile.js)
 */
export async function startSample({ adapter, backendUrl, githubUrl, env: extra = {}, nodeArgs = [] }) {
  const port = await freeLoopbackPort();
  // No shutdown delay: the bench stops its children at once, no Kubernetes endpoints to wait for.
  const env = { PORT: String(port), HOST: '127.0.0.1', HTTP_ADAPTER: adapter, LOGLEVEL: 'WARNING', SHUTDOWN_DELAY_MS: '0', ...extra };
  if (backendUrl) env.BACKEND_URL = backendUrl;
  // Children run with NODE_ENV=production, where the sample starts its demo backend only when asked.
  else env.DEMO = '1';
  if (githubUrl) env.GITHUB_URL = githubUrl;
  const child = spawnNode(sampleMain, { env, nodeArgs, label: `sample (${adapter}${backendUrl ? '' : ', demo'})` });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor200(`${origin}/`, { child, intervalMs: 20 });
  return { origin, pid: child.pid, child };
}
