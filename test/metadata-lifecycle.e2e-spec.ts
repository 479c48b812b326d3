import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import {
  ApiKitModule,
  ApiKitOptionsError,
  MetadataRoutes,
  type ApiKitModuleOptions,
  type ApiKitOptionsFactory,
} from '../lib/index.js';
import { BackendError } from '../lib/errors/backend-error.js';
import { BASE_BODY, BASE_OPTIONS, expectMetadata } from './fixtures/metadata-app.fixture.js';
import { ADAPTERS, AppBooter, initForRequests } from './fixtures/e2e-app.fixture.js';

// How ApiKitModule is configured and booted: forRootAsync, several applications, route prefixes added
// before bootstrap, invalid options, the global prefix and the global BackendError filter.

const CONFIG = Symbol('CONFIG');
const CANARY = 'canary-password-9d2b44';

/** A ConfigModule look-alike: the prefixes are known only once its provider is built. */
@Module({ providers: [{ provide: CONFIG, useValue: { SERVICE_ROUTE: 'svc', SERVICE_NAME: 'configured' } }], exports: [CONFIG] })
class FakeConfigModule {}

@Injectable()
class OptionsFromClass implements ApiKitOptionsFactory {
  constructor(@Inject(CONFIG) private readonly config: Record<string, string>) {}
  createApiKitOptions(): ApiKitModuleOptions {
    return { ...BASE_OPTIONS, name: `${this.config.SERVICE_NAME}-class`, route: ['/by-class/'] };
  }
}

@Module({ imports: [FakeConfigModule], providers: [OptionsFromClass], exports: [OptionsFromClass] })
class OptionsFactoryModule {}

@Controller('fail')
class FailingController {
  @Get()
  fail(): never {
    throw new BackendError('bad horse', 502, 'thoroughbred of sin');
  }
}

function rootWith(apikit: ReturnType<typeof ApiKitModule.forRoot>, controllers: Type[] = []): Type {
  @Module({ imports: [apikit], controllers })
  class RootModule {}
  return RootModule;
}

