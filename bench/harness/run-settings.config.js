// How long and how hard each mode loads the servers. The full run stays within ~10 minutes on a
// 2-core machine; the smoke run (CI) only proves every scenario works, in well under a minute,
// so it skips the warm-up pass. autocannon counts durations in whole seconds.
export function runSettings(argv) {
  const smoke = argv.includes('--smoke');
  return smoke
    ? {
        mode: 'smoke',
        rounds: 1,
        warmupSec: 0,
        durationSec: 1,
        connections: 10,
        backendIdentities: 5,
        loginIdentities: 10,
        loginRequestsPerIdentity: 30,
        concurrentFirstRequests: 100,
        coldStartRepetitions: 1,
        memoryIdentities: 200,
        storedKeyDerivations: 3,
        firstCallIdentities: 2,
      }
    : {
        mode: 'full',
        rounds: 6,
        warmupSec: 2,
        durationSec: 3,
        connections: 10,
        backendIdentities: 5,
        loginIdentities: 10,
        loginRequestsPerIdentity: 1000,
        concurrentFirstRequests: 100,
        coldStartRepetitions: 5,
        memoryIdentities: 10_000,
        storedKeyDerivations: 20,
        firstCallIdentities: 10,
      };
}
