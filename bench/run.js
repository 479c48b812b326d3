// `npm run bench` (full: rounds, writes bench/results/<date>.json and BENCHMARKS.md) and
// `npm run bench:smoke` (CI: every scenario once, briefly, writes .tmp/bench-smoke-latest.json).
// Exits non-zero only when a scenario is broken (errors, non-2xx, wrong login counts), never on speed.
// `--only=load,logins,cold-start,memory,redis` runs a subset (development aid; the report needs them all);
// `--only=backend-path` runs scenario 4 alone (its targets of `load`), to compare builds of backend-auth.
// `--report=bench/results/<file>.json` only regenerates BENCHMARKS.md from a full run's figures.
// `--second=<file>.json` adds a backend-path run on another Node (its scenario 4) to BENCHMARKS.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stopAll } from './harness/child-process.registry.js';
import { runSettings } from './harness/run-settings.config.js';
import { machineInfo, versionInfo } from './report/machine.info.js';
import { writeBenchmarksMarkdown } from './report/benchmarks.markdown.js';
import { runBackendPathScenario, runLoadScenarios } from './scenarios/load.scenario.js';
import { runLoginScenario } from './scenarios/logins.scenario.js';
import { runColdStartScenario } from './scenarios/cold-start.scenario.js';
import { runMemoryScenario } from './scenarios/memory.scenario.js';
import { runRedisScenario } from './scenarios/redis.scenario.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const reportFrom = process.argv.find((a) => a.startsWith('--report='))?.slice(9);
// `--second=bench/results/<file>.json`: a `--only=backend-path` run on another Node, reported after scenario 4.
const secondFrom = process.argv.find((a) => a.startsWith('--second='))?.slice(9);
const second = secondFrom ? { ...JSON.parse(readFileSync(secondFrom, 'utf8')), file: secondFrom.split('/').pop() } : undefined;
if (reportFrom) {
  writeBenchmarksMarkdown(`${root}BENCHMARKS.md`, JSON.parse(readFileSync(reportFrom, 'utf8')), second);
  process.exit(0);
}
const settings = runSettings(process.argv);
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const log = (line) => console.log(line);

const parts = [
  ['load', runLoadScenarios],
  ['backend-path', runBackendPathScenario, { onlyWhenAsked: true }],
  ['logins', runLoginScenario],
  ['cold-start', runColdStartScenario],
  ['memory', runMemoryScenario],
  ['redis', runRedisScenario],
];

const started = Date.now();
const results = {
  date: new Date().toISOString(),
  command: settings.mode === 'smoke' ? 'npm run bench:smoke' : 'npm run bench',
  settings,
  machine: machineInfo(),
  versions: versionInfo(),
  scenarios: {},
  problems: [],
  ...(only ? { only } : {}),
};

try {
  for (const [name, run, { onlyWhenAsked } = {}] of parts) {
    if (only ? !only.includes(name) : onlyWhenAsked) continue;
    log(`== ${name}`);
    const partStarted = Date.now();
    try {
      const outcome = await run(settings, log);
      results.scenarios[name] = outcome;
      results.problems.push(...(outcome.problems ?? []));
    } catch (err) {
      results.problems.push(`${name}: ${err.stack ?? err}`);
    } finally {
      await stopAll(); // each part starts from an idle machine
      log(`   (${((Date.now() - partStarted) / 1000).toFixed(1)} s)`);
    }
  }
} finally {
  await stopAll();
}
results.elapsedSec = Math.round((Date.now() - started) / 100) / 10;

if (settings.mode === 'smoke') {
  mkdirSync(`${root}.tmp`, { recursive: true });
  writeFileSync(`${root}.tmp/bench-smoke-latest.json`, JSON.stringify(results, null, 2));
} else {
  // bench/results keeps full runs (the report's sources); a subset's figures go to .tmp.
  const dir = only ? `${root}.tmp/bench-only` : `${root}bench/results`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/${only ? `${only.join('+')}-` : ''}${results.date.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify(results, null, 2));
  if (!only) writeBenchmarksMarkdown(`${root}BENCHMARKS.md`, results, second);
  log(`raw figures: ${file}`);
}

log(`done in ${results.elapsedSec} s`);
if (results.problems.length) {
  console.error(`BROKEN (${results.problems.length}):\n- ${results.problems.join('\n- ')}`);
  process.exitCode = 1;
}