describe.each(ADAPTERS)('ApiKitModule lifecycle (%s)', (_adapter, createAdapter) => {
  const booter = new AppBooter(createAdapter);
  afterEach(() => booter.closeAll());

  describe('forRootAsync', () => {
    it('serves the prefixes returned by a useFactory with inject', async () => {
      const apikit = ApiKitModule.forRootAsync({
        imports: [FakeConfigModule],
        inject: [CONFIG],
        useFactory: (config: Record<string, string>) => ({ ...BASE_OPTIONS, name: config.SERVICE_NAME, route: config.SERVICE_ROUTE }),
      });
      const app = await booter.boot(rootWith(apikit));
      await expectMetadata(app, '/svc/v1.0/metadata', { ...BASE_BODY, name: 'configured' });
      await expectMetadata(app, '/svc/metadata.json', { ...BASE_BODY, name: 'configured' });
      await request(app.getHttpServer()).get('/metadata').expect(404);
      await request(app.getHttpServer()).get('/').expect(200, 'OK');
    });

    it('serves the options of an async useFactory', async () => {
      const apikit = ApiKitModule.forRootAsync({
        useFactory: async () => {
          await Promise.resolve();
          return { ...BASE_OPTIONS, apiVersion: '3', route: 'later' };
        },
      });
      const app = await booter.boot(rootWith(apikit));
      await expectMetadata(app, '/later/v3/metadata', { ...BASE_BODY, api_version: '3' });
    });

    it('serves the options of a useClass factory', async () => {
      const apikit = ApiKitModule.forRootAsync({ imports: [FakeConfigModule], useClass: OptionsFromClass });
      const app = await booter.boot(rootWith(apikit));
      await expectMetadata(app, '/by-class/metadata', { ...BASE_BODY, name: 'configured-class' });
    });

    it('serves the options of a useExisting factory', async () => {
      const apikit = ApiKitModule.forRootAsync({ imports: [OptionsFactoryModule], useExisting: OptionsFromClass });
      const app = await booter.boot(rootWith(apikit));
      await expectMetadata(app, '/by-class/v1.0/metadata.json', { ...BASE_BODY, name: 'configured-class' });
    });

    it('fails the boot when the factory returns invalid options', async () => {
      const apikit = ApiKitModule.forRootAsync({ useFactory: () => ({ ...BASE_OPTIONS, route: [2] as unknown as string[] }) });
      await expect(booter.boot(rootWith(apikit))).rejects.toThrow(ApiKitOptionsError);
    });
  });

  it('keeps two applications with different options in one process apart, both live at once', async () => {
    const alpha = await booter.boot(rootWith(ApiKitModule.forRoot({ ...BASE_OPTIONS, name: 'alpha', route: 'a' })));
    const betaApp = await booter.create(
      rootWith(ApiKitModule.forRoot({ ...BASE_OPTIONS, name: 'beta', apiVersion: '2', route: 'b', healthCheck: false })),
    );
    betaApp.get(MetadataRoutes).addRoutePrefix('only-beta');
    const beta = await initForRequests(betaApp);
    await expectMetadata(alpha, '/a/v1.0/metadata', { ...BASE_BODY, name: 'alpha' });
    await expectMetadata(beta, '/b/v2/metadata', { ...BASE_BODY, name: 'beta', api_version: '2' });
    await expectMetadata(beta, '/only-beta/metadata', { ...BASE_BODY, name: 'beta', api_version: '2' });
    for (const path of ['/b/metadata', '/only-beta/metadata', '/a/v2/metadata']) {
      await request(alpha.getHttpServer()).get(path).expect(404);
    }
    await request(beta.getHttpServer()).get('/a/metadata').expect(404);
    await request(alpha.getHttpServer()).get('/').expect(200, 'OK');
    await request(beta.getHttpServer()).get('/').expect(404);
  });

  describe('addRoutePrefix (apikit add_route_prefix)', () => {
    it('test_add_metadata_route: "", "bob", ["bob"], ["bob", "chuck"] added before init are served', async () => {
      const app = await booter.create(rootWith(ApiKitModule.forRoot({ ...BASE_OPTIONS, route: [] })));
      const routes = app.get(MetadataRoutes);
      for (const route of ['', 'bob', ['bob'], ['bob', 'chuck']]) routes.addRoutePrefix(route);
      expect(routes.routePrefixes).toEqual(['/', '/bob', '/chuck']);
      await initForRequests(app);
      for (const path of ['/metadata', '/bob/metadata.json', '/chuck/v1.0/metadata']) {
        await expectMetadata(app, path, BASE_BODY);
      }
    });

    it('test_add_metadata_route_type_errors: a non-string or an array holding one is refused', async () => {
      const app = await booter.create(rootWith(ApiKitModule.forRoot(BASE_OPTIONS)));
      const routes = app.get(MetadataRoutes);
      expect(() => routes.addRoutePrefix(2.0 as unknown as string)).toThrow(ApiKitOptionsError);
      expect(() => routes.addRoutePrefix([2.0] as unknown as string[])).toThrow(/route: expected an array of strings, got an array whose \[0\] is number/);
    });

    it('throws once the application has bootstrapped: routes are frozen', async () => {
      const app = await booter.boot(rootWith(ApiKitModule.forRoot(BASE_OPTIONS)));
      expect(() => app.get(MetadataRoutes).addRoutePrefix('/late')).toThrow(/already bootstrapped.*frozen/);
      await request(app.getHttpServer()).get('/late/metadata').expect(404);
    });
  });

  describe('invalid options fail the boot', () => {
    const invalid = {
      name: 42,
      version: '',
      repository: ['repo', 'man'],
      description: 'ok',
      auth: { type: 'basic', password: CANARY },
      route: ['fine', 7],
      healthCheck: 'yes',
      routes: 'typo',
    } as unknown as ApiKitModuleOptions;

    it('rejects compile() with one ApiKitOptionsError listing every problem, no credential echoed', async () => {
      const failure = await booter.boot(rootWith(ApiKitModule.forRoot(invalid))).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ApiKitOptionsError);
      const error = failure as ApiKitOptionsError;
      expect(error.problems).toEqual([
        'name: expected a non-empty string, got number',
        'version: expected a non-empty string, got an empty string',
        'repository: expected a non-empty string, got array',
        'auth.data: required for auth type "basic", got undefined',
        // apikit's `auth` is { type, data }: credentials at its top level are a mistake worth naming.
        'auth.password: unknown option (expected one of type, data)',
        'route: expected an array of strings, got an array whose [1] is number',
        'healthCheck: expected a boolean, got a string',
        expect.stringMatching(/^routes: unknown option/),
      ]);
      expect(error.message).toMatch(/^ApiKitModule options are invalid:\n - name: /);
      expect(error.message).not.toContain(CANARY);
    });

    it('rejects NestFactory.create()', async () => {
      const failure = NestFactory.create(rootWith(ApiKitModule.forRoot(invalid)), createAdapter(), {
        logger: false,
        abortOnError: false,
      });
      await expect(failure).rejects.toThrow(ApiKitOptionsError);
    });
  });

  describe('global prefix', () => {
    // Paths are absolute: app.setGlobalPrefix() does not move them (put the prefix into `route`), and
    // the health check stays at GET /, where the ingress probes it.
    it('serves exactly the configured paths and GET / whatever the global prefix', async () => {
      const app = await booter.boot(rootWith(ApiKitModule.forRoot(BASE_OPTIONS)), (nest) => nest.setGlobalPrefix('api'));
      await expectMetadata(app, '/metadata', BASE_BODY);
      await expectMetadata(app, '/v1.0/metadata.json', BASE_BODY);
      await request(app.getHttpServer()).get('/').expect(200, 'OK');
      await request(app.getHttpServer()).get('/api/metadata').expect(404);
    });

    it('serves metadata under the global prefix when route names it', async () => {
      const app = await booter.boot(rootWith(ApiKitModule.forRoot({ ...BASE_OPTIONS, route: 'api' }), [FailingController]), (nest) =>
        nest.setGlobalPrefix('api'),
      );
      await expectMetadata(app, '/api/metadata', BASE_BODY);
      await expectMetadata(app, '/api/v1.0/metadata', BASE_BODY);
      await request(app.getHttpServer()).get('/').expect(200, 'OK');
      await request(app.getHttpServer()).get('/metadata').expect(404);
      // the application's own routes do move under the global prefix
      await request(app.getHttpServer()).get('/api/fail').expect(502);
    });
  });

  describe('globalExceptionFilter extra', () => {
    it('answers a thrown BackendError with its JSON body by default', async () => {
      const app = await booter.boot(rootWith(ApiKitModule.forRoot(BASE_OPTIONS), [FailingController]));
      const res = await request(app.getHttpServer()).get('/fail').expect(502);
      expect(res.body).toEqual({ reason: 'bad horse', status_code: 502, error_content: 'thoroughbred of sin' });
    });

    it('registers the filter for forRootAsync too', async () => {
      const apikit = ApiKitModule.forRootAsync({ useFactory: () => BASE_OPTIONS });
      const app = await booter.boot(rootWith(apikit, [FailingController]));
      await request(app.getHttpServer()).get('/fail').expect(502);
    });

    it('leaves BackendError to Nest when turned off', async () => {
      const apikit = ApiKitModule.forRootAsync({ useFactory: () => BASE_OPTIONS, globalExceptionFilter: false });
      const app = await booter.boot(rootWith(apikit, [FailingController]));
      const res = await request(app.getHttpServer()).get('/fail').expect(500);
      expect(res.body).not.toHaveProperty('reason');
    });
  });
});
