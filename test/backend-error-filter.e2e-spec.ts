import 'reflect-metadata';
import { Controller, Get, INestApplication, Module, NotFoundException, UseFilters } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import request from 'supertest';
import { BackendError } from '../lib/errors/backend-error.js';
import { BackendErrorFilter } from '../lib/errors/backend-error.filter.js';
import { raiseIse } from '../lib/errors/raise-ise.js';
import { ADAPTERS, AppBooter } from './fixtures/e2e-app.fixture.js';

@Controller('fail')
class FailingController {
  @Get('content')
  content(): never {
    throw new BackendError('bad horse', 502, 'thoroughbred of sin');
  }

  @Get('minimal')
  minimal(): never {
    throw new BackendError('minimal');
  }

  @Get('bytes')
  bytes(): never {
    throw new BackendError('Bad Gateway', 502, Buffer.from('caf\u00e9 upstream', 'utf8'));
  }

  @Get('headers')
  headers(): never {
    throw new BackendError('Unauthorized', 401, 'log in first', { 'WWW-Authenticate': 'Basic realm="apikit"', 'X-Request-Hint': 'retry' });
  }

  @Get('odd-status')
  oddStatus(): never {
    throw new BackendError('Nae so wee', 789);
  }

  @Get('interim-status')
  interimStatus(): never {
    throw new BackendError('Early Hints', 103, 'not a final answer');
  }

  @Get('async')
  async later(): Promise<never> {
    await Promise.resolve();
    raiseIse('hippopotamus');
  }

  @Get('other')
  other(): never {
    throw new Error('boom with internals');
  }

  @Get('http')
  http(): never {
    throw new NotFoundException('nope');
  }
}

/** The same routes with the filter applied per controller, for users who opt out of the global one. */
@Controller('scoped')
@UseFilters(BackendErrorFilter)
class ScopedController {
  @Get('content')
  content(): never {
    throw new BackendError('bad horse', 502, 'thoroughbred of sin');
  }
}

@Controller('unfiltered')
class UnfilteredController {
  @Get('content')
  content(): never {
    throw new BackendError('bad horse', 502, 'thoroughbred of sin');
  }
}

@Module({
  controllers: [FailingController, ScopedController, UnfilteredController],
  providers: [{ provide: APP_FILTER, useClass: BackendErrorFilter }],
})
class GlobalFilterModule {}

@Module({ controllers: [FailingController, ScopedController, UnfilteredController] })
class NoGlobalFilterModule {}

describe.each(ADAPTERS)('BackendErrorFilter on %s', (_name, createAdapter) => {
  const booter = new AppBooter(createAdapter);
  afterAll(() => booter.closeAll());

  describe('registered globally (APP_FILTER)', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await booter.boot(GlobalFilterModule);
    });

    it("answers with the error's status and apikit's body", async () => {
      const res = await request(app.getHttpServer()).get('/fail/content').expect(502);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ reason: 'bad horse', status_code: 502, error_content: 'thoroughbred of sin' });
    });

    it('sends error_content null when the error has no content', async () => {
      const res = await request(app.getHttpServer()).get('/fail/minimal').expect(400);
      expect(res.body).toEqual({ reason: 'minimal', status_code: 400, error_content: null });
    });

    it('sends bytes content decoded as UTF-8', async () => {
      const res = await request(app.getHttpServer()).get('/fail/bytes').expect(502);
      expect(res.body).toEqual({ reason: 'Bad Gateway', status_code: 502, error_content: 'caf\u00e9 upstream' });
    });

    it("sends the error's headers, not in the body", async () => {
      const res = await request(app.getHttpServer()).get('/fail/headers').expect(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="apikit"');
      expect(res.headers['x-request-hint']).toBe('retry');
      expect(res.body).toEqual({ reason: 'Unauthorized', status_code: 401, error_content: 'log in first' });
    });

    it('answers a status outside 200-599 as 500, keeping the original status_code in the body', async () => {
      const res = await request(app.getHttpServer()).get('/fail/odd-status').expect(500);
      expect(res.body).toEqual({ reason: 'Nae so wee', status_code: 789, error_content: null });
      const interim = await request(app.getHttpServer()).get('/fail/interim-status').expect(500);
      expect(interim.body).toEqual({ reason: 'Early Hints', status_code: 103, error_content: 'not a final answer' });
    });

    it('catches errors thrown by async handlers (raiseIse)', async () => {
      const res = await request(app.getHttpServer()).get('/fail/async').expect(500);
      expect(res.body).toEqual({ reason: 'Internal Server Error', status_code: 500, error_content: 'hippopotamus' });
    });

    it("leaves other errors to Nest's default handling, internals not leaked", async () => {
      const res = await request(app.getHttpServer()).get('/fail/other').expect(500);
      expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error' });
    });

    it("leaves HttpExceptions to Nest's default handling", async () => {
      const res = await request(app.getHttpServer()).get('/fail/http').expect(404);
      expect(res.body).toEqual({ statusCode: 404, message: 'nope', error: 'Not Found' });
    });
  });

  describe('applied with @UseFilters by users who opt out of the global filter', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await booter.boot(NoGlobalFilterModule);
    });

    it('answers BackendError in the controller that uses it', async () => {
      const res = await request(app.getHttpServer()).get('/scoped/content').expect(502);
      expect(res.body).toEqual({ reason: 'bad horse', status_code: 502, error_content: 'thoroughbred of sin' });
    });

    it("elsewhere a BackendError gets Nest's default 500 (the filter is really not global)", async () => {
      const res = await request(app.getHttpServer()).get('/unfiltered/content').expect(500);
      expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error' });
    });
  });
});
