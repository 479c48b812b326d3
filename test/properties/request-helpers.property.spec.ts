// The small request helpers over generated input (issue 26): query appending, the request-id resolver,
// and retryRequest's schedule (against a real loopback server that always fails).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { appendQueryParams, formEncodedQuery, type QueryValue } from '../../lib/http-request/query-params.appender.js';
import { resolveRequestId } from '../../lib/http-request/request-id.resolver.js';
import { retryRequest } from '../../lib/retry/retry-request.js';
import { anyHeaderBytes, anyText, PROPERTY_RUNS } from './property-runs.js';

const scalar = fc.oneof(anyText(20), fc.integer(), fc.double({ noNaN: false }), fc.boolean());
const queryValue: fc.Arbitrary<QueryValue> = fc.oneof(scalar, fc.constant(null), fc.constant(undefined), fc.array(scalar, { maxLength: 3 }));
const params = fc.dictionary(anyText(10), queryValue, { maxKeys: 5 });

/** What URLSearchParams makes of the same parameters: the contract formEncodedQuery keeps, faster. */
function reference(values: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  return search.toString();
}

describe('query appending, over generated parameters', () => {
  it('encodes exactly as URLSearchParams does', () => {
    fc.assert(fc.property(params, (values) => expect(formEncodedQuery(values)).toBe(reference(values))), PROPERTY_RUNS);
  });

  it("keeps the URL's own query byte for byte and its fragment, and adds parameters that parse back", () => {
    const url = fc.tuple(fc.constantFrom('', '?', '?a=1', '?a=%zz&b', '?x=%E2%82%AC+y'), fc.constantFrom('', '#', '#frag?x=1'), fc.constantFrom('/p', '/p/q', '/'));
    fc.assert(
      fc.property(url, params, ([query, hash, path], values) => {
        const target = new URL(`http://127.0.0.1:1${path}${query}${hash}`);
        const before = target.search;
        appendQueryParams(target, values);
        const added = formEncodedQuery(values);
        expect(target.hash).toBe(new URL(`http://h${hash}`).hash);
        if (added === '') return expect(target.search).toBe(before);
        expect(target.search.startsWith(before === '' ? '?' : before)).toBe(true);
        expect(target.search.endsWith(added)).toBe(true);
        expect(new URLSearchParams(added).toString()).toBe(reference(values));
      }),
      PROPERTY_RUNS,
    );
  });
});

describe('the request-id resolver, over generated headers', () => {
  it('keeps a sane id as it is, and gives anything else a fresh UUID; what it returns is always log-safe', () => {
    const sane = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
    fc.assert(
      fc.property(fc.oneof(anyHeaderBytes(200), fc.stringMatching(/^[A-Za-z0-9._:@/+=-]{1,140}$/), fc.constant(undefined), fc.array(fc.string())), (inbound) => {
        const id = resolveRequestId(inbound);
        expect(id).toMatch(sane);
        if (typeof inbound === 'string' && sane.test(inbound)) expect(id).toBe(inbound);
        else expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }),
      PROPERTY_RUNS,
    );
  });
});

describe("retryRequest's schedule, against a server that always fails", () => {
  let server: Server;
  let url = '';
  let received = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      received += 1;
      res.writeHead(503).end('busy');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('makes exactly `tries` attempts, tells the callback each failure with what is left, and then throws the 500', async () => {
    // Fewer runs: each is real HTTP with real (short) waits.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 3 }), async (tries, initialIntervalMs) => {
        received = 0;
        const seen: Array<[number, number, number]> = [];
        const error = await retryRequest('GET', url, { tries, initialIntervalMs, callback: ({ n, remaining, status }) => void seen.push([n, remaining, status]) }).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(error).toMatchObject({ statusCode: 500 });
        expect(received).toBe(tries);
        expect(seen).toEqual(Array.from({ length: tries - 1 }, (_, i) => [i + 1, tries - i - 1, 503]));
      }),
      { ...PROPERTY_RUNS, numRuns: Math.min(PROPERTY_RUNS.numRuns ?? 30, 30) },
    );
  });

  it('refuses any schedule it cannot keep with a RangeError before sending anything', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer(), fc.double()), fc.oneof(fc.integer(), fc.double()), async (tries, initialIntervalMs) => {
        const valid = Number.isInteger(tries) && tries >= 1 && Number.isFinite(initialIntervalMs) && initialIntervalMs >= 0 && initialIntervalMs * (tries - 1) <= 2 ** 31 - 1;
        fc.pre(!valid);
        received = 0;
        const error = await retryRequest('GET', url, { tries, initialIntervalMs }).then(() => undefined, (thrown: unknown) => thrown);
        expect(error).toBeInstanceOf(RangeError);
        expect(received).toBe(0);
      }),
      PROPERTY_RUNS,
    );
  });
});
