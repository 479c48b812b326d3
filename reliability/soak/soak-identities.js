// The soak's callers: GitHub accounts of the simulated stack of three kinds (plain, two-factor with an
// authenticator app, device verification by emailed code), in a seeded order, each calling from a
// loopback address of its own group (127.0.1.1-64), as clients behind many addresses do: the
// service's per-address bounds then hold per group, not for the whole run at once.
import { benchIdentities } from '../../bench/harness/bench-identities.js';
import { seededShuffle } from '../../bench/harness/seeded-shuffle.js';

/** Of every 20 identities: 12 plain, 5 with two-factor codes, 3 verifying their device by email. */
const KINDS = [...Array(12).fill('plain'), ...Array(5).fill('two-factor'), ...Array(3).fill('device')];
const ADDRESSES = 64;

export function soakIdentities(count, seed) {
  const kinds = seededShuffle(Array.from({ length: count }, (_, i) => KINDS[i % KINDS.length]), seed);
  return benchIdentities(count).map((identity, i) => ({
    ...identity,
    kind: kinds[i],
    address: `127.0.1.${(i % ADDRESSES) + 1}`,
    /** The device token the service gave after a code (`X-ApiKit-Device`), sent back from then on. */
    device: undefined,
  }));
}

/** The simulated GitHub's accounts for those that are not plain (the stack starts with every identity plain). */
export function accountsOf(identities) {
  return identities
    .filter((identity) => identity.kind !== 'plain')
    .map(({ login, password, kind }) => (kind === 'two-factor' ? { login, password, twoFactor: 'app' } : { login, password, deviceVerification: true }));
}
