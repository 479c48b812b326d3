// Scenarios 1-4: every load target up at once (idle ones cost no CPU), measured round-robin.
import { runLoadRounds } from './load-rounds.runner.js';
import { startBackendPathTargets } from './backend-path-targets.js';
import { startMetadataTargets } from './metadata-targets.js';

export async function runLoadScenarios(settings, log) {
  const [metadata, backend] = await Promise.all([startMetadataTargets(settings), startBackendPathTargets(settings)]);
  return runLoadRounds([...metadata, ...backend], settings, log);
}

/** Scenario 4 alone (`--only=backend-path`): the same targets and rounds, without the metadata servers. */
export async function runBackendPathScenario(settings, log) {
  return runLoadRounds(await startBackendPathTargets(settings), settings, log);
}
