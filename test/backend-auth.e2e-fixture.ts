import 'reflect-metadata';
import { Body, Controller, Get, Inject, INestApplication, LoggerService, Module, Param, Post, Query } from '@nestjs/common';
import { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiKitModule, BackendError, BackendSessionOptions, BitlyProxySession, UseBackendAuth } from '../lib/index.js';
import type { AuthOption } from '../lib/index.js';
import { simulatedBackendHandler, type SimulatedBackendHandler } from '../lib/testing/index.js';

/** The adapters every backend-auth suite runs on, with the same expectations. */
export const ADAPTERS: Array<[name: string, create: () => AbstractHttpAdapter]> = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
];

const BACKEND_URL = Symbol('BACKEND_URL');

/**
 * What a service author writes: a controller under @UseBackendAuth() calling the backend
 * through the injected session, turning a backend failure into a BackendError.
 */
@Controller('t')
@UseBackendAuth()
class BackendTestController {
  constructor(
    private readonly backend: BitlyProxySession,
    @Inject(BACKEND_URL) private readonly url: string,
  ) {}

  @Get('metric/:job/:metric')
  async metric(@Param('job') job: string, @Param('metric') metric: string, @Query('timeoutMs') timeoutMs?: string) {
    const res = await this.backend.get(`${this.url}/api`, {
      params: { metric, job },
      ...(timeoutMs === undefined ? {} : { timeoutMs: Number(timeoutMs) }),
    });
    if (!res.ok) throw new BackendError(res.statusText, res.status, res.text());
    return { value: res.text() };
  }

  @Get('whoami')
  async whoami() {
    const res = await this.backend.get(`${this.url}/whoami`);
    if (!res.ok) throw new BackendError(res.statusText, res.status, res.text());
    return res.json();
  }

  @Post('echo')
  async echo(@Body() body: object) {
    const res = await this.backend.post(`${this.url}/echo`, body);
    if (!res.ok) throw new BackendError(res.statusText, res.status, res.text());
    return res.json();
  }
}

export interface TestAppOptions {
  auth: AuthOption;
  backendUrl: string;
  backend?: BackendSessionOptions;
  logger?: LoggerService;
}

/** A real Nest app with ApiKitModule and the test controller, ready for supertest. */
export async function createBackendAuthApp(createAdapter: () => AbstractHttpAdapter, options: TestAppOptions): Promise<INestApplication> {
  @Module({
    imports: [
      ApiKitModule.forRoot({
        name: 'backend-auth-test',
        version: '1.0.0',
        repository: 'https://example.test/repo',
        description: 'e2e of the backend session',
        auth: options.auth,
        backend: options.backend,
      }),
    ],
    controllers: [BackendTestController],
    providers: [{ provide: BACKEND_URL, useValue: options.backendUrl }],
  })
  class TestAppModule {}

  const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
  const app = moduleRef.createNestApplication(createAdapter(), options.logger ? { logger: options.logger } : {});
  if (options.logger) app.useLogger(options.logger);
  await app.init();
  if (app.getHttpAdapter() instanceof FastifyAdapter) await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}

/** `Authorization: Basic ...` for a username and password. */
export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** A backend behind the simulated proxy: the technote's `/api`, plus `/whoami` and `/echo` telling who was served. */
export const echoingBackendHandler: SimulatedBackendHandler = async (req, res, ctx) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/whoami' || path === '/echo') {
    const body = await readBody(req);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ user: ctx.user, requestId: ctx.requestId ?? null, body }));
    return;
  }
  return simulatedBackendHandler(req, res, ctx);
};

export interface SeenRequest {
  authorization: string | undefined;
  requestId: string | undefined;
}

/** A plain loopback backend (for `none` and `basic`): records what it was sent, answers `/whoami` with it. */
export async function startPlainBackend(): Promise<{ url: string; seen: SeenRequest[]; stop(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const entry = { authorization: req.headers.authorization, requestId: req.headers['x-request-id'] as string | undefined };
    seen.push(entry);
    // `refused:refused` stands for credentials the backend rejects.
    const refused = entry.authorization === basic('refused', 'refused');
    const status = req.url !== '/whoami' ? 404 : refused ? 401 : 200;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(entry));
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Collects every line Nest logs (the library's included), to search them for secrets. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(...args: unknown[]): void {
    this.push('log', args);
  }
  error(...args: unknown[]): void {
    this.push('error', args);
  }
  warn(...args: unknown[]): void {
    this.push('warn', args);
  }
  debug(...args: unknown[]): void {
    this.push('debug', args);
  }
  verbose(...args: unknown[]): void {
    this.push('verbose', args);
  }
  private push(level: string, args: unknown[]): void {
    this.lines.push(`${level} ${args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.message}\n${a.stack}` : JSON.stringify(a))).join(' ')}`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
