// ApiKitModule's options over generated values (issue 26): any value resolves to valid options or is
// refused with an ApiKitOptionsError, never another throw, and no message repeats a value it was given
// (options hold secrets: auth data, the session secret, Redis URLs with passwords).
import fc from 'fast-check';
import { ApiKitOptionsError } from '../../lib/options/apikit-options.error.js';
import { resolveApiKitOptions } from '../../lib/options/apikit-options.resolver.js';
import { anyText, CANARY, PROPERTY_RUNS } from './property-runs.js';

/** A planted string: whatever text around the canary. */
const planted = fc.tuple(anyText(12), anyText(12)).map(([before, after]) => `${before}${CANARY}${after}`);
/** Any JSON value, with planted strings among the leaves. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  fc.jsonValue({ maxDepth: 3 }),
  planted,
  // Keys are the developer's own code, and an unknown one is named (JSON-quoted) to say which: only values are planted.
  fc.dictionary(fc.string({ maxLength: 8 }).filter((key) => !key.includes(CANARY)), fc.oneof(planted, fc.jsonValue({ maxDepth: 1 })), { maxKeys: 4 }),
  fc.array(fc.oneof(planted, fc.string({ maxLength: 8 })), { maxLength: 3 }),
);
const valid = { name: 'svc', version: '1.0.0', repository: 'https://github.com/o/r', description: 'd' };
/** Options near the valid ones: each known key (top level and backend) may be replaced by anything. */
const nearlyValid = fc
  .record(
    {
      name: anyValue,
      version: anyValue,
      route: fc.oneof(anyValue, fc.constant('/v1'), fc.constant(['/', '/x'])),
      auth: fc.oneof(anyValue, fc.record({ type: fc.oneof(anyValue, fc.constantFrom('none', 'basic', 'bitly-proxy')), data: anyValue })),
      errorBody: fc.oneof(anyValue, fc.constantFrom('apikit', 'nest')),
      healthCheck: anyValue,
      metrics: fc.oneof(anyValue, fc.record({ path: anyValue, prefix: anyValue }, { requiredKeys: [] })),
      tracing: anyValue,
      backend: fc.oneof(
        anyValue,
        fc.record(
          {
            timeoutMs: anyValue,
            githubUrl: anyValue,
            secret: anyValue,
            store: fc.oneof(anyValue, fc.record({ type: fc.constantFrom('redis', 'memory'), url: anyValue, keyPrefix: anyValue }, { requiredKeys: [] })),
            loginBudget: fc.oneof(anyValue, fc.record({ maxConcurrent: anyValue, perHour: anyValue }, { requiredKeys: [] })),
            trustedProxies: anyValue,
            userAgent: anyValue,
          },
          { requiredKeys: [] },
        ),
      ),
      unknownOption: anyValue,
    },
    { requiredKeys: [] },
  )
  .map((changes) => ({ ...valid, ...changes }));

function resolve(raw: unknown): { ok: true } | { ok: false; message: string } {
  try {
    resolveApiKitOptions(raw);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof ApiKitOptionsError)) throw error;
    return { ok: false, message: error.message };
  }
}

describe('ApiKitModule options, over generated values', () => {
  it('resolves or refuses any JSON value with an ApiKitOptionsError, never another throw', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, nearlyValid), (raw) => {
        resolve(raw);
      }),
      PROPERTY_RUNS,
    );
  });

  it('never repeats a value it was given in its message (it names the option and what was expected)', () => {
    fc.assert(
      fc.property(nearlyValid, (raw) => {
        const result = resolve(raw);
        if (!result.ok) expect(result.message).not.toContain(CANARY);
      }),
      PROPERTY_RUNS,
    );
  });
});
