import 'reflect-metadata';
import { Controller, Get, INestApplication, Logger, Module } from '@nestjs/common';
import { AbstractHttpAdapter, NestFactory } from '@nestjs/core';
import request from 'supertest';
import { ApiKitLogger } from '../lib/logging/apikit-logger.service.js';
import { ADAPTERS, initForRequests } from './fixtures/e2e-app.fixture.js';

@Controller('jobs')
class JobsController {
  private readonly logger = new Logger(JobsController.name);

  @Get('ok')
  ok(): string {
    this.logger.log('listing jobs', { user: 'bot', authorization: 'Bearer secret-token' });
    return 'ok';
  }

  @Get('boom')
  boom(): never {
    throw new Error('boom');
  }
}

@Module({ controllers: [JobsController] })
class LoggingTestModule {}

interface Line {
  timestamp: string;
  level: string;
  logger: string;
  event: string;
  [field: string]: unknown;
}

function collector(): { destination: { write(line: string): void }; lines(): Line[] } {
  const written: string[] = [];
  return {
    destination: { write: (line: string) => void written.push(line) },
    lines: () => written.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line),
  };
}

async function start(adapter: AbstractHttpAdapter, logger: ApiKitLogger, viaUseLogger: boolean): Promise<INestApplication> {
  const app = await NestFactory.create(LoggingTestModule, adapter, viaUseLogger ? { bufferLogs: true } : { logger });
  if (viaUseLogger) app.useLogger(logger);
  return initForRequests(app);
}

describe.each(ADAPTERS)('ApiKitLogger in a Nest application on %s', (_name, createAdapter) => {
  describe.each([
    ['NestFactory.create(..., { logger })', false],
    ['app.useLogger(...)', true],
  ])('given with %s', (_how, viaUseLogger) => {
    let app: INestApplication;
    const { destination, lines } = collector();
    beforeAll(async () => {
      app = await start(createAdapter(), new ApiKitLogger({ env: { LOGLEVEL: 'info' }, destination }), viaUseLogger);
    });
    afterAll(() => app.close());

    it("writes Nest's own lines as JSON with the Nest context as logger", () => {
      const boot = lines();
      expect(boot.length).toBeGreaterThan(0);
      for (const line of boot) expect(Object.keys(line)).toEqual(expect.arrayContaining(['timestamp', 'level', 'logger', 'event']));
      expect(boot).toContainEqual(expect.objectContaining({ level: 'info', logger: 'RoutesResolver' }));
    });

    it('writes a controller Logger line with its context and fields, secrets redacted', async () => {
      await request(app.getHttpServer()).get('/jobs/ok').expect(200);
      const line = lines().find((l) => l.event === 'listing jobs');
      expect(line).toMatchObject({ level: 'info', logger: 'JobsController', user: 'bot', authorization: '[Redacted]' });
      expect(JSON.stringify(lines())).not.toContain('secret-token');
    });

    it('writes unhandled errors at level error with their stack', async () => {
      await request(app.getHttpServer()).get('/jobs/boom').expect(500);
      const line = lines().find((l) => l.event === 'boom');
      expect(line).toMatchObject({ level: 'error', logger: 'ExceptionsHandler' });
      expect(String(line?.stack)).toMatch(/boom\n\s+at /);
    });
  });
});
