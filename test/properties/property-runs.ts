// How many inputs each property tries, and from which seed: fixed in the test command (a failure
// there replays exactly), larger on demand: `FC_RUNS=100000 FC_SEED=<seed> npx jest test/properties`.
// fast-check prints the seed and the shrunk counterexample of any failure.
import fc from 'fast-check';

const DEFAULT_RUNS = 300;
const DEFAULT_SEED = 20_261_205;

function positiveInteger(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return text !== undefined && Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

export const PROPERTY_RUNS: fc.Parameters<unknown> = {
  numRuns: positiveInteger(process.env.FC_RUNS, DEFAULT_RUNS),
  seed: positiveInteger(process.env.FC_SEED, DEFAULT_SEED),
};

/** Any string of UTF-16 code units, lone surrogates and control characters included. */
export const anyText = (maxLength = 200): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength });

/** Any byte string, as node hands a header to us (latin1: one character per byte). */
export const anyHeaderBytes = (maxLength = 300): fc.Arbitrary<string> =>
  fc.uint8Array({ maxLength }).map((bytes) => Buffer.from(bytes).toString('latin1'));

/** A marker planted in inputs, to prove no message repeats what it was given. */
export const CANARY = 'canary7f3aq';
