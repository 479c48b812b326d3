// Scenario 6: from spawning the process to its first 200 on GET /metadata, repeated with the
// apps interleaved. The sample runs in demo mode, so its simulated backend starts too.
import { fileURLToPath } from 'node:url';
import { spawnNode, stopChild } from '../harness/child-process.registry.js';
import { waitFor200 } from '../harness/http-ready.probe.js';
import { freeLoopbackPort } from '../harness/loopback-port.finder.js';
import { median } from '../harness/median.statistic.js';
import { sampleMain } from './sample.launcher.js';

const server = (name) => fileURLToPath(new URL(`../servers/${name}`, import.meta.url));

const APPS = [
  { id: 'bare-nest-express', label: 'bare Nest app, Express (one @Get route)', file: server('bare-nest.server.js'), env: {} },
  { id: 'apikit-express', label: 'Nest app with ApiKitModule.forRoot, Express', file: server('apikit-nest.server.js'), env: {} },
  { id: 'sample-demo-express', label: 'the sample, demo mode, Express', file: sampleMain, env: { HOST: '127.0.0.1', LOGLEVEL: 'WARNING', DEMO: '1' } },
];

async function timeToFirst200(app) {
  const port = await freeLoopbackPort();
  const since = process.hrtime.bigint();
  const child = spawnNode(app.file, { env: { ...app.env, PORT: String(port), HTTP_ADAPTER: 'express' }, label: app.label });
  try {
    return await waitFor200(`http://127.0.0.1:${port}/metadata`, { child, since, intervalMs: 5 });
  } finally {
    await stopChild(child);
  }
}

export async function runColdStartScenario(settings, log) {
  const runs = Object.fromEntries(APPS.map((app) => [app.id, []]));
  for (let rep = 0; rep < settings.coldStartRepetitions; rep++) {
    for (const app of APPS) runs[app.id].push(await timeToFirst200(app));
  }
  const summary = APPS.map(({ id, label }) => ({ id, label, medianMs: median(runs[id]), runsMs: runs[id] }));
  for (const s of summary) log(`  ${s.id}: ${Math.round(s.medianMs)} ms`);
  return { summary, problems: [] };
}
