import type { INestApplication, Type } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { ApiKitModuleOptions, ServiceMetadata } from '../lib/index.js';

// Shared by the ApiKitModule e2e specs: both adapters, booting, and the metadata body check.

export const BASE_OPTIONS: ApiKitModuleOptions = {
  name: 'bob',
  version: '2.0',
  repository: 'http://example.repo',
  description: 'BobApp',
};

/** The metadata body of BASE_OPTIONS with the defaults. */
export const BASE_BODY: MetadataBody = {
  name: 'bob',
  version: '2.0',
  repository: 'http://example.repo',
  description: 'BobApp',
  api_version: '1.0',
  auth: 'none',
};

/** What a metadata answer must be, key for key (`auth` as any string, to test it). */
export type MetadataBody = Readonly<Record<keyof ServiceMetadata, string>>;

export const ADAPTERS = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const;

export type AdapterFactory = (typeof ADAPTERS)[number][1];

/** Boots applications over one adapter and closes every one of them in `closeAll()`. */
export class AppBooter {
  private readonly apps: INestApplication[] = [];

  constructor(private readonly createAdapter: AdapterFactory) {}

  async create(rootModule: Type): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({ imports: [rootModule] }).compile();
    const app = moduleRef.createNestApplication(this.createAdapter(), { logger: false });
    this.apps.push(app);
    return app;
  }

  async init(app: INestApplication): Promise<INestApplication> {
    await app.init();
    const adapter = app.getHttpAdapter();
    // Fastify must be ready before supertest talks to its server.
    if (adapter instanceof FastifyAdapter) await adapter.getInstance().ready();
    return app;
  }

  async boot(rootModule: Type, configure?: (app: INestApplication) => void): Promise<INestApplication> {
    const app = await this.create(rootModule);
    configure?.(app);
    return this.init(app);
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.apps.splice(0).map((app) => app.close()));
  }
}

/** Asserts a metadata answer: 200, JSON, exactly apikit's six string keys with the expected values. */
export async function expectMetadata(app: INestApplication, path: string, expected: MetadataBody): Promise<void> {
  const res = await request(app.getHttpServer()).get(path).expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body).toEqual(expected);
  expect(Object.keys(body).sort()).toEqual(['api_version', 'auth', 'description', 'name', 'repository', 'version']);
  expect(Object.values(body).every((value) => typeof value === 'string')).toBe(true);
}
