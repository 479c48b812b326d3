// Scenario 8 (d), the measuring side, in a fresh process of its own: what one identity's stored keys cost
// to derive. With the Redis store, an identity's Redis key and value key come from an scrypt of its
// password (StoredIdentityKeyDeriver): what an offline guesser holding a copy of Redis and the secret pays
// per guess, and what each identity's first call pays once per process. Beside it, what the same guess
// cost before issue 27: an HMAC-SHA-256 of username:password under a key from the secret, with node's
// createHmac and with the pool's own hasher (IdentityKeyHasher, which still keys every request's identity).
//
// A fresh process's first derivations are timed apart: each of libuv's threads pays more for its first
// one or two scrypts (its 16 MiB are page-faulted in until glibc's dynamic mmap threshold keeps them on
// the thread's heap), about 2.5x on the bench machine, ~5 calls with the default 4 threads.
import { createHmac, hkdfSync } from 'node:crypto';
import { median } from '../harness/median.statistic.js';
// Internal classes, not in the public barrel: the cost of the derivation itself, without a request around it.
import { STORED_IDENTITY_SCRYPT, StoredIdentityKeyDeriver } from '../../dist/lib/backend-auth/store/stored-identity.keys.js';
import { IdentityKeyHasher } from '../../dist/lib/backend-auth/pool/identity-key.hasher.js';
import { announceError, announceReady } from './parent.channel.js';

const secret = Buffer.from(process.env.SESSION_SECRET, 'utf8');
const repetitions = Number(process.env.REPETITIONS);
/** Timed one by one before the steady series: more than libuv's default 4 threads' first calls. */
const FRESH_DERIVES = 8;
/** HMAC calls timed together: a single one (~2 µs) is below the timer's useful resolution. */
const HMAC_BATCH = 5_000;
const HMAC_BATCHES = 20;

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
/** CPU time of this process, all threads (scrypt runs in libuv's pool), in ms. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// A new password every call, as a guesser's; usernames are lower-cased by the pool before deriving.
const guess = (i) => ({ username: `bench-user-${i % 7}`, password: `guess-${i}-correct-horse-battery` });

async function timedDerives(deriver, from, count) {
  const wallMs = [];
  const cpu = [];
  for (let i = from; i < from + count; i++) {
    const { username, password } = guess(i);
    const [t0, c0] = [nowMs(), cpuMs()];
    await deriver.derive(username, password);
    wallMs.push(nowMs() - t0);
    cpu.push(cpuMs() - c0);
  }
  return { wallMs, cpu };
}

/** Median µs per call of `fn` over the texts, in batches (the first two warm the JIT and are dropped). */
function perCallUs(fn, texts) {
  let sink = 0;
  const batches = [];
  for (let b = 0; b < HMAC_BATCHES + 2; b++) {
    const t0 = nowMs();
    for (let i = 0; i < HMAC_BATCH; i++) sink += fn(texts[i & 63]).length;
    if (b >= 2) batches.push(((nowMs() - t0) * 1000) / HMAC_BATCH);
  }
  if (sink === 0) throw new Error('stored keys: the HMAC loop computed nothing');
  return median(batches);
}

try {
  const deriver = new StoredIdentityKeyDeriver(secret);
  const fresh = await timedDerives(deriver, 1_000, FRESH_DERIVES);
  const steady = await timedDerives(deriver, 0, repetitions);

  // The old per-guess cost: HMAC-SHA-256 over the pool's length-prefixed "username:password".
  const hmacKey = Buffer.from(hkdfSync('sha256', secret, '', 'nestjs-apikit identity keys', 32));
  const hasher = new IdentityKeyHasher(hmacKey);
  const texts = Array.from({ length: 64 }, (_, i) => {
    const { username, password } = guess(i);
    return `${username.length}:${username}:${password}`;
  });
  const createHmacUs = perCallUs((text) => createHmac('sha256', hmacKey).update(text).digest('base64url'), texts);
  const hasherUs = perCallUs((text) => hasher.keyOf(text), texts);

  const deriveMs = median(steady.wallMs);
  announceReady({
    scrypt: { N: STORED_IDENTITY_SCRYPT.N, r: STORED_IDENTITY_SCRYPT.r, p: STORED_IDENTITY_SCRYPT.p },
    threadPoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    freshProcessDerivesMs: fresh.wallMs,
    deriveRepetitions: repetitions,
    deriveMedianMs: deriveMs,
    deriveMinMs: Math.min(...steady.wallMs),
    deriveMaxMs: Math.max(...steady.wallMs),
    deriveCpuMedianMs: median(steady.cpu),
    hmacCreateHmacUs: createHmacUs,
    hmacHasherUs: hasherUs,
    hmacCallsTimed: HMAC_BATCH * HMAC_BATCHES,
    ratioToCreateHmac: (deriveMs * 1000) / createHmacUs,
    ratioToHasher: (deriveMs * 1000) / hasherUs,
  });
} catch (err) {
  announceError(err);
  process.exit(1);
}
