import { metadataPathsOf } from './metadata-paths.js';

describe('metadataPathsOf', () => {
  it('gives the four forms at the root', () => {
    expect(metadataPathsOf('/', '1.0')).toEqual(['/metadata', '/metadata.json', '/v1.0/metadata', '/v1.0/metadata.json']);
  });

  it('prefixes them and keeps the v literal', () => {
    expect(metadataPathsOf('/a/b', 'v2')).toEqual(['/a/b/metadata', '/a/b/metadata.json', '/a/b/vv2/metadata', '/a/b/vv2/metadata.json']);
  });
});
