import { canonicalRoutePrefix, canonicalRoutePrefixes } from './route-prefix.rules.js';

describe('canonicalRoutePrefix (apikit: "/" + P.strip("/"))', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['//', '/'],
    ['bob', '/bob'],
    ['/bob/', '/bob'],
    ['a/b', '/a/b'],
    ['//a//b//', '/a//b'],
    ['Bob', '/Bob'],
  ])('%j -> %j', (prefix, canonical) => {
    expect(canonicalRoutePrefix(prefix)).toBe(canonical);
  });
});

describe('canonicalRoutePrefixes', () => {
  it('reads nothing as the root, a string as one prefix, an array as is', () => {
    expect(canonicalRoutePrefixes(undefined)).toEqual(['/']);
    expect(canonicalRoutePrefixes(null)).toEqual(['/']);
    expect(canonicalRoutePrefixes('x')).toEqual(['/x']);
    expect(canonicalRoutePrefixes([])).toEqual([]);
  });

  it('de-duplicates canonical forms, keeping the first position', () => {
    expect(canonicalRoutePrefixes(['/b', '', 'b/', '/'])).toEqual(['/b', '/']);
  });
});
