import { loadOptionalPeer } from '../options/optional-peer.loader.js';

export type NestSwagger = typeof import('@nestjs/swagger');

/** @nestjs/swagger, an optional peer: imported only when `openapi` is on, so a service without it pays nothing. */
export const loadSwagger = (): Promise<NestSwagger> => loadOptionalPeer(() => import('@nestjs/swagger'), '@nestjs/swagger', 'openapi');
