import { loadOptionalPeer } from '../options/optional-peer.loader.js';

export type PromClient = typeof import('prom-client');

/** prom-client, an optional peer: imported only when `metrics` is on, so a service without it pays nothing. */
export const loadPromClient = (): Promise<PromClient> => loadOptionalPeer(() => import('prom-client'), 'prom-client', 'metrics');
