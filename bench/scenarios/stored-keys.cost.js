// Scenario 8 (d): the scrypt of an identity's stored keys alone, against the HMAC it replaced (issue 27),
// measured in a fresh process of its own (bench/servers/stored-key.cost.js) before any server starts.
import { fileURLToPath } from 'node:url';
import { spawnNode, stopChild, waitForMessage } from '../harness/child-process.registry.js';

export async function measureStoredKeyCost(secret, repetitions, log) {
  const file = fileURLToPath(new URL('../servers/stored-key.cost.js', import.meta.url));
  const child = spawnNode(file, { env: { SESSION_SECRET: secret, REPETITIONS: String(repetitions) }, label: 'stored key derivation cost' });
  try {
    const { type: _type, ...result } = await waitForMessage(child, 'ready', 120_000);
    const ms = (v) => v.toFixed(1);
    log(`  scrypt (N=2^${Math.log2(result.scrypt.N)}, r=${result.scrypt.r}, p=${result.scrypt.p}) derive: ${ms(result.deriveMedianMs)} ms median of ${repetitions} (${ms(result.deriveMinMs)}-${ms(result.deriveMaxMs)}), CPU ${ms(result.deriveCpuMedianMs)} ms; a fresh process's first ${result.freshProcessDerivesMs.length}: ${result.freshProcessDerivesMs.map(ms).join(', ')} ms`);
    log(`  old HMAC-SHA-256 of username:password: ${result.hmacCreateHmacUs.toFixed(2)} µs (createHmac), ${result.hmacHasherUs.toFixed(2)} µs (IdentityKeyHasher): derive = ${Math.round(result.ratioToCreateHmac).toLocaleString('en-US')}x createHmac`);
    return { ...result, problems: [] };
  } finally {
    await stopChild(child);
  }
}
