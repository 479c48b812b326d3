import { ApiKitOptionsError } from './apikit-options.error.js';
import { loadOptionalPeer } from './optional-peer.loader.js';

const fixture = (name: string) => new URL(`../../test/fixtures/optional-peer/${name}`, import.meta.url).href;

describe('loadOptionalPeer', () => {
  it('gives the module of an installed peer', async () => {
    const peer = await loadOptionalPeer(() => import('fast-check'), 'fast-check', 'properties');
    expect(typeof peer.assert).toBe('function');
  });

  it('turns a peer that is not installed into an option error naming the install command', async () => {
    const loading = loadOptionalPeer(() => import('nestjs-apikit-no-such-peer' as string), 'nestjs-apikit-no-such-peer', 'metrics');
    await expect(loading).rejects.toThrow(ApiKitOptionsError);
    await expect(loading).rejects.toThrow('metrics: needs the optional peer "nestjs-apikit-no-such-peer": npm install nestjs-apikit-no-such-peer');
  });

  it('lets a caller that is no module option choose its error', async () => {
    const loading = loadOptionalPeer(() => import('nestjs-apikit-no-such-peer' as string), 'nestjs-apikit-no-such-peer', 'createServiceClient', (advice) => new TypeError(advice));
    await expect(loading).rejects.toThrow(TypeError);
  });

  it("does not hide an installed peer's own failure behind the install advice", async () => {
    await expect(loadOptionalPeer(() => import(fixture('throws-on-load.mjs')), 'throws-on-load', 'metrics')).rejects.toThrow('the peer broke while loading');
  });

  it('does not call a missing dependency of the peer a missing peer', async () => {
    const loading = loadOptionalPeer(() => import(fixture('misses-its-dependency.mjs')), 'misses-its-dependency', 'metrics');
    await expect(loading).rejects.not.toThrow(ApiKitOptionsError);
    await expect(loading).rejects.toThrow(/nestjs-apikit-absent-dependency-of-a-peer/);
  });
});
