import { canonicalRoutePrefix, metadataPathsOf, routePrefixList } from './metadata-paths.js';

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

describe('metadataPathsOf', () => {
  it('gives the four forms at the root', () => {
    expect(metadataPathsOf('/', '1.0')).toEqual(['/metadata', '/metadata.json', '/v1.0/metadata', '/v1.0/metadata.json']);
  });

  it('prefixes them and keeps the v literal', () => {
    expect(metadataPathsOf('/a/b', 'v2')).toEqual(['/a/b/metadata', '/a/b/metadata.json', '/a/b/vv2/metadata', '/a/b/vv2/metadata.json']);
  });
});

describe('routePrefixList', () => {
  it('reads nothing as the root, a string as one prefix, an array as is', () => {
    expect(routePrefixList(undefined)).toEqual(['/']);
    expect(routePrefixList(null)).toEqual(['/']);
    expect(routePrefixList('x')).toEqual(['x']);
    expect(routePrefixList([])).toEqual([]);
  });
});
